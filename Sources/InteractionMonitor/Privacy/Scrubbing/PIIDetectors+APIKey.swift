extension PIIDetectors {
    /// Provider credentials recognised by their shape: the documented prefixes of
    /// ``PIIProviderPrefixes`` plus the few formats with an exact structure — AWS access key
    /// ids (`AKIA`/`ASIA` + 16), SendGrid keys (`SG.<id>.<secret>`), Discord bot tokens
    /// (`<base64 user id>.<6>.<27+>`) and Azure AD client secrets (`…8Q~…`).
    enum APIKey {
        static func match(_ b: PIIBytes, at i: Int) -> PIISpan? {
            switch b[i] {
            case UInt8(ascii: "A"):
                if b.matches("AKIA", at: i) || b.matches("ASIA", at: i) {
                    let e = run(b, i + 4) { PIIASCII.isUpper($0) || PIIASCII.isDigit($0) }
                    if e - (i + 4) == 16 && !PIIASCII.isAlnum(b[e]) { return PIISpan(i, e, .apiKey) }
                }
            case UInt8(ascii: "S"):
                // SendGrid: `SG.<22>.<43>`.
                if b[i + 1] == UInt8(ascii: "G") && b[i + 2] == UInt8(ascii: ".") {
                    let e1 = run(b, i + 3, PIIASCII.isBase64URL)
                    if e1 - i - 3 >= 16 && b[e1] == UInt8(ascii: ".") {
                        let e2 = run(b, e1 + 1, PIIASCII.isBase64URL)
                        if e2 - e1 - 1 >= 30 { return PIISpan(i, e2, .apiKey) }
                    }
                }
            case UInt8(ascii: "M"), UInt8(ascii: "N"), UInt8(ascii: "O"):
                if let end = discordToken(b, at: i) { return PIISpan(i, end, .apiKey) }
            default:
                break
            }
            if let end = PIIProviderPrefixes.match(b, at: i), !isTokenTail(b[end]) {
                return PIISpan(i, end, .apiKey)
            }
            return nil
        }

        /// Discord bot token: base64 of a numeric user id (starts `M`, `N` or `O`, 23–28
        /// characters), a 6-character timestamp and an HMAC of 27 or more characters.
        private static func discordToken(_ b: PIIBytes, at i: Int) -> Int? {
            let e1 = run(b, i, PIIASCII.isBase64URL)
            guard (23...28).contains(e1 - i), b[e1] == UInt8(ascii: ".") else { return nil }
            let e2 = run(b, e1 + 1, PIIASCII.isBase64URL)
            guard e2 - e1 - 1 == 6, b[e2] == UInt8(ascii: ".") else { return nil }
            let e3 = run(b, e2 + 1, PIIASCII.isBase64URL)
            guard e3 - e2 - 1 >= 27, hasDigit(b, i, e1) else { return nil }
            return e3
        }

        /// Azure AD (Entra ID) client secret, anchored at its `~`: three characters, a digit,
        /// `Q~`, then 31–34 characters of `A–Z a–z 0–9 _ ~ . -`.
        static func matchAzureClientSecret(_ b: PIIBytes, tilde t: Int) -> PIISpan? {
            guard b[t - 1] == UInt8(ascii: "Q"), PIIASCII.isDigit(b[t - 2]) else { return nil }
            let s = t - 5
            guard s >= 0 else { return nil }
            for k in s..<(t - 2) where !isSecretChar(b[k]) { return nil }
            if isSecretChar(b[s - 1]) { return nil }
            var e = t + 1
            while e - t <= 40 && isSecretChar(b[e]) { e += 1 }
            guard (31...34).contains(e - t - 1) else { return nil }
            return PIISpan(s, e, .apiKey)
        }

        @inline(__always) private static func isSecretChar(_ c: UInt8) -> Bool {
            PIIASCII.isBase64URL(c) || c == UInt8(ascii: "~") || c == UInt8(ascii: ".")
        }

        @inline(__always) private static func run(_ b: PIIBytes, _ start: Int, _ pred: (UInt8) -> Bool) -> Int {
            var p = start
            while p - start < 512 && pred(b[p]) { p += 1 }
            return p
        }

        @inline(__always) private static func isTokenTail(_ c: UInt8) -> Bool {
            PIIASCII.isAlnum(c) || c == UInt8(ascii: "_")
        }

        private static func hasDigit(_ b: PIIBytes, _ s: Int, _ e: Int) -> Bool {
            var k = s
            while k < e {
                if PIIASCII.isDigit(b[k]) { return true }
                k += 1
            }
            return false
        }
    }
}
