extension PIIDetectors {
    /// User names in home directories: `/home/alice/…`, `/Users/alice/…`, `C:\Users\alice\…`
    /// (also JSON-escaped `C:\\Users\\alice` and `C:/Users/alice`). Only the name is replaced.
    enum HomePath {
        @inline(__always) private static func endsName(_ c: UInt8) -> Bool {
            switch c {
            case 0, UInt8(ascii: "/"), UInt8(ascii: "\\"), UInt8(ascii: " "), UInt8(ascii: "\t"),
                UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\""), UInt8(ascii: "'"),
                UInt8(ascii: "`"), UInt8(ascii: ":"), UInt8(ascii: ";"), UInt8(ascii: ","),
                UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"), UInt8(ascii: ">"),
                UInt8(ascii: "<"), UInt8(ascii: "|"), UInt8(ascii: "?"), UInt8(ascii: "#"),
                UInt8(ascii: "&"), UInt8(ascii: "="), UInt8(ascii: "*"):
                true
            default:
                false
            }
        }

        /// Anchored at a `/` that may start `/home/` or `/Users/`.
        static func matchSlash(_ b: PIIBytes, at i: Int) -> PIISpan? {
            let prev = b[i - 1]
            if PIIASCII.isAlnum(prev) || prev == UInt8(ascii: ".") || prev == UInt8(ascii: "_")
                || prev == UInt8(ascii: "-") || prev == UInt8(ascii: "~") || prev == UInt8(ascii: "$")
                || prev == UInt8(ascii: "%")
            {
                return nil
            }
            // A `/` before is only fine in `file:///home/…`.
            if prev == UInt8(ascii: "/") && !(b[i - 2] == UInt8(ascii: "/") && b[i - 3] == UInt8(ascii: ":")) {
                return nil
            }
            let nameStart: Int
            if b.matches("home/", at: i + 1) {
                nameStart = i + 6
            } else if b.matches("Users/", at: i + 1) {
                nameStart = i + 7
            } else {
                return nil
            }
            return name(b, from: nameStart, windows: false)
        }

        /// Anchored at a one-letter word (a drive letter) followed by `:`.
        static func matchDrive(_ b: PIIBytes, at i: Int) -> PIISpan? {
            guard PIIASCII.isAlpha(b[i]), b[i + 1] == UInt8(ascii: ":") else { return nil }
            var p = i + 2
            let sep = b[p]
            guard sep == UInt8(ascii: "\\") || sep == UInt8(ascii: "/") else { return nil }
            var sepLength = 1
            if sep == UInt8(ascii: "\\") && b[p + 1] == UInt8(ascii: "\\") { sepLength = 2 }
            p += sepLength
            guard b.matchesCaseInsensitive("users", at: p) else { return nil }
            p += 5
            for k in 0..<sepLength where b[p + k] != sep { return nil }
            return name(b, from: p + sepLength, windows: true)
        }

        private static func name(_ b: PIIBytes, from start: Int, windows: Bool) -> PIISpan? {
            let first = b[start]
            if endsName(first) { return nil }
            switch first {
            case UInt8(ascii: "["), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "{"), UInt8(ascii: "."),
                UInt8(ascii: "~"), UInt8(ascii: "@"):
                return nil
            default:
                break
            }
            let hi = start + 64
            var p = start
            while p < hi && !endsName(b[p]) { p += 1 }
            if windows {
                // Windows profile names may contain spaces: `C:\Users\Jane Doe\Desktop`.
                var q = start
                while q < hi {
                    let c = b[q]
                    if PIIASCII.isAlnum(c) || c >= 0x80 || c == UInt8(ascii: " ") || c == UInt8(ascii: ".")
                        || c == UInt8(ascii: "_") || c == UInt8(ascii: "-")
                    {
                        q += 1
                    } else {
                        break
                    }
                }
                if q > p && (b[q] == UInt8(ascii: "\\") || b[q] == UInt8(ascii: "/")) { p = q }
            }
            guard p > start, !isSharedProfile(b, start, p) else { return nil }
            return PIISpan(start, p, .homePath)
        }

        /// Profile directories that do not name a person.
        private static func isSharedProfile(_ b: PIIBytes, _ s: Int, _ e: Int) -> Bool {
            switch e - s {
            case 3: b.matches("All", at: s)
            case 5: b.matches("Guest", at: s)
            case 6: b.matches("Shared", at: s) || b.matches("Public", at: s)
            case 7: b.matches("Default", at: s)
            case 9: b.matches("linuxbrew", at: s) || b.matches("All Users", at: s)
            case 12: b.matches("Default User", at: s)
            default: false
            }
        }
    }
}
