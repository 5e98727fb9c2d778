extension PIIDetectors {
    /// IPv4 addresses: exactly four dot-separated decimal octets, each 0–255.
    ///
    /// Longer dotted numbers (`1.2.3.4.5`, OIDs) and dotted numbers glued to a preceding
    /// token (`v1.2.3.4`, `build-10.0.0.1`, and product tokens such as `Chrome/120.0.0.0`)
    /// are left alone, as are quads labelled by a preceding `version`/`ver`/`v`/`oid`/`build`/
    /// `firmware` word. A bare `1.2.3.4` is indistinguishable from an address and is redacted.
    enum IPv4 {
        static func match(_ b: PIIBytes, at i: Int) -> PIISpan? {
            if b[i - 1] == UInt8(ascii: "/") && PIIASCII.isAlnum(b[i - 2]) { return nil }
            guard let end = parse(b, at: i), !isLabelledVersion(b, before: i), !isNetwork(b, i, end) else {
                return nil
            }
            if isLoopbackOrUnspecified(b, at: i) { return nil }
            return PIISpan(i, end, .ipv4)
        }

        /// `127.0.0.0/8` (loopback) and `0.0.0.0` (unspecified) identify no one and are kept.
        static func isLoopbackOrUnspecified(_ b: PIIBytes, at i: Int) -> Bool {
            if b.matches("127.", at: i) { return true }
            return b.matches("0.0.0.0", at: i) && !PIIASCII.isDigit(b[i + 7])
        }

        /// A CIDR network such as `10.0.0.0/8` or `192.168.1.0/24` (host bits all zero) names a
        /// range, not a host. `192.168.1.23/24` (an interface address) is still redacted.
        static func isNetwork(_ b: PIIBytes, _ start: Int, _ end: Int) -> Bool {
            guard b[end] == UInt8(ascii: "/"), PIIASCII.isDigit(b[end + 1]) else { return false }
            var prefix = Int(b[end + 1] &- 0x30)
            if PIIASCII.isDigit(b[end + 2]) { prefix = prefix * 10 + Int(b[end + 2] &- 0x30) }
            guard prefix <= 32 else { return false }
            var value: UInt32 = 0
            var octet: UInt32 = 0
            var p = start
            while p < end {
                let c = b[p]
                if c == UInt8(ascii: ".") {
                    value = value << 8 | octet
                    octet = 0
                } else {
                    octet = octet * 10 + UInt32(c &- 0x30)
                }
                p += 1
            }
            value = value << 8 | octet
            let hostMask: UInt32 = prefix == 0 ? .max : (prefix == 32 ? 0 : UInt32.max >> UInt32(prefix))
            return prefix < 32 && value & hostMask == 0
        }

        /// True when the dotted quad is labelled as a version or OID by the preceding word:
        /// `version 1.2.3.4`, `AssemblyVersion("1.0.0.0")`, `app_version=2.14.0.3`,
        /// `OID 2.5.4.3`, `build 10.0.0.1`, `firmware: 1.0.4.2`.
        static func isLabelledVersion(_ b: PIIBytes, before i: Int) -> Bool {
            var e = i - 1
            var skipped = 0
            while skipped < 3 {
                let c = b[e]
                guard c == UInt8(ascii: " ") || c == UInt8(ascii: ":") || c == UInt8(ascii: "=")
                    || c == UInt8(ascii: "(") || c == UInt8(ascii: "\"") || c == UInt8(ascii: "'")
                else { break }
                e -= 1
                skipped += 1
            }
            let end = e + 1
            var s = end
            while s > end - 32 && PIIASCII.isIdent(b[s - 1]) { s -= 1 }
            guard s < end else { return false }
            return PIIKeyClassifier.suffix(b, s, end, "version") != nil || PIIKeyClassifier.exact(b, s, end, "ver")
                || PIIKeyClassifier.exact(b, s, end, "v") || PIIKeyClassifier.exact(b, s, end, "oid")
                || PIIKeyClassifier.exact(b, s, end, "build") || PIIKeyClassifier.exact(b, s, end, "firmware")
                || PIIKeyClassifier.exact(b, s, end, "kernel")
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
