extension PIIDetectors {
    /// IPv6 addresses in full (8 groups) or compressed (`::`) form, optionally with an
    /// embedded IPv4 tail (`::ffff:192.0.2.1`).
    ///
    /// To keep `std::vector`, `a::b`, Haskell `x :: Int` and times such as `12:30:45`
    /// intact, an address must be syntactically valid, contain at least one decimal digit,
    /// and a leading `::` must not follow an identifier character.
    enum IPv6 {
        static func match(_ b: PIIBytes, at i: Int) -> PIISpan? {
            var p = i
            var groups = 0
            var compressed = false
            var hasDigit = false
            if b[p] == UInt8(ascii: ":") {
                guard b[p + 1] == UInt8(ascii: ":") else { return nil }
                compressed = true
                p += 2
            }
            while true {
                let gs = p
                while PIIASCII.isHex(b[p]) && p - gs <= 4 { p += 1 }
                let length = p - gs
                if length == 0 { break }
                guard length <= 4 else { return nil }
                if b[p] == UInt8(ascii: ".") {
                    // Embedded IPv4 takes the place of the last two groups.
                    guard groups <= 6, let end = IPv4.parse(b, at: gs) else { return nil }
                    groups += 2
                    hasDigit = true
                    p = end
                    break
                }
                var k = gs
                while k < p {
                    if PIIASCII.isDigit(b[k]) { hasDigit = true }
                    k += 1
                }
                groups += 1
                guard groups <= 8 else { return nil }
                if b[p] == UInt8(ascii: ":") {
                    if b[p + 1] == UInt8(ascii: ":") {
                        guard !compressed else { return nil }
                        compressed = true
                        p += 2
                        continue
                    }
                    if PIIASCII.isHex(b[p + 1]) {
                        p += 1
                        continue
                    }
                }
                break
            }
            guard groups >= 1, hasDigit, compressed ? groups <= 7 : groups == 8 else { return nil }
            let c = b[p]
            guard !PIIASCII.isAlnum(c), c != UInt8(ascii: "_"), !(c == UInt8(ascii: ".") && PIIASCII.isDigit(b[p + 1]))
            else { return nil }
            // A network prefix such as `fd00::/8` or `2001:db8::/32` names a range, not a host.
            if c == UInt8(ascii: "/") && PIIASCII.isDigit(b[p + 1]) && b[p - 1] == UInt8(ascii: ":")
                && b[p - 2] == UInt8(ascii: ":")
            {
                return nil
            }
            // The loopback `::1` and `::ffff:127.0.0.1` identify no one and are kept (`::` has no digit).
            if p - i == 3 && b.matches("::1", at: i) { return nil }
            if b.matches("::ffff:", at: i) && IPv4.isLoopbackOrUnspecified(b, at: i + 7) { return nil }
            return PIISpan(i, p, .ipv6)
        }
    }
}
