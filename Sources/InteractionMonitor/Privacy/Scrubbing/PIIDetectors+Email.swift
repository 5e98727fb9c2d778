extension PIIDetectors {
    /// E-mail addresses, anchored at `@` (or URL-encoded `%40`).
    enum Email {
        @inline(__always) static func isLocal(_ c: UInt8) -> Bool {
            PIIASCII.isAlnum(c) || c == UInt8(ascii: ".") || c == UInt8(ascii: "_") || c == UInt8(ascii: "%")
                || c == UInt8(ascii: "+") || c == UInt8(ascii: "-") || c == UInt8(ascii: "'")
        }

        /// Matches an address whose `@` (length 1) or `%40` (length 3) is at `at`.
        /// The local part is never extended below `floor` (the end of the previous match).
        static func match(_ b: PIIBytes, at: Int, atLength: Int, floor: Int) -> PIISpan? {
            let lo = max(floor, at - 128)
            var s = at
            while s > lo && isLocal(b[s - 1]) {
                // An encoded `%40` is itself an `@`: the local part cannot extend across it.
                if b[s - 1] == UInt8(ascii: "%") && b[s] == UInt8(ascii: "4") && b[s + 1] == UInt8(ascii: "0") && s < at {
                    break
                }
                s -= 1
            }
            // No leading dot; a leading apostrophe is a quote ('alice@example.com'), not part of o'brien.
            while s < at && (b[s] == UInt8(ascii: ".") || b[s] == UInt8(ascii: "'")) { s += 1 }
            guard s < at else { return nil }
            // `git@github.com:org/repo.git` is an SSH remote, not a person's address.
            if at - s == 3 && b.matches("git", at: s) { return nil }
            let domain = at + atLength
            let hi = min(b.count, domain + 253)
            var p = domain
            var labels = 0
            var end = -1
            while true {
                let ls = p
                while p < hi && (PIIASCII.isAlnum(b[p]) || b[p] == UInt8(ascii: "-")) { p += 1 }
                guard p > ls, b[ls] != UInt8(ascii: "-"), b[p - 1] != UInt8(ascii: "-") else { break }
                labels += 1
                if labels >= 2 && p - ls >= 2 && isAlphaRun(b, ls, p) && !isFileExtension(b, ls, p) { end = p }
                if b[p] == UInt8(ascii: ".") && PIIASCII.isAlnum(b[p + 1]) {
                    p += 1
                    continue
                }
                break
            }
            guard end > 0 else { return nil }
            return PIISpan(s, end, .email)
        }

        /// `avatar@2x.png`, `icon@3x.webp`: asset names, not addresses.
        private static func isFileExtension(_ b: PIIBytes, _ s: Int, _ e: Int) -> Bool {
            switch e - s {
            case 2: return b.matchesCaseInsensitive("js", at: s)
            case 3:
                return b.matchesCaseInsensitive("png", at: s) || b.matchesCaseInsensitive("jpg", at: s)
                    || b.matchesCaseInsensitive("gif", at: s) || b.matchesCaseInsensitive("svg", at: s)
                    || b.matchesCaseInsensitive("ico", at: s) || b.matchesCaseInsensitive("css", at: s)
                    || b.matchesCaseInsensitive("pdf", at: s) || b.matchesCaseInsensitive("txt", at: s)
                    || b.matchesCaseInsensitive("log", at: s) || b.matchesCaseInsensitive("map", at: s)
            case 4:
                return b.matchesCaseInsensitive("jpeg", at: s) || b.matchesCaseInsensitive("webp", at: s)
                    || b.matchesCaseInsensitive("json", at: s) || b.matchesCaseInsensitive("html", at: s)
            default: return false
            }
        }

        private static func isAlphaRun(_ b: PIIBytes, _ s: Int, _ e: Int) -> Bool {
            var k = s
            while k < e {
                if !PIIASCII.isAlpha(b[k]) { return false }
                k += 1
            }
            return true
        }
    }
}
