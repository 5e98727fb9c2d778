/// The single left-to-right pass that drives the detectors.
///
/// Most bytes are handled by a cheap per-byte test: runs of letters and digits are
/// read as words (dispatching on their first byte and on the byte that follows them),
/// and only a handful of punctuation bytes (`@ % : / - + (`) trigger a detector.
/// Matches are emitted in order and never overlap; the scan resumes after each match.
struct PIIScanner: ~Copyable {
    let b: PIIBytes
    /// Borrowed from the scrubber, which keeps the rules alive for the whole scan.
    unowned(unsafe) let rules: PIIKeyRules
    private(set) var spans = PIISpanList()
    private var lastEnd = 0

    /// First bytes of the credentials ``PIIDetectors/APIKey`` recognises: the first bytes of the
    /// ``PIIProviderPrefixes/all`` prefixes plus `A S M N O` (AWS, SendGrid, Discord), as a bit set of
    /// the bytes 64–127 (every such byte is a letter). A constant, so the per-word test is a shift and a
    /// mask; a test checks it against the prefix table.
    static let credentialFirstBytes: UInt64 = 0x039d_f9de_0009_f3ea

    /// Whether a credential recognised by ``PIIDetectors/APIKey`` can start with `c`.
    @inline(__always) static func startsCredential(_ c: UInt8) -> Bool {
        c &>> 6 == 1 && (credentialFirstBytes &>> UInt64(c & 63)) & 1 != 0
    }

    /// The bytes that may continue a credential after its first run of letters and digits.
    @inline(__always) static func continuesCredential(_ c: UInt8) -> Bool {
        c == UInt8(ascii: "_") || c == UInt8(ascii: "-") || c == UInt8(ascii: ".") || c == UInt8(ascii: "+")
            || c == UInt8(ascii: "/") || c == UInt8(ascii: "=") || c == UInt8(ascii: "$")
    }

    /// True for a text of fewer than 15 bytes, all ASCII letters or `_` (`region`, `dry_run`, `ops`):
    /// most metadata keys and many values. No detector can match such a text: every match needs a
    /// digit, punctuation other than `_`, a space, or a run of 15 or more credential characters.
    /// (DEL, a boundary to every detector, is accepted too.)
    ///
    /// The bytes are tested eight at a time: two overlapping loads cover 8–14 bytes, two 4-byte
    /// loads 4–7, and the first, middle and last byte 1–3, so no load leaves the buffer.
    @inline(__always) static func isShortWord(_ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = buffer.count
        guard n < 15, n > 0, let p = buffer.baseAddress else { return false }
        let raw = UnsafeRawPointer(p)
        if n >= 8 {
            return isWordGroup(raw.loadUnaligned(as: UInt64.self))
                && isWordGroup(raw.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self))
        }
        // Unused bytes are filled with `a`.
        let word: UInt64
        if n >= 4 {
            word = UInt64(raw.loadUnaligned(as: UInt32.self))
                | UInt64(raw.loadUnaligned(fromByteOffset: n &- 4, as: UInt32.self)) &<< 32
        } else {
            word = UInt64(p[0]) | UInt64(p[n &>> 1]) &<< 8 | UInt64(p[n &- 1]) &<< 16 | 0x6161_6161_6100_0000
        }
        return isWordGroup(word)
    }

    /// True when each of the eight bytes of `x` is an ASCII letter, `_` or DEL.
    @inline(__always) private static func isWordGroup(_ x: UInt64) -> Bool {
        let high: UInt64 = 0x8080_8080_8080_8080
        guard x & high == 0 else { return false }
        // Each byte is now < 0x80, and its lowercase `y` too, so adding less than 0x80 to a byte never
        // carries into the next: the high bit of `y + (0x80 - k)` tells whether the byte is ≥ k.
        let y = x | 0x2020_2020_2020_2020
        let atLeastA = y &+ 0x1F1F_1F1F_1F1F_1F1F  // y ≥ 0x61 `a`
        let pastZ = y &+ 0x0505_0505_0505_0505  // y ≥ 0x7B, past `z`
        let underscore = y &+ 0x0101_0101_0101_0101  // y = 0x7F: `_` (0x5F) or DEL
        return atLeastA & (~pastZ | underscore) & high == high
    }

    /// Whether percent-encoded values are decoded and scanned again (off inside such a scan).
    let decodesPercent: Bool

    init(bytes: PIIBytes, rules: PIIKeyRules, decodesPercent: Bool = true) {
        self.b = bytes
        self.rules = rules
        self.decodesPercent = decodesPercent
    }

    private mutating func emit(_ span: PIISpan) -> Int {
        spans.append(span)
        lastEnd = span.end
        return span.end
    }

    mutating func run() {
        let n = b.count
        let base = b.base
        var i = 0
        while i < n {
            let c = base[i]
            if PIIASCII.isAlnum(c) {
                i = word(at: i)
                continue
            }
            var found: PIISpan?
            switch c {
            case UInt8(ascii: "@"):
                found = PIIDetectors.Email.match(b, at: i, atLength: 1, floor: lastEnd)
            case UInt8(ascii: "%"):
                if b[i + 1] == UInt8(ascii: "4") && b[i + 2] == UInt8(ascii: "0") {
                    found = PIIDetectors.Email.match(b, at: i, atLength: 3, floor: lastEnd)
                }
                if found == nil, decodesPercent, PIIASCII.isHex(b[i + 1]), PIIASCII.isHex(b[i + 2]) {
                    found = PIIDetectors.PercentEncoded.match(b, at: i, floor: lastEnd, rules: rules)
                }
            case UInt8(ascii: ":"):
                let next = b[i + 1]
                if next == UInt8(ascii: "/") {
                    found = PIIDetectors.URLCredentials.match(b, colon: i)
                } else if next == UInt8(ascii: ":") {
                    let prev = b[i - 1]
                    if !PIIASCII.isIdent(prev) && prev != UInt8(ascii: ":") {
                        found = PIIDetectors.IPv6.match(b, at: i)
                    }
                } else if PIIASCII.isDigit(next) || next == UInt8(ascii: "*") {
                    found = PIIDetectors.CredentialFile.matchPgpass(b, colon: i, floor: lastEnd)
                }
            case UInt8(ascii: "/"):
                let next = b[i + 1]
                if next == UInt8(ascii: "h") || next == UInt8(ascii: "U") {
                    found = PIIDetectors.HomePath.matchSlash(b, at: i)
                }
                if found == nil, next == UInt8(ascii: "h") || next == UInt8(ascii: "s") || next == UInt8(ascii: "t")
                    || next == UInt8(ascii: "w") || next == UInt8(ascii: "b")
                {
                    found = PIIDetectors.Webhook.match(b, slash: i)
                }
            case UInt8(ascii: "-"):
                let next = b[i + 1]
                if next == UInt8(ascii: "-") {
                    found = PIIDetectors.PrivateKey.match(b, at: i)
                } else if PIIASCII.isAlpha(next), !PIIASCII.isAlnum(b[i - 1]), b[i - 1] != UInt8(ascii: "-") {
                    found = PIIDetectors.CommandLine.matchShortOption(b, dash: i)
                }
            case UInt8(ascii: "+"):
                found = PIIDetectors.Phone.matchPlus(b, at: i)
            case UInt8(ascii: "("):
                found = PIIDetectors.Phone.matchParen(b, at: i)
            case UInt8(ascii: "~"):
                found = PIIDetectors.APIKey.matchAzureClientSecret(b, tilde: i)
            default:
                break
            }
            if let span = found, span.start >= lastEnd {
                i = emit(span)
            } else {
                i += 1
            }
        }
    }

    /// Handles the word starting at `i` (an ASCII letter or digit preceded by a non-alphanumeric
    /// byte) and returns where scanning continues.
    private mutating func word(at i: Int) -> Int {
        let c = b[i]
        let prev = b[i - 1]
        // A word glued to a previous token by `.`, `-` or `_` (`1.2.3`, `ERR-5001`, `550e8400-e29b`)
        // continues that token and cannot start a number, address or key.
        // A token right after a replaced span is not a continuation (`10.0.0.1-10.0.0.255`).
        let continuation =
            (prev == UInt8(ascii: ".") || prev == UInt8(ascii: "-") || prev == UInt8(ascii: "_"))
            && PIIASCII.isAlnum(b[i - 2]) && (lastEnd == 0 || lastEnd != i - 1)
        if PIIASCII.isDigit(c) {
            let digitEnd = b.digitRunEnd(from: i &+ 1)
            let runEnd = b.alnumRunEnd(from: digitEnd)
            if continuation { return runEnd }
            if let span = Self.numeric(b, at: i, digitEnd: digitEnd, runEnd: runEnd) { return emit(span) }
            return runEnd
        }
        let runEnd = b.alnumRunEnd(from: i &+ 1)
        if runEnd &- i == 2 && (c | 0x20) == UInt8(ascii: "a"),
            let span = PIIDetectors.ObfuscatedEmail.match(b, at: i, floor: lastEnd)
        {
            return emit(span)
        }
        let j = b.identRunEnd(from: runEnd)
        if !continuation, let span = Self.letterStart(b, at: i, runEnd: runEnd, identEnd: j) { return emit(span) }
        // Leading underscores belong to the key (`_session_id`, `__Host-session`).
        var keyStart = i
        while b[keyStart - 1] == UInt8(ascii: "_") && keyStart > lastEnd { keyStart -= 1 }
        if Self.mayStartValue(b, keyStart: keyStart, keyEnd: j),
            let span = PIIDetectors.KeyValue.match(b, keyStart: keyStart, keyEnd: j, rules: rules)
        {
            return emit(span)
        }
        return j
    }

    /// Cheap filter before ``PIIDetectors/KeyValue``: can a value follow the key that ends at
    /// `keyEnd`? (Most words in prose are followed by a space and another word.)
    @inline(__always) private static func mayStartValue(_ b: PIIBytes, keyStart: Int, keyEnd: Int) -> Bool {
        let c = b[keyEnd]
        switch c {
        case UInt8(ascii: "="), UInt8(ascii: ":"), UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "\\"),
            UInt8(ascii: ">"):
            return true
        case UInt8(ascii: " "), UInt8(ascii: "\t"):
            var q = keyEnd &+ 1
            while b[q] == UInt8(ascii: " ") || b[q] == UInt8(ascii: "\t") { q &+= 1 }
            let n = b[q]
            return n == UInt8(ascii: "=") || n == UInt8(ascii: ":") || b[keyStart &- 1] == UInt8(ascii: "-")
                || PIIASCII.isDigit(n) || n == UInt8(ascii: "+") || n == UInt8(ascii: "(")
                || (keyEnd &- keyStart >= 5 && q == keyEnd &+ 1 && n > 0x20 && n < 0x7F)
        default:
            return false
        }
    }

    /// Detectors for a token starting with a digit.
    private static func numeric(_ b: PIIBytes, at i: Int, digitEnd: Int, runEnd: Int) -> PIISpan? {
        let length = runEnd - i
        let next = b[runEnd]
        let allDigits = digitEnd == runEnd
        if allDigits && next == UInt8(ascii: ":") && length >= 6 && length <= 10,
            let span = PIIDetectors.APIKey.matchTelegramBotToken(b, at: i, colon: runEnd)
        {
            return span
        }
        if allDigits && length <= 3 && next == UInt8(ascii: ".") {
            if let span = PIIDetectors.IPv4.match(b, at: i) { return span }
        }
        if let span = Self.hexAddress(b, at: i, length: length, next: next) { return span }
        guard allDigits else { return nil }
        if length == 3 && (next == UInt8(ascii: "-") || next == UInt8(ascii: " ")) {
            if let span = PIIDetectors.SSN.match(b, at: i) { return span }
        }
        if length >= 4 || next == UInt8(ascii: " ") || next == UInt8(ascii: "-") {
            if let span = PIIDetectors.Card.match(b, at: i) { return span }
        }
        return PIIDetectors.Phone.matchDigits(b, at: i, runEnd: runEnd)
    }

    /// MAC and IPv6 addresses, which may start with a digit or a hex letter.
    @inline(__always) private static func hexAddress(_ b: PIIBytes, at i: Int, length: Int, next: UInt8) -> PIISpan? {
        guard length <= 4,
            next == UInt8(ascii: ":") || next == UInt8(ascii: "-") || next == UInt8(ascii: "."),
            isHexRun(b, i, i + length), !followsHexGroup(b, i)
        else { return nil }
        if (length <= 2 && next != UInt8(ascii: ".")) || (length == 4 && next == UInt8(ascii: ".")) {
            if let span = PIIDetectors.MAC.match(b, at: i) { return span }
        }
        if next == UInt8(ascii: ":") { return PIIDetectors.IPv6.match(b, at: i) }
        return nil
    }

    /// True inside a colon-hex sequence (`…:b7:0a:3a…`): the word follows `:` and a hex group
    /// of ≤ 4 digits. Addresses are only recognised from the start of such a sequence, so the
    /// tail of a 16-group fingerprint is not mistaken for an IPv6 address. (`mac:00:1a:…` still
    /// works: `mac` is not a hex group.)
    private static func followsHexGroup(_ b: PIIBytes, _ i: Int) -> Bool {
        guard b[i - 1] == UInt8(ascii: ":") else { return false }
        var k = i - 2
        while k >= 0 && k >= i - 6 && PIIASCII.isAlnum(b[k]) {
            if !PIIASCII.isHex(b[k]) { return false }
            k -= 1
        }
        return k < i - 2 && k >= i - 6 && !PIIASCII.isAlnum(b[k])
    }

    private static func isHexRun(_ b: PIIBytes, _ s: Int, _ e: Int) -> Bool {
        var k = s
        while k < e {
            if !PIIASCII.isHex(b[k]) { return false }
            k += 1
        }
        return true
    }

    /// The length, capped at 15, of the run of credential characters (`A–Z a–z 0–9 _ - . + / = $`)
    /// that starts at `start`, whose letters and digits run up to `from`.
    @inline(__always) private static func credentialRunLength(_ b: PIIBytes, from runEnd: Int, start: Int) -> Int {
        var p = runEnd
        while p &- start < 15 {
            let c = b[p]
            guard PIIASCII.inSet(c, PIIASCII.credentialLow, PIIASCII.credentialHigh) else { break }
            p &+= 1
        }
        return min(p &- start, 15)
    }

    /// Detectors for a token starting with a letter (`runEnd` ends its alphanumeric run and
    /// `identEnd` its run of identifier bytes, `A–Z a–z 0–9 _ . -`).
    ///
    /// Each detector is guarded by a test of the word's length and of the byte after it, so an
    /// ordinary word costs a few comparisons.
    private static func letterStart(_ b: PIIBytes, at i: Int, runEnd: Int, identEnd: Int) -> PIISpan? {
        let c = b[i]
        let length = runEnd &- i
        let next = b[runEnd]
        switch c {
        case UInt8(ascii: "e"):
            if b[i &+ 1] == UInt8(ascii: "y") && b[i &+ 2] == UInt8(ascii: "J"),
                let span = PIIDetectors.JWT.match(b, at: i)
            {
                return span
            }
            if length == 4 && next == UInt8(ascii: " "),
                let span = PIIDetectors.CommandLine.matchEcho(b, at: i, wordEnd: runEnd)
            {
                return span
            }
        case UInt8(ascii: "h"):
            if length == 8 && next == UInt8(ascii: " "),
                let span = PIIDetectors.CommandLine.matchHtpasswd(b, at: i, wordEnd: runEnd)
            {
                return span
            }
        case UInt8(ascii: "p"):
            if length == 6 && next == UInt8(ascii: " "),
                let span = PIIDetectors.CommandLine.matchEcho(b, at: i, wordEnd: runEnd)
            {
                return span
            }
        case UInt8(ascii: "B"), UInt8(ascii: "b"):
            if (length == 6 || length == 5) && next == UInt8(ascii: " "),
                let span = PIIDetectors.Credential.matchScheme(b, at: i, wordEnd: runEnd)
            {
                return span
            }
        default:
            break
        }
        // Oracle tools given a logon: `sqlplus`, `sqlldr`, `exp(dp)`, `imp(dp)`, `rman`, `dgmgrl`.
        if next == UInt8(ascii: " ") && length >= 3 && length <= 7
            && (c == UInt8(ascii: "s") || c == UInt8(ascii: "e") || c == UInt8(ascii: "i") || c == UInt8(ascii: "r")
                || c == UInt8(ascii: "d")),
            let span = PIIDetectors.CommandLine.matchOracleLogon(b, at: i, wordEnd: runEnd)
        {
            return span
        }
        if length == 14 && next == UInt8(ascii: "."), let span = PIIDetectors.APIKey.matchTerraformToken(b, at: i) {
            return span
        }
        // Every recognised credential is at least 15 characters long: most words are shorter.
        // (Identifier bytes are credential bytes, so the credential run reaches at least `identEnd`.)
        if identEnd &- i >= 15 || Self.continuesCredential(b[identEnd]), Self.startsCredential(c),
            credentialRunLength(b, from: identEnd, start: i) >= 15, let span = PIIDetectors.APIKey.match(b, at: i)
        {
            return span
        }
        if length == 1 && next == UInt8(ascii: ":") {
            if let span = PIIDetectors.HomePath.matchDrive(b, at: i) { return span }
        }
        if length >= 4 && PIIASCII.isUpper(c) && PIIASCII.isUpper(b[i &+ 1]) && PIIASCII.isDigit(b[i &+ 2]) {
            if let span = PIIDetectors.IBAN.match(b, at: i) { return span }
        }
        if length <= 4 && (next == UInt8(ascii: ":") || next == UInt8(ascii: "-") || next == UInt8(ascii: ".")) {
            return Self.hexAddress(b, at: i, length: length, next: next)
        }
        return nil
    }
}
