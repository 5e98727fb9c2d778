extension PIIDetectors {
    /// Lines of credential files written into logs. `.netrc` (`machine … login … password …`) is
    /// handled by ``KeyValue`` (a secret-named key followed by its value); this detector reads the
    /// PostgreSQL password file, `.pgpass`: `hostname:port:database:username:password`, where any of
    /// the first four fields may be `*` (see the PostgreSQL manual, "The Password File").
    enum CredentialFile {
        /// Anchored at the first `:` of a line in `.pgpass` format, when a port number or `*` follows.
        /// Only the password is replaced.
        static func matchPgpass(_ b: PIIBytes, colon i: Int, floor: Int) -> PIISpan? {
            // Host: `*`, or a lowercase host name or address with a `.`, `-` or digit (`localhost`,
            // `db.internal`, `10.0.0.5`, `pg-primary`), at the start of a token; `ERROR:1234:…` stays.
            var h = i
            var shaped = false
            var letters = false
            while h > floor && h > i - 256 && isHostByte(b[h - 1]) {
                let c = b[h - 1]
                if PIIASCII.isUpper(c) { return nil }
                if PIIASCII.isLower(c) { letters = true } else { shaped = true }
                h -= 1
            }
            // An address the scan has already replaced (`10.0.0.5` ends right here) is a host too.
            let replaced = h == i && floor == i && i > 0
            if !replaced {
                guard h < i, isLineStart(b[h - 1]) else { return nil }
                let star = i - h == 1 && b[h] == UInt8(ascii: "*")
                guard star || (letters && shaped) || (i - h == 9 && b.matches("localhost", at: h))
                    || (!letters && b.contains(".", from: h, to: i))
                else { return nil }
            }
            // Port: digits or `*`.
            var p = i + 1
            if b[p] == UInt8(ascii: "*") {
                p += 1
            } else {
                let e = b.digitRunEnd(from: p)
                guard e > p, e - p <= 5 else { return nil }
                p = e
            }
            guard b[p] == UInt8(ascii: ":") else { return nil }
            // Database and user name: no spaces or colons; the user name is not a hex group (so
            // `fe80:1:2:3:4`-like runs stay).
            guard let database = field(b, from: p + 1), let user = field(b, from: database + 1),
                hasNonHexLetter(b, database + 1, user)
            else { return nil }
            let s = user + 1
            var e = s
            while e - s < 256 {
                let c = b[e]
                if c == 0 || PIIASCII.isSpace(c) || c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") { break }
                // A colon inside the password is written `\:`; a bare one means more fields.
                if c == UInt8(ascii: ":") && b[e - 1] != UInt8(ascii: "\\") { return nil }
                e += 1
            }
            guard e - s >= 4, !KeyValue.isInert(b, s, e) else { return nil }
            return PIISpan(s, e, .secret)
        }

        /// The end (the `:`) of a non-empty field starting at `p`.
        private static func field(_ b: PIIBytes, from p: Int) -> Int? {
            var e = p
            while e - p < 128 {
                let c = b[e]
                if c == UInt8(ascii: ":") { return e > p ? e : nil }
                if c == 0 || PIIASCII.isSpace(c) || c == UInt8(ascii: "\"") || c == UInt8(ascii: "'")
                    || c == UInt8(ascii: "/") || c == UInt8(ascii: "=")
                {
                    return nil
                }
                e += 1
            }
            return nil
        }

        @inline(__always) private static func isHostByte(_ c: UInt8) -> Bool {
            PIIASCII.isAlnum(c) || c == UInt8(ascii: ".") || c == UInt8(ascii: "-") || c == UInt8(ascii: "_")
                || c == UInt8(ascii: "*")
        }

        /// What may precede a `.pgpass` line: the start of the text or of a line, a space, a quote or a
        /// closing bracket (`[env] *:6432:…`).
        @inline(__always) private static func isLineStart(_ c: UInt8) -> Bool {
            c == 0 || PIIASCII.isSpace(c) || c == UInt8(ascii: "\"") || c == UInt8(ascii: "'")
                || c == UInt8(ascii: "]") || c == UInt8(ascii: ">") || c == UInt8(ascii: "|")
        }

        private static func hasNonHexLetter(_ b: PIIBytes, _ s: Int, _ e: Int) -> Bool {
            var k = s
            while k < e {
                let c = b[k]
                if (PIIASCII.isAlpha(c) && !PIIASCII.isHex(c)) || c == UInt8(ascii: "_") || c == UInt8(ascii: "*") {
                    return true
                }
                k += 1
            }
            return false
        }
    }
}
