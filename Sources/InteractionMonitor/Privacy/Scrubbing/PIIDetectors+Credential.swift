extension PIIDetectors {
    /// HTTP credentials: standalone `Bearer <token>` / `Basic <base64>` and the value of
    /// `Authorization`-style headers. The scheme word is kept, the credential replaced.
    enum Credential {
        @inline(__always) static func isTokenChar(_ c: UInt8) -> Bool {
            PIIASCII.isAlnum(c) || c == UInt8(ascii: "-") || c == UInt8(ascii: ".") || c == UInt8(ascii: "_")
                || c == UInt8(ascii: "~") || c == UInt8(ascii: "+") || c == UInt8(ascii: "/")
        }

        /// Anchored at a word `i..<wordEnd`; matches `Bearer x` / `Basic x` (any case).
        static func matchScheme(_ b: PIIBytes, at i: Int, wordEnd: Int) -> PIISpan? {
            let length = wordEnd - i
            guard (length == 6 && b.matchesCaseInsensitive("bearer", at: i))
                || (length == 5 && b.matchesCaseInsensitive("basic", at: i)),
                b[wordEnd] == UInt8(ascii: " ")
            else { return nil }
            let s = wordEnd + 1
            let e = tokenEnd(b, s)
            guard looksLikeCredential(b, s, e) else { return nil }
            return PIISpan(s, e, .credential)
        }

        /// End of a token68-style credential starting at `s` (`=` padding included).
        static func tokenEnd(_ b: PIIBytes, _ s: Int) -> Int {
            var p = s
            while isTokenChar(b[p]) { p += 1 }
            while b[p] == UInt8(ascii: "=") { p += 1 }
            return p
        }

        /// Plain words (`Bearer tokens`, `Basic Authentication`) are not credentials:
        /// require 8+ characters and a digit, a symbol, or mixed case with ≥ 2 of each.
        static func looksLikeCredential(_ b: PIIBytes, _ s: Int, _ e: Int) -> Bool {
            guard e - s >= 8 else { return false }
            var upper = 0
            var lower = 0
            var k = s
            while k < e {
                let c = b[k]
                if PIIASCII.isUpper(c) {
                    upper += 1
                } else if PIIASCII.isLower(c) {
                    lower += 1
                } else {
                    return true  // digit or symbol
                }
                k += 1
            }
            return upper >= 2 && lower >= 2
        }

        /// The credential inside an `Authorization` header value that starts at `s`;
        /// `limit` is the end of the value (closing quote or end of line).
        static func matchHeaderValue(_ b: PIIBytes, from s: Int, limit: Int) -> PIISpan? {
            var w = s
            while w < limit && PIIASCII.isAlpha(b[w]) { w += 1 }
            while w < limit && (PIIASCII.isAlnum(b[w]) || b[w] == UInt8(ascii: "-")) { w += 1 }
            if w > s && w < limit && b[w] == UInt8(ascii: " ") {
                var c = w
                while c < limit && b[c] == UInt8(ascii: " ") { c += 1 }
                guard c < limit else { return nil }
                let simple = (w - s == 6 && b.matchesCaseInsensitive("bearer", at: s))
                    || (w - s == 5 && b.matchesCaseInsensitive("basic", at: s))
                    || (w - s == 5 && b.matchesCaseInsensitive("token", at: s))
                var e: Int
                if simple {
                    e = c
                    while e < limit && !PIIASCII.isSpace(b[e]) && b[e] != UInt8(ascii: ",")
                        && b[e] != UInt8(ascii: "\"") && b[e] != UInt8(ascii: "'") && b[e] != UInt8(ascii: "\\")
                    {
                        e += 1
                    }
                } else {
                    e = limit  // Digest, AWS4-HMAC-SHA256, …: the parameters are all secret.
                }
                while e > c && PIIASCII.isSpace(b[e - 1]) { e -= 1 }
                return e > c && !KeyValue.isInert(b, c, e) ? PIISpan(c, e, .credential) : nil
            }
            // No scheme: the whole first token is the credential.
            var e = s
            while e < limit && !PIIASCII.isSpace(b[e]) && b[e] != UInt8(ascii: ",") && b[e] != UInt8(ascii: "\"")
                && b[e] != UInt8(ascii: "'") && b[e] != UInt8(ascii: "\\")
            {
                e += 1
            }
            guard e > s else { return nil }
            // A bare scheme name without a credential (`Authorization: Bearer`) is not a secret.
            if (e - s == 6 && b.matchesCaseInsensitive("bearer", at: s))
                || (e - s == 5 && b.matchesCaseInsensitive("basic", at: s))
            {
                return nil
            }
            return PIISpan(s, e, .credential)
        }
    }
}
