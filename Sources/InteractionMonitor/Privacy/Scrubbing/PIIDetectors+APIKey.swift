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
                if b[i] == UInt8(ascii: "A") && b[i + 1] == UInt8(ascii: "C"),
                    let pair = twilioAuthTokenEnd(b, after: end)
                {
                    return PIISpan(i, pair, .apiKey)
                }
                return PIISpan(i, end, .apiKey)
            }
            return nil
        }

        /// Twilio's helper libraries take the Account SID and the auth token together,
        /// `Client("AC…", "<32 hex>")`: when a quoted SID is followed by a quoted 32-digit hex
        /// string, the span runs to the end of that token.
        private static func twilioAuthTokenEnd(_ b: PIIBytes, after end: Int) -> Int? {
            let quote = b[end]
            guard quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'"), b[end + 1] == UInt8(ascii: ",") else {
                return nil
            }
            var p = end + 2
            while b[p] == UInt8(ascii: " ") && p < end + 4 { p += 1 }
            guard b[p] == quote else { return nil }
            let e = run(b, p + 1, PIIASCII.isHex)
            return e - p - 1 == 32 && b[e] == quote ? e : nil
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

        /// Telegram bot token, `<bot id>:<secret>` (`110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw`, the
        /// shape BotFather hands out): 6–10 digits, `:`, then 30–45 base64url characters with upper- and
        /// lowercase letters and a digit. `colon` is the index of the `:`.
        static func matchTelegramBotToken(_ b: PIIBytes, at i: Int, colon: Int) -> PIISpan? {
            let e = run(b, colon + 1, PIIASCII.isBase64URL)
            guard (30...45).contains(e - colon - 1), !isTokenTail(b[e]) else { return nil }
            var upper = false
            var lower = false
            var digit = false
            for k in (colon + 1)..<e {
                let c = b[k]
                if PIIASCII.isUpper(c) {
                    upper = true
                } else if PIIASCII.isLower(c) {
                    lower = true
                } else if PIIASCII.isDigit(c) {
                    digit = true
                }
            }
            return upper && lower && digit ? PIISpan(i, e, .apiKey) : nil
        }

        /// HCP Terraform (Terraform Cloud) API token: 14 characters, `.atlasv1.`, then 60 or more
        /// (see "API Tokens" in the HCP Terraform documentation).
        static func matchTerraformToken(_ b: PIIBytes, at i: Int) -> PIISpan? {
            guard b.matches(".atlasv1.", at: i + 14) else { return nil }
            let e = run(b, i + 23, PIIASCII.isBase64URL)
            guard e - i - 23 >= 60 else { return nil }
            return PIISpan(i, e, .apiKey)
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
