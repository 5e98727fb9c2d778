extension PIIDetectors {
    /// The user-info part of URLs: `scheme://user:password@host` keeps the scheme and host.
    enum URLCredentials {
        @inline(__always) private static func endsAuthority(_ c: UInt8) -> Bool {
            switch c {
            case 0, UInt8(ascii: "/"), UInt8(ascii: "?"), UInt8(ascii: "#"), UInt8(ascii: " "),
                UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\""),
                UInt8(ascii: "'"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "`"),
                UInt8(ascii: "\\"), UInt8(ascii: ","), UInt8(ascii: "|"), UInt8(ascii: "{"),
                UInt8(ascii: "}"), UInt8(ascii: "["), UInt8(ascii: "]"):
                true
            default:
                false
            }
        }

        /// `colon` is the index of the `:` in `://`.
        static func match(_ b: PIIBytes, colon: Int) -> PIISpan? {
            guard b[colon + 1] == UInt8(ascii: "/"), b[colon + 2] == UInt8(ascii: "/"),
                PIIASCII.isAlnum(b[colon - 1])
            else { return nil }
            let start = colon + 3
            let hi = min(b.count, start + 512)
            var p = start
            var lastAt = -1
            while p < hi {
                let c = b[p]
                if endsAuthority(c) { break }
                if c == UInt8(ascii: "@") { lastAt = p }
                p += 1
            }
            guard lastAt > start, !isTemplate(b, start, lastAt) else { return nil }
            return PIISpan(start, lastAt, .urlCredentials)
        }

        /// `USER:PASSWORD@HOST`, `${DB_USER}:${DB_PASS}@…`: documentation templates, not credentials.
        private static func isTemplate(_ b: PIIBytes, _ s: Int, _ e: Int) -> Bool {
            var upper = true
            for k in s..<e {
                let c = b[k]
                if c == UInt8(ascii: "$") || c == UInt8(ascii: "{") { return true }
                if !(PIIASCII.isUpper(c) || c == UInt8(ascii: "_") || c == UInt8(ascii: ":")) { upper = false }
            }
            return upper
        }
    }
}
