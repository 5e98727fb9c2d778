extension PIIDetectors {
    /// MAC addresses: `00:1a:2b:3c:4d:5e`, `00-1A-2B-3C-4D-5E`, Cisco `001a.2b3c.4d5e` and the
    /// zero-suppressed `0:1a:2b:3c:4d:5e` printed by BSD/macOS tools.
    /// Longer colon-hex strings (fingerprints) are left alone.
    enum MAC {
        static func match(_ b: PIIBytes, at i: Int) -> PIISpan? {
            let h = PIIASCII.isHex
            // macOS `arp -a` drops leading zeros: `0:1a:2b:3c:4d:5e`.
            if h(b[i]) && b[i + 1] == UInt8(ascii: ":") { return sixGroups(b, at: i, separator: b[i + 1], minDigits: 1) }
            if h(b[i]) && h(b[i + 1]) {
                let sep = b[i + 2]
                if sep == UInt8(ascii: ":") || sep == UInt8(ascii: "-") {
                    return sixGroups(b, at: i, separator: sep, minDigits: 2)
                }
                if h(b[i + 2]) && h(b[i + 3]) && b[i + 4] == UInt8(ascii: ".") {
                    var p = i
                    for group in 0..<3 {
                        for k in 0..<4 where !h(b[p + k]) { return nil }
                        p += 4
                        if group < 2 {
                            guard b[p] == UInt8(ascii: ".") else { return nil }
                            p += 1
                        }
                    }
                    guard !PIIASCII.isAlnum(b[p]), b[p] != UInt8(ascii: "_"),
                        !(b[p] == UInt8(ascii: ".") && PIIASCII.isAlnum(b[p + 1]))
                    else { return nil }
                    return PIISpan(i, p, .mac)
                }
            }
            return nil
        }

        /// Six groups of `minDigits`…2 hex digits separated by `separator` (`:` or `-`).
        private static func sixGroups(_ b: PIIBytes, at i: Int, separator sep: UInt8, minDigits: Int) -> PIISpan? {
            let h = PIIASCII.isHex
            var p = i
            var short = false
            for group in 0..<6 {
                guard h(b[p]) else { return nil }
                if h(b[p + 1]) {
                    p += 2
                } else {
                    guard minDigits == 1, sep == UInt8(ascii: ":") else { return nil }
                    short = true
                    p += 1
                }
                if group < 5 {
                    guard b[p] == sep else { return nil }
                    p += 1
                }
            }
            let c = b[p]
            guard !PIIASCII.isAlnum(c), c != UInt8(ascii: "_"), !(c == sep && h(b[p + 1])),
                !(short && c == UInt8(ascii: "."))
            else { return nil }
            return PIISpan(i, p, .mac)
        }
    }
}
