extension PIIDetectors {
    /// IPv4 addresses: exactly four dot-separated decimal octets, each 0–255.
    ///
    /// Longer dotted numbers (`1.2.3.4.5`, OIDs) and dotted numbers glued to a preceding
    /// token (`v1.2.3.4`, `build-10.0.0.1`, and product tokens such as `Chrome/120.0.0.0`)
    /// are left alone. A bare `1.2.3.4` is indistinguishable from an address and is redacted.
    enum IPv4 {
        static func match(_ b: PIIBytes, at i: Int) -> PIISpan? {
            if b[i - 1] == UInt8(ascii: "/") && PIIASCII.isAlnum(b[i - 2]) { return nil }
            guard let end = parse(b, at: i) else { return nil }
            return PIISpan(i, end, .ipv4)
        }

        /// Parses a dotted quad at `i` and returns its end, checking the right boundary.
        static func parse(_ b: PIIBytes, at i: Int) -> Int? {
            var p = i
            for octet in 0..<4 {
                let s = p
                var value = 0
                while PIIASCII.isDigit(b[p]) && p - s < 4 {
                    value = value &* 10 &+ Int(b[p] &- 0x30)
                    p += 1
                }
                guard p - s >= 1, p - s <= 3, value <= 255 else { return nil }
                if octet < 3 {
                    guard b[p] == UInt8(ascii: ".") else { return nil }
                    p += 1
                }
            }
            let c = b[p]
            guard !PIIASCII.isAlnum(c), c != UInt8(ascii: "_"), c != UInt8(ascii: "@"),
                !(c == UInt8(ascii: ".") && PIIASCII.isAlnum(b[p + 1]))
            else { return nil }
            return p
        }
    }
}
