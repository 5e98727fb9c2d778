extension PIIDetectors {
    /// Well-known key formats with a recognisable prefix: AWS access key ids (`AKIA`/`ASIA`),
    /// GitHub (`ghp_ gho_ ghu_ ghs_ ghr_ github_pat_`), GitLab (`glpat-`), Slack (`xox?-`),
    /// Stripe (`sk_/rk_/pk_` + `live_`/`test_`, webhook `whsec_`), OpenAI-style `sk-…`,
    /// npm (`npm_`), SendGrid (`SG.….…`) and Google API keys (`AIza`).
    enum APIKey {
        static func match(_ b: PIIBytes, at i: Int) -> PIISpan? {
            switch b[i] {
            case UInt8(ascii: "A"):
                if b.matches("AKIA", at: i) || b.matches("ASIA", at: i) {
                    let e = run(b, i + 4) { PIIASCII.isUpper($0) || PIIASCII.isDigit($0) }
                    if e - (i + 4) == 16 && !PIIASCII.isAlnum(b[e]) { return PIISpan(i, e, .apiKey) }
                } else if b.matches("AIza", at: i) {
                    let e = run(b, i + 4, PIIASCII.isBase64URL)
                    if (30...45).contains(e - i - 4) { return PIISpan(i, e, .apiKey) }
                }
            case UInt8(ascii: "g"):
                if b.matches("gh", at: i) && b[i + 3] == UInt8(ascii: "_") {
                    switch b[i + 2] {
                    case UInt8(ascii: "p"), UInt8(ascii: "o"), UInt8(ascii: "u"), UInt8(ascii: "s"), UInt8(ascii: "r"):
                        let e = run(b, i + 4, PIIASCII.isAlnum)
                        if e - i - 4 >= 30 && !isTokenTail(b[e]) { return PIISpan(i, e, .apiKey) }
                    default:
                        break
                    }
                } else if b.matches("github_pat_", at: i) {
                    let e = run(b, i + 11) { PIIASCII.isAlnum($0) || $0 == UInt8(ascii: "_") }
                    if e - i - 11 >= 22 { return PIISpan(i, e, .apiKey) }
                } else if b.matches("glpat-", at: i) {
                    let e = run(b, i + 6, PIIASCII.isBase64URL)
                    if e - i - 6 >= 20 { return PIISpan(i, e, .apiKey) }
                }
            case UInt8(ascii: "x"):
                if b.matches("xox", at: i) && b[i + 4] == UInt8(ascii: "-") {
                    switch b[i + 3] {
                    case UInt8(ascii: "a"), UInt8(ascii: "b"), UInt8(ascii: "p"), UInt8(ascii: "o"), UInt8(ascii: "s"),
                        UInt8(ascii: "r"):
                        let e = run(b, i + 5) { PIIASCII.isAlnum($0) || $0 == UInt8(ascii: "-") }
                        if e - i - 5 >= 10 { return PIISpan(i, e, .apiKey) }
                    default:
                        break
                    }
                }
            case UInt8(ascii: "s"), UInt8(ascii: "r"), UInt8(ascii: "p"):
                if b[i + 1] == UInt8(ascii: "k") && b[i + 2] == UInt8(ascii: "_")
                    && (b.matches("live_", at: i + 3) || b.matches("test_", at: i + 3))
                {
                    let e = run(b, i + 8, PIIASCII.isAlnum)
                    if e - i - 8 >= 10 && !isTokenTail(b[e]) { return PIISpan(i, e, .apiKey) }
                } else if b[i] == UInt8(ascii: "s") && b[i + 1] == UInt8(ascii: "k") && b[i + 2] == UInt8(ascii: "-") {
                    let e = run(b, i + 3, PIIASCII.isBase64URL)
                    if e - i - 3 >= 32 && hasDigit(b, i + 3, e) { return PIISpan(i, e, .apiKey) }
                }
            case UInt8(ascii: "w"):
                if b.matches("whsec_", at: i) {
                    let e = run(b, i + 6, PIIASCII.isAlnum)
                    if e - i - 6 >= 20 && !isTokenTail(b[e]) { return PIISpan(i, e, .apiKey) }
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
            case UInt8(ascii: "n"):
                if b.matches("npm_", at: i) {
                    let e = run(b, i + 4, PIIASCII.isAlnum)
                    if e - i - 4 >= 30 && !isTokenTail(b[e]) { return PIISpan(i, e, .apiKey) }
                }
            default:
                break
            }
            return nil
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
