extension PIIDetectors {
    /// Secrets in the path of webhook and bot URLs, anchored at the `/` before a marker segment:
    ///
    /// - Slack `hooks.slack.com/services/T…/B…/<secret>`, `/workflows/…`, `/triggers/…`;
    /// - Discord `/api/webhooks/<id>/<token>`, Mattermost and Rocket.Chat `/hooks/<id>[/<token>]`;
    /// - Microsoft Teams `/webhookb2/<tenant>@<group>/IncomingWebhook/<id>/<owner>` and `/webhook/…`;
    /// - Telegram `api.telegram.org/bot<id>:<token>/…`;
    /// - IFTTT `/with/key/<key>`.
    ///
    /// After the marker, every path segment up to the query is replaced by one `[SECRET]`; the host
    /// and the marker stay, so the log still says which service was called.
    enum Webhook {
        static func match(_ b: PIIBytes, slash i: Int) -> PIISpan? {
            let s: Int
            switch b[i + 1] {
            case UInt8(ascii: "h"):
                guard b.matches("/hooks/", at: i) else { return nil }
                s = i + 7
            case UInt8(ascii: "s"):
                guard b.matches("/services/", at: i), PIIASCII.isUpper(b[i + 10]) else { return nil }
                s = i + 10
            case UInt8(ascii: "t"):
                guard b.matches("/triggers/", at: i), PIIASCII.isUpper(b[i + 10]) else { return nil }
                s = i + 10
            case UInt8(ascii: "w"):
                if b.matches("/webhooks/", at: i) {
                    s = i + 10
                } else if b.matches("/webhookb2/", at: i) {
                    s = i + 11
                } else if b.matches("/webhook/", at: i) {
                    s = i + 9
                } else if b.matches("/workflows/", at: i), PIIASCII.isUpper(b[i + 11]) {
                    s = i + 11
                } else if b.matches("/with/key/", at: i) {
                    s = i + 10
                } else {
                    return nil
                }
            case UInt8(ascii: "b"):
                // Telegram bot API: `/bot<digits>:<token>`.
                guard b[i + 2] == UInt8(ascii: "o"), b[i + 3] == UInt8(ascii: "t"), PIIASCII.isDigit(b[i + 4]) else {
                    return nil
                }
                let colon = b.digitRunEnd(from: i + 4)
                guard colon - i - 4 >= 5, b[colon] == UInt8(ascii: ":") else { return nil }
                var e = colon + 1
                while PIIASCII.isBase64URL(b[e]) && e - colon < 128 { e += 1 }
                guard e - colon - 1 >= 20 else { return nil }
                return PIISpan(colon + 1, e, .secret)
            default:
                return nil
            }
            var e = s
            let hi = min(b.count, s + 512)
            while e < hi && isPathByte(b[e]) { e += 1 }
            while e > s && (b[e - 1] == UInt8(ascii: "/") || b[e - 1] == UInt8(ascii: ".")) { e -= 1 }
            guard e - s >= 8, hasDigit(b, s, e) else { return nil }
            return PIISpan(s, e, .secret)
        }

        /// Bytes of a URL path (no query, fragment, quote, space or bracket).
        @inline(__always) private static func isPathByte(_ c: UInt8) -> Bool {
            PIIASCII.isBase64URL(c) || c == UInt8(ascii: "/") || c == UInt8(ascii: ".") || c == UInt8(ascii: "@")
                || c == UInt8(ascii: "~") || c == UInt8(ascii: "%") || c == UInt8(ascii: ":")
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
