extension PIIDetectors {
    /// Secret-looking `key=value` / `key: value` pairs in free text, JSON, YAML, query
    /// strings, headers and command lines (`--password value`). The key and separator are
    /// kept; only the value is replaced.
    enum KeyValue {
        /// `keyStart..<keyEnd` is an identifier the scanner has just read.
        static func match(_ b: PIIBytes, keyStart: Int, keyEnd: Int, rules: PIIKeyRules) -> PIISpan? {
            // `pam_unix(passwd:chauthtok)`: a PAM module's service and management group, not a value.
            if b[keyStart - 1] == UInt8(ascii: "(") && isPAMModule(b, before: keyStart - 1) { return nil }
            var p = keyEnd
            var c = b[p]
            var quotedKey = false
            switch c {
            case UInt8(ascii: "="), UInt8(ascii: ":"), UInt8(ascii: " "), UInt8(ascii: "\t"):
                break
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                quotedKey = true
                p += 1
            case UInt8(ascii: "\\"):
                guard b[p + 1] == UInt8(ascii: "\"") || b[p + 1] == UInt8(ascii: "'") else { return nil }
                quotedKey = true
                p += 2
            case UInt8(ascii: ">"):
                return xmlElement(b, keyStart: keyStart, keyEnd: keyEnd, rules: rules)
            default:
                return nil
            }
            let afterKey = p
            while b[p] == UInt8(ascii: " ") || b[p] == UInt8(ascii: "\t") { p += 1 }
            c = b[p]
            var colon = false
            if c == UInt8(ascii: "=") {
                let n = b[p + 1]
                if n == UInt8(ascii: "=") || n == UInt8(ascii: "~") { return nil }
                p += 1
                if b[p] == UInt8(ascii: ">") { p += 1 }
            } else if c == UInt8(ascii: ":") {
                let n = b[p + 1]
                if n == UInt8(ascii: ":") || n == UInt8(ascii: "/") { return nil }
                p += 1
                if b[p] == UInt8(ascii: "=") { p += 1 }
                colon = true
            } else if quotedKey && c == UInt8(ascii: ","), let kind = rules.classify(b, keyStart, keyEnd),
                kind == .secret || kind == .weakSecret
            {
                return namedValue(b, keyStart: keyStart, keyEnd: keyEnd, after: p)
            } else if quotedKey || p == afterKey || c == 0 || PIIASCII.isSpace(c) {
                return nil
            } else if p == afterKey + 1 && b[keyStart - 1] == UInt8(ascii: "-") {
                // Command-line option with a separate value: `--password hunter2`, `-storepass x`, `curl -u user:pw`.
                if let span = userOption(b, keyStart: keyStart, keyEnd: keyEnd, value: p) { return span }
                guard b[keyStart - 2] == UInt8(ascii: "-") || keyEnd - keyStart >= 4, c != UInt8(ascii: "-"),
                    let kind = rules.classify(b, keyStart, keyEnd), !isProseWord(b, at: p)
                else { return nil }
                return value(b, kind: kind, at: p, spaced: false)
            } else if PIIASCII.isDigit(c) || c == UInt8(ascii: "+") || c == UInt8(ascii: "(") {
                // `SSN 123456789`, `Phone +1 202 555 0143`: only number-shaped kinds without a separator.
                // A key of several words ends in `number`/`no`/`id`: `Social Security Number 0825…`.
                let wordsStart = spacedKeyStart(b, keyStart: keyStart, keyEnd: keyEnd)
                if let kind = rules.classify(b, keyStart, keyEnd)
                    ?? (wordsStart < keyStart ? rules.classify(b, wordsStart, keyEnd) : nil)
                {
                    if case .personal = kind { return value(b, kind: kind, at: p, spaced: true) }
                    if kind == .phone || kind == .ssn { return value(b, kind: kind, at: p, spaced: true) }
                    return spacedValue(b, kind: kind, at: p)
                }
                return nil
            } else if p == afterKey + 1, !isFileName(b, keyStart: keyStart),
                let kind = rules.classify(b, keyStart, keyEnd)
            {
                // A value given as the next word: `aws configure set aws_secret_access_key V`,
                // `mysqladmin password V`, `.netrc`'s `login alice password V`.
                return spacedValue(b, kind: kind, at: p)
            } else {
                return nil
            }
            let spaced = colon && (b[p] == UInt8(ascii: " ") || b[p] == UInt8(ascii: "\t"))
            while b[p] == UInt8(ascii: " ") || b[p] == UInt8(ascii: "\t") { p += 1 }
            if b[keyStart - 1] == UInt8(ascii: "-"), let span = userOption(b, keyStart: keyStart, keyEnd: keyEnd, value: p) {
                return span
            }
            guard let kind = rules.classify(b, keyStart, keyEnd) else { return nil }
            return value(b, kind: kind, at: p, spaced: spaced)
        }

        /// The start of a key of up to four words separated by single spaces (`Social Security Number`,
        /// `passport no`) that ends with the word `keyStart..<keyEnd`, when that word is `number`, `no`,
        /// `nr` or `id`; otherwise `keyStart`.
        private static func spacedKeyStart(_ b: PIIBytes, keyStart: Int, keyEnd: Int) -> Int {
            let length = keyEnd - keyStart
            guard (length == 6 && b.matchesCaseInsensitive("number", at: keyStart))
                    || (length == 2 && (b.matchesCaseInsensitive("no", at: keyStart)
                        || b.matchesCaseInsensitive("nr", at: keyStart)
                        || b.matchesCaseInsensitive("id", at: keyStart)))
            else { return keyStart }
            var s = keyStart
            var words = 1
            while words < 4 && b[s - 1] == UInt8(ascii: " ") && PIIASCII.isAlpha(b[s - 2]) {
                var w = s - 1
                while w > 0 && PIIASCII.isAlpha(b[w - 1]) { w -= 1 }
                s = w
                words += 1
            }
            return s
        }

        /// A secret given as the next word without `=` or `:`. Only credential-shaped values count
        /// (`password updated successfully` and `token expired` stay).
        private static func spacedValue(_ b: PIIBytes, kind: PIIKeyClassifier.Kind, at start: Int) -> PIISpan? {
            switch kind {
            case .secret, .awsSecret:
                // Prose between the name and the value: `the PHPSESSID cookie value 9ru…`,
                // `laravel_session (was eyJ…)`, `password is S3cret!`.
                var p = start
                var opened = false
                for _ in 0..<2 {
                    var q = p
                    if b[q] == UInt8(ascii: "(") {
                        q += 1
                        opened = true
                    }
                    let e = b.alnumRunEnd(from: q)
                    guard b[e] == UInt8(ascii: " "), isConnector(b, q, e) else { break }
                    p = e + 1
                    while b[p] == UInt8(ascii: " ") { p += 1 }
                }
                let c = b[p]
                if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                    let e = quotedEnd(b, from: p + 1, quote: c, escaped: false)
                    guard e > p + 1, !isInert(b, p + 1, e) else { return nil }
                    return PIISpan(p + 1, e, kind == .awsSecret ? .apiKey : .secret)
                }
                guard let span = CommandLine.argument(b, at: p) else { return nil }
                var e = span.end
                // Sentence punctuation ends the word: `Password changed.`
                while e > span.start && (b[e - 1] == UInt8(ascii: ".") || b[e - 1] == UInt8(ascii: ",")) { e -= 1 }
                if opened && b[e - 1] == UInt8(ascii: ")") { e -= 1 }
                guard Credential.looksLikeCredential(b, span.start, e), b[e - 1] != UInt8(ascii: ":") else { return nil }
                return PIISpan(span.start, e, kind == .awsSecret ? .apiKey : .secret)
            default:
                return nil
            }
        }

        /// A word that ends a file path (`/etc/nginx/.htpasswd alice`, `~/.pgpass`) names a file, not
        /// a secret followed by its value.
        private static func isFileName(_ b: PIIBytes, keyStart: Int) -> Bool {
            let before = b[keyStart - 1]
            return before == UInt8(ascii: "/") || (before == UInt8(ascii: ".") && b[keyStart - 2] == UInt8(ascii: "/"))
        }

        /// True when the word that ends at `end` starts with `pam_` (`pam_unix`, `pam_sss`).
        private static func isPAMModule(_ b: PIIBytes, before end: Int) -> Bool {
            var s = end
            while s > end - 32 && (PIIASCII.isAlnum(b[s - 1]) || b[s - 1] == UInt8(ascii: "_")) { s -= 1 }
            return end - s > 4 && b.matches("pam_", at: s)
        }

        /// Words that join a secret's name to its value in prose.
        private static func isConnector(_ b: PIIBytes, _ s: Int, _ e: Int) -> Bool {
            switch e - s {
            case 2: b.matchesCaseInsensitive("is", at: s)
            case 3: b.matchesCaseInsensitive("was", at: s)
            case 5: b.matchesCaseInsensitive("value", at: s)
            case 6: b.matchesCaseInsensitive("cookie", at: s)
            default: false
            }
        }

        /// HAR and cookie-jar JSON: `"name": "_session_id", "value": "…"` — the name is a quoted
        /// secret-named string, the secret is the following `value` member.
        private static func namedValue(_ b: PIIBytes, keyStart: Int, keyEnd: Int, after comma: Int) -> PIISpan? {
            // Before: `name` + quote + `:` + optional space + quote.
            var k = keyStart - 1
            let quote = b[k]
            guard quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else { return nil }
            k -= 1
            while b[k] == UInt8(ascii: " ") { k -= 1 }
            guard b[k] == UInt8(ascii: ":"), b[k - 1] == quote, b.matches("name", at: k - 5) else { return nil }
            // After: `, "value": "…"`.
            var p = comma + 1
            while b[p] == UInt8(ascii: " ") { p += 1 }
            guard b[p] == quote, b.matches("value", at: p + 1), b[p + 6] == quote else { return nil }
            p += 7
            while b[p] == UInt8(ascii: " ") { p += 1 }
            guard b[p] == UInt8(ascii: ":") else { return nil }
            p += 1
            while b[p] == UInt8(ascii: " ") { p += 1 }
            guard b[p] == quote else { return nil }
            let e = quotedEnd(b, from: p + 1, quote: quote, escaped: false)
            guard e > p + 1, !isInert(b, p + 1, e) else { return nil }
            return PIISpan(p + 1, e, .secret)
        }

        /// Words that follow an option name in prose (`Using --password via the CLI is insecure`).
        private static func isProseWord(_ b: PIIBytes, at p: Int) -> Bool {
            let e = b.alnumRunEnd(from: p)
            guard e - p <= 7, b[e] == UInt8(ascii: " ") || b[e] == 0 || b[e] == UInt8(ascii: ".") else { return false }
            for w: StaticString in ["via", "is", "on", "the", "and", "or", "from", "with", "for", "in", "at", "was",
                "flag", "option", "instead", "not", "must", "should", "can", "will", "are", "to", "of", "as", "has",
                "have", "if", "when", "only", "be"]
            where e - p == w.utf8CodeUnitCount && b.matchesCaseInsensitive(w, at: p) {
                return true
            }
            return false
        }

        /// `-u user:password` / `--user user:password` (curl, wget, httpie): the whole
        /// `user:password` is replaced by `[CREDENTIALS]`.
        private static func userOption(_ b: PIIBytes, keyStart: Int, keyEnd: Int, value p: Int) -> PIISpan? {
            let length = keyEnd - keyStart
            guard (length == 1 && b[keyStart] == UInt8(ascii: "u") && b[keyStart - 2] != UInt8(ascii: "-"))
                || (length == 4 && b.matches("user", at: keyStart) && b[keyStart - 2] == UInt8(ascii: "-"))
            else { return nil }
            var s = p
            var quote: UInt8 = 0
            if b[s] == UInt8(ascii: "\"") || b[s] == UInt8(ascii: "'") {
                quote = b[s]
                s += 1
            }
            var e = s
            var colon = -1
            while e - s < 512 {
                let c = b[e]
                if c == 0 || PIIASCII.isSpace(c) || (quote != 0 && c == quote) || (quote == 0 && (c == UInt8(ascii: "\"") || c == UInt8(ascii: "'"))) {
                    break
                }
                if c == UInt8(ascii: ":") && colon < 0 { colon = e }
                e += 1
            }
            guard colon > s, e > colon + 1 else { return nil }
            return PIISpan(s, e, .urlCredentials)
        }

        /// `<password>hunter2</password>`: the element text of a sensitive XML element.
        private static func xmlElement(_ b: PIIBytes, keyStart: Int, keyEnd: Int, rules: PIIKeyRules) -> PIISpan? {
            guard b[keyStart - 1] == UInt8(ascii: "<"), let kind = rules.classify(b, keyStart, keyEnd) else {
                return nil
            }
            let vs = keyEnd + 1
            var ve = vs
            while ve - vs < 8192 {
                let c = b[ve]
                if c == 0 || c == UInt8(ascii: "<") { break }
                ve += 1
            }
            // Element text must be closed by the same element (`<password>x</password>`), so that
            // `<username>:<password>@host` and `<your_password>;` (placeholders) stay.
            guard ve > vs, b[ve + 1] == UInt8(ascii: "/"),
                keyEnd - keyStart <= 64, closes(b, at: ve + 2, keyStart: keyStart, keyEnd: keyEnd)
            else { return nil }
            switch kind {
            case .phone: return Phone.matchValue(b, from: vs, limit: ve)
            case .ssn: return ssnValue(b, vs, ve)
            case .authorization: return Credential.matchHeaderValue(b, from: vs, limit: ve)
            case .secret, .weakSecret, .cookie, .secretUnlessPath: return isInert(b, vs, ve) ? nil : PIISpan(vs, ve, .secret)
            case .awsSecret: return isInert(b, vs, ve) ? nil : PIISpan(vs, ve, .apiKey)
            case .personal(let category): return personalValue(b, category, vs, ve)
            }
        }

        private static func value(_ b: PIIBytes, kind: PIIKeyClassifier.Kind, at p: Int, spaced: Bool) -> PIISpan? {
            let c = b[p]
            let vs: Int
            let ve: Int
            if b.matches("-----BEGIN ", at: p), kind == .secret || kind == .weakSecret || kind == .awsSecret {
                return PrivateKey.match(b, at: p)
            }
            var quoted = false
            if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                quoted = true
                vs = p + 1
                ve = quotedEnd(b, from: vs, quote: c, escaped: false)
            } else if c == UInt8(ascii: "\\") && (b[p + 1] == UInt8(ascii: "\"") || b[p + 1] == UInt8(ascii: "'")) {
                quoted = true
                vs = p + 2
                ve = quotedEnd(b, from: vs, quote: b[p + 1], escaped: true)
            } else {
                vs = p
                if isPlaceholder(b, at: vs) { return nil }
                switch kind {
                case .authorization: ve = lineEnd(b, from: vs, stopAtQuote: false)
                case .cookie: ve = lineEnd(b, from: vs, stopAtQuote: true)
                case .phone: ve = min(b.count, vs + 40)
                case .personal(.postalAddress): ve = lineEnd(b, from: vs, stopAtQuote: true)
                case .personal: ve = personalEnd(b, from: vs)
                default: ve = bareEnd(b, from: vs)
                }
            }
            guard ve > vs else { return nil }
            switch kind {
            case .authorization:
                return Credential.matchHeaderValue(b, from: vs, limit: ve)
            case .cookie:
                return Cookie.firstValue(b, from: vs, limit: ve)
            case .phone:
                return Phone.matchValue(b, from: vs, limit: ve)
            case .ssn:
                // A social security number of another country (France's 15-digit NIR) is still one.
                return ssnValue(b, vs, ve) ?? SSN.match(b, at: vs)
                    ?? personalValue(b, .identityNumber, vs, quoted ? ve : personalEnd(b, from: vs))
            case .personal(let category):
                return personalValue(b, category, vs, ve)
            case .secretUnlessPath:
                // `PWD=/home/alice/src` is the shell's working directory; `PWD=q8Zr2LmN` (ODBC) is not.
                let first = b[vs]
                if first == UInt8(ascii: "/") || first == UInt8(ascii: "~") || first == UInt8(ascii: ".")
                    || (PIIASCII.isAlpha(first) && b[vs + 1] == UInt8(ascii: ":")) || isInert(b, vs, ve)
                {
                    return nil
                }
                return PIISpan(vs, ve, .secret)
            case .secret, .awsSecret, .weakSecret:
                if isInert(b, vs, ve) { return nil }
                if !quoted {
                    // `passwd: password updated successfully`, `auth: password: [REDACTED]`: a label or
                    // the start of a sentence, not a value.
                    if b[ve - 1] == UInt8(ascii: ":") || (spaced && isProse(b, vs, ve)) { return nil }
                    if kind == .weakSecret && spaced
                        && (!Credential.looksLikeCredential(b, vs, ve) || b[ve] == UInt8(ascii: " "))
                    {
                        return nil
                    }
                }
                return PIISpan(vs, ve, kind == .awsSecret ? .apiKey : .secret)
            }
        }

        private static func closes(_ b: PIIBytes, at p: Int, keyStart: Int, keyEnd: Int) -> Bool {
            for k in 0..<(keyEnd - keyStart) where b[p + k] != b[keyStart + k] { return false }
            return b[p + keyEnd - keyStart] == UInt8(ascii: ">")
        }

        /// The value of a personal field, unless it is empty, a placeholder or (for locations) not numeric.
        private static func personalValue(_ b: PIIBytes, _ category: PIICategory, _ s: Int, _ e: Int) -> PIISpan? {
            var e = e
            while e > s && (PIIASCII.isSpace(b[e - 1]) || b[e - 1] == UInt8(ascii: ",")) { e -= 1 }
            // A bracketed list (`[18.0416338, 59.3078856]`, GeoJSON) is judged by its contents.
            let bracketed = e - s > 2 && b[s] == UInt8(ascii: "[") && b[e - 1] == UInt8(ascii: "]")
            guard e > s, !(bracketed ? isInert(b, s + 1, e - 1) : isInert(b, s, e)) else { return nil }
            var digits = 0
            var k = s
            while k < e {
                if PIIASCII.isDigit(b[k]) { digits += 1 }
                k += 1
            }
            // A null advertising id (`00000000-0000-…`, tracking limited) or a pointer (`address=0x1`).
            if digits == e - s - countDashes(b, s, e) && allZero(b, s, e) { return nil }
            if b[s] == UInt8(ascii: "0") && (b[s + 1] == UInt8(ascii: "x") || b[s + 1] == UInt8(ascii: "X")) { return nil }
            switch category {
            case .geolocation:
                // A position is a decimal coordinate (`52.5200`); `location: /api/v1` (a header),
                // `position: 3` and `storage_location: eu-2` are not.
                guard digits >= 2, hasDecimalFraction(b, s, e) else { return nil }
            case .birthDate, .identityNumber, .deviceID:
                // `position: top`, `passport: pending`: not a person's data.
                guard digits >= 2 else { return nil }
            default:
                guard e - s >= 3 else { return nil }
            }
            return PIISpan(s, e, category)
        }

        /// True when a digit, `.` and a digit occur in a row in `s..<e`.
        private static func hasDecimalFraction(_ b: PIIBytes, _ s: Int, _ e: Int) -> Bool {
            var k = s + 1
            while k + 1 < e {
                if b[k] == UInt8(ascii: ".") && PIIASCII.isDigit(b[k - 1]) && PIIASCII.isDigit(b[k + 1]) { return true }
                k += 1
            }
            return false
        }

        private static func countDashes(_ b: PIIBytes, _ s: Int, _ e: Int) -> Int {
            var n = 0
            for k in s..<e where b[k] == UInt8(ascii: "-") { n += 1 }
            return n
        }

        private static func allZero(_ b: PIIBytes, _ s: Int, _ e: Int) -> Bool {
            for k in s..<e where b[k] != UInt8(ascii: "0") && b[k] != UInt8(ascii: "-") { return false }
            return true
        }

        /// End of an unquoted personal value: numbers and ids may hold single spaces, `,` and `;`
        /// (`35 230497 670489 0`, `-33.8126582;151.2497303`, `[18.04, 59.30]`, `AB 12 34 56 C`).
        private static func personalEnd(_ b: PIIBytes, from s: Int) -> Int {
            var p = s
            let hi = min(b.count, s + 128)
            if b[p] == UInt8(ascii: "[") { p += 1 }
            while p < hi {
                let c = b[p]
                if PIIASCII.isAlnum(c) || c == UInt8(ascii: "-") || c == UInt8(ascii: ".") || c == UInt8(ascii: "/")
                    || c == UInt8(ascii: "+")
                {
                    p += 1
                } else if (c == UInt8(ascii: " ") || c == UInt8(ascii: ",") || c == UInt8(ascii: ";"))
                    && (PIIASCII.isDigit(b[p + 1]) || b[p + 1] == UInt8(ascii: "-")
                        || (b[p + 1] == UInt8(ascii: " ") && (PIIASCII.isDigit(b[p + 2]) || b[p + 2] == UInt8(ascii: "-"))))
                {
                    p += 1
                } else if c == UInt8(ascii: " ") && PIIASCII.isUpper(b[p + 1]) && !PIIASCII.isAlpha(b[p + 2]) && p > s
                    && PIIASCII.isDigit(b[p - 1])
                {
                    p += 1
                } else {
                    break
                }
            }
            if b[s] == UInt8(ascii: "[") && b[p] == UInt8(ascii: "]") { p += 1 }
            return p
        }

        /// A bare value of letters only, followed by another word: the start of a sentence.
        private static func isProse(_ b: PIIBytes, _ s: Int, _ e: Int) -> Bool {
            var k = s
            while k < e {
                if !PIIASCII.isAlpha(b[k]) { return false }
                k += 1
            }
            return b[e] == UInt8(ascii: " ") && PIIASCII.isAlpha(b[e + 1])
        }

        /// End of a quoted value: the closing quote, a line break, or 64 KiB.
        private static func quotedEnd(_ b: PIIBytes, from s: Int, quote: UInt8, escaped: Bool) -> Int {
            var p = s
            let hi = min(b.count, s + 65_536)
            while p < hi {
                let c = b[p]
                if c == UInt8(ascii: "\n") || c == UInt8(ascii: "\r") { return p }
                if escaped {
                    if c == UInt8(ascii: "\\") && b[p + 1] == quote { return p }
                    if c == quote { return p }
                } else {
                    if c == UInt8(ascii: "\\") {
                        p += 2
                        continue
                    }
                    if c == quote { return p }
                }
                p += 1
            }
            return min(p, b.count)
        }

        /// End of an unquoted value: whitespace or a delimiter typical of the surrounding syntax.
        private static func bareEnd(_ b: PIIBytes, from s: Int) -> Int {
            var p = s
            let hi = min(b.count, s + 4096)
            while p < hi {
                switch b[p] {
                case 0, UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"),
                    UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "&"), UInt8(ascii: "\""), UInt8(ascii: "'"),
                    UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"), UInt8(ascii: "<"), UInt8(ascii: ">"),
                    UInt8(ascii: "\\"), UInt8(ascii: "|"), UInt8(ascii: "`"):
                    return p
                default:
                    p += 1
                }
            }
            return p
        }

        /// End of the line; with `stopAtQuote` also a `"` (a header line inside a JSON string).
        /// Authorization values keep quotes (`Digest username="alice", response="…"`) but
        /// stop at an escaped `\"`.
        private static func lineEnd(_ b: PIIBytes, from s: Int, stopAtQuote: Bool) -> Int {
            var p = s
            let hi = min(b.count, s + 8192)
            while p < hi {
                let c = b[p]
                if c == UInt8(ascii: "\n") || c == UInt8(ascii: "\r") || (stopAtQuote && c == UInt8(ascii: "\""))
                    || (c == UInt8(ascii: "\\") && b[p + 1] == UInt8(ascii: "\""))
                {
                    return p
                }
                p += 1
            }
            return p
        }

        /// An already-scrubbed placeholder such as `[SECRET]` or `[REDACTED]`.
        private static func isPlaceholder(_ b: PIIBytes, at s: Int) -> Bool {
            guard b[s] == UInt8(ascii: "[") else { return false }
            var p = s + 1
            while PIIASCII.isUpper(b[p]) || b[p] == UInt8(ascii: "_") { p += 1 }
            return p > s + 1 && b[p] == UInt8(ascii: "]")
        }

        /// Values that carry no secret: masks (`*****`), templates (`${DB_PASSWORD}`, `{{token}}`,
        /// `<password>`), placeholders and JSON/YAML literals (`null`, `true`, `false`, `none`).
        static func isInert(_ b: PIIBytes, _ s: Int, _ e: Int) -> Bool {
            let first = b[s]
            let last = b[e - 1]
            if (first == UInt8(ascii: "[") && last == UInt8(ascii: "]"))
                || (first == UInt8(ascii: "<") && last == UInt8(ascii: ">"))
                || (first == UInt8(ascii: "$") && b[s + 1] == UInt8(ascii: "{"))
                || (first == UInt8(ascii: "{") && b[s + 1] == UInt8(ascii: "{"))
                || (first == UInt8(ascii: "%") && b[s + 1] == UInt8(ascii: "("))
            {
                return true
            }
            // Shell and batch variables and command substitution: `$TOKEN`, `$(cat …)`, `%PGPASSWORD%`.
            if first == UInt8(ascii: "$") && (b[s + 1] == UInt8(ascii: "(") || isIdentifier(b, s + 1, e)) { return true }
            if first == UInt8(ascii: "%") && last == UInt8(ascii: "%") && e - s > 2 && isIdentifier(b, s + 1, e - 1) {
                return true
            }
            // Code reading the secret from elsewhere: `os.environ["X"]`, `env('X')`, `process.env.X`.
            if isCodeExpression(b, s, e) { return true }
            var k = s
            while k < e && (b[k] == UInt8(ascii: "*") || b[k] == UInt8(ascii: "x") || b[k] == UInt8(ascii: "X")) {
                k += 1
            }
            if k == e && (e - s >= 3 || b[s] == UInt8(ascii: "*")) { return true }
            // `-` (no value), and a documented prefix followed by a mask: `sk_live_...`, `sk-xxxxxxxx`.
            if e - s <= 2 && (first == UInt8(ascii: "-") || first == UInt8(ascii: ".")) { return true }
            var m = e
            while m > s && (b[m - 1] == UInt8(ascii: "x") || b[m - 1] == UInt8(ascii: "X") || b[m - 1] == UInt8(ascii: "*")
                || b[m - 1] == UInt8(ascii: "."))
            {
                m -= 1
            }
            if e - m >= 3 && m - s <= 8 { return true }
            // Upper-case names standing for a value: `YOUR_SECRET_KEY`, `CHANGE_ME`.
            if e - s >= 6 && isUpperName(b, s, e) { return true }
            if b.matchesCaseInsensitive("redacted", at: s) && e - s == 8 { return true }
            switch e - s {
            case 3: return b.matchesCaseInsensitive("nil", at: s)
            case 4:
                return b.matchesCaseInsensitive("null", at: s) || b.matchesCaseInsensitive("true", at: s)
                    || b.matchesCaseInsensitive("none", at: s)
            case 5: return b.matchesCaseInsensitive("false", at: s)
            case 9: return b.matchesCaseInsensitive("undefined", at: s)
            default: return false
            }
        }

        static func isUpperName(_ b: PIIBytes, _ s: Int, _ e: Int) -> Bool {
            var underscore = false
            for k in s..<e {
                let c = b[k]
                if c == UInt8(ascii: "_") { underscore = true } else if !PIIASCII.isUpper(c) { return false }
            }
            return underscore
        }

        private static func isIdentifier(_ b: PIIBytes, _ s: Int, _ e: Int) -> Bool {
            guard e > s, PIIASCII.isAlpha(b[s]) || b[s] == UInt8(ascii: "_") else { return false }
            var k = s
            while k < e {
                if !(PIIASCII.isAlnum(b[k]) || b[k] == UInt8(ascii: "_")) { return false }
                k += 1
            }
            return true
        }

        /// `os.environ["X"]`, `env('X')`, `getenv("X")`, `process.env.X`, `ENV.fetch(…)`.
        private static func isCodeExpression(_ b: PIIBytes, _ s: Int, _ e: Int) -> Bool {
            guard PIIASCII.isAlpha(b[s]) else { return false }
            var k = s
            while PIIASCII.isAlnum(b[k]) || b[k] == UInt8(ascii: "_") || b[k] == UInt8(ascii: ".") { k += 1 }
            let c = b[k]
            if (c == UInt8(ascii: "(") || c == UInt8(ascii: "["))
                && (b[k + 1] == UInt8(ascii: "\"") || b[k + 1] == UInt8(ascii: "'") || b[k + 1] == UInt8(ascii: ")"))
            {
                return true
            }
            return k - s > 12 && b.matches("process.env.", at: s)
        }

        private static func ssnValue(_ b: PIIBytes, _ s: Int, _ e: Int) -> PIISpan? {
            if e - s == 9, let area = SSN.number(b, s, 3), let group = SSN.number(b, s + 3, 2),
                let serial = SSN.number(b, s + 5, 4), SSN.isValid(area: area, group: group, serial: serial)
            {
                return PIISpan(s, e, .ssn)
            }
            return nil
        }
    }
}
