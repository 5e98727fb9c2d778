extension PIIDetectors {
    /// JSON Web Tokens: `eyJ…` header, payload and (possibly empty) signature segments
    /// in base64url, also 5-segment JWE compact serialisations.
    enum JWT {
        static func match(_ b: PIIBytes, at i: Int) -> PIISpan? {
            guard b[i] == UInt8(ascii: "e"), b[i + 1] == UInt8(ascii: "y"), b[i + 2] == UInt8(ascii: "J") else {
                return nil
            }
            let e1 = segmentEnd(b, i)
            guard e1 - i >= 10, b[e1] == UInt8(ascii: ".") else { return nil }
            let e2 = segmentEnd(b, e1 + 1)
            if e2 == e1 + 1 {
                // JWE with direct key agreement (`"alg":"dir"`): the encrypted key is empty, so the
                // compact form reads `header..iv.ciphertext.tag`.
                let e3 = segmentEnd(b, e2 + 1)
                guard b[e2] == UInt8(ascii: "."), e3 - e2 - 1 >= 8, b[e3] == UInt8(ascii: ".") else { return nil }
                let e4 = segmentEnd(b, e3 + 1)
                guard e4 - e3 - 1 >= 8, b[e4] == UInt8(ascii: ".") else { return nil }
                return PIISpan(i, segmentEnd(b, e4 + 1), .jwt)
            }
            guard e2 - e1 - 1 >= 2, b[e2] == UInt8(ascii: ".") else { return nil }
            var end = segmentEnd(b, e2 + 1)
            if b[end] == UInt8(ascii: "."), PIIASCII.isBase64URL(b[end + 1]) {
                let e4 = segmentEnd(b, end + 1)
                if b[e4] == UInt8(ascii: ".") { end = segmentEnd(b, e4 + 1) }
            }
            return PIISpan(i, end, .jwt)
        }

        @inline(__always) private static func segmentEnd(_ b: PIIBytes, _ start: Int) -> Int {
            var p = start
            while PIIASCII.isBase64URL(b[p]) { p += 1 }
            return p
        }
    }
}
