extension PIIDetectors {
    /// E-mail addresses written to defeat harvesters: `jane[at]example[dot]com`, `jane (at) example
    /// (dot) com`, `jane{at}example.com`, `jane AT example DOT com`, `jane at example dot com`.
    ///
    /// Anchored at the word `at`. A bracketed `[at]`, `(at)` or `{at}` may be followed by a domain
    /// with plain dots; a bare `at`/`AT` between spaces needs at least one spelled-out `dot` in the
    /// domain, so prose such as `look at example.com` stays. The whole address becomes `[EMAIL]`.
    enum ObfuscatedEmail {
        /// `i` is the start of a two-letter word `at`/`AT`; `floor` is the end of the previous match.
        static func match(_ b: PIIBytes, at i: Int, floor: Int) -> PIISpan? {
            let upper = b[i] == UInt8(ascii: "A") && b[i + 1] == UInt8(ascii: "T")
            guard upper || (b[i] == UInt8(ascii: "a") && b[i + 1] == UInt8(ascii: "t")) else { return nil }
            var left = i
            var right = i + 2
            let bracketed = closing(b[i - 1]) != 0 && b[right] == closing(b[i - 1])
            if bracketed {
                left -= 1
                right += 1
            } else if b[i - 1] != UInt8(ascii: " ") || b[right] != UInt8(ascii: " ") {
                return nil
            }
            // Local part: the run of address characters before the `at`, past at most two spaces.
            var l = left
            while l > left - 2 && b[l - 1] == UInt8(ascii: " ") { l -= 1 }
            var s = l
            while s > floor && s > l - 64 && isLocal(b[s - 1]) { s -= 1 }
            while s < l && (b[s] == UInt8(ascii: ".") || b[s] == UInt8(ascii: "-")) { s += 1 }
            guard s < l, hasAlnum(b, s, l) else { return nil }
            guard let (end, spelledDots) = domainEnd(b, from: right) else { return nil }
            guard bracketed || spelledDots > 0 else { return nil }
            return PIISpan(s, end, .email)
        }

        /// The end of a domain of two or more labels starting at `p` (after at most two spaces), and
        /// how many of its dots are spelled out; the last label must be letters only (a top-level domain).
        private static func domainEnd(_ b: PIIBytes, from start: Int) -> (Int, Int)? {
            var p = start
            while p < start + 2 && b[p] == UInt8(ascii: " ") { p += 1 }
            var labels = 0
            var spelled = 0
            var end = -1
            while labels < 16 {
                let ls = p
                var letters = true
                while PIIASCII.isAlnum(b[p]) || (p > ls && b[p] == UInt8(ascii: "-")) {
                    if !PIIASCII.isAlpha(b[p]) { letters = false }
                    p += 1
                }
                guard p > ls, b[p - 1] != UInt8(ascii: "-") else { break }
                labels += 1
                if labels >= 2 && letters && p - ls >= 2 { end = p }
                if b[p] == UInt8(ascii: ".") && PIIASCII.isAlnum(b[p + 1]) {
                    p += 1
                    continue
                }
                guard let next = spelledDot(b, at: p) else { break }
                spelled += 1
                p = next
            }
            return end > 0 ? (end, spelled) : nil
        }

        /// After a spelled-out dot at `p` (` dot `, ` DOT `, `[dot]`, ` (dot) `, `{dot}`), the start of
        /// the next label; `nil` when there is none.
        private static func spelledDot(_ b: PIIBytes, at p: Int) -> Int? {
            var q = p
            while q < p + 2 && b[q] == UInt8(ascii: " ") { q += 1 }
            let open = closing(b[q])
            if open != 0 { q += 1 }
            guard b.matchesCaseInsensitive("dot", at: q), !PIIASCII.isAlnum(b[q + 3]) else { return nil }
            q += 3
            if open != 0 {
                guard b[q] == open else { return nil }
                q += 1
            } else if q - 3 == p || b[q] != UInt8(ascii: " ") {
                // A bare `dot` needs a space on both sides.
                return nil
            }
            let r = q
            while q < r + 2 && b[q] == UInt8(ascii: " ") { q += 1 }
            return PIIASCII.isAlnum(b[q]) ? q : nil
        }

        /// The closing bracket for `[`, `(` or `{`, else 0.
        @inline(__always) private static func closing(_ c: UInt8) -> UInt8 {
            switch c {
            case UInt8(ascii: "["): UInt8(ascii: "]")
            case UInt8(ascii: "("): UInt8(ascii: ")")
            case UInt8(ascii: "{"): UInt8(ascii: "}")
            default: 0
            }
        }

        @inline(__always) private static func isLocal(_ c: UInt8) -> Bool {
            PIIASCII.isAlnum(c) || c == UInt8(ascii: ".") || c == UInt8(ascii: "_") || c == UInt8(ascii: "-")
                || c == UInt8(ascii: "+")
        }

        private static func hasAlnum(_ b: PIIBytes, _ s: Int, _ e: Int) -> Bool {
            var k = s
            while k < e {
                if PIIASCII.isAlnum(b[k]) { return true }
                k += 1
            }
            return false
        }
    }
}
