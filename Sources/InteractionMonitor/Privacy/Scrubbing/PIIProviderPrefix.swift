/// One documented credential format of a SaaS or cloud provider: a fixed prefix followed by a
/// body of a known alphabet and minimum length (see ``PIIProviderPrefixes/all``).
struct PIIProviderPrefix: Sendable {
    /// The characters a credential body may contain.
    enum Body: Sendable {
        /// `A–Z a–z 0–9`.
        case alnum
        /// `A–Z a–z 0–9 _`.
        case word
        /// Base64url: `A–Z a–z 0–9 - _`.
        case base64URL
        /// Base64 with padding, and base64url: `A–Z a–z 0–9 + / = - _`.
        case base64
        /// Base64url and dots: `A–Z a–z 0–9 - _ .`.
        case dotted
        /// `A–Z a–z 0–9 -`.
        case dashed
        /// `0–9 a–f A–F`.
        case hex
        /// `a–z 0–9`.
        case lowerAlnum
        /// `A–Z 0–9`.
        case upperAlnum
        /// `A–Z a–z 0–9 $`.
        case dollar

        @inline(__always) func contains(_ c: UInt8) -> Bool {
            switch self {
            case .alnum: PIIASCII.isAlnum(c)
            case .word: PIIASCII.isAlnum(c) || c == UInt8(ascii: "_")
            case .base64URL: PIIASCII.isBase64URL(c)
            case .base64:
                PIIASCII.isBase64URL(c) || c == UInt8(ascii: "+") || c == UInt8(ascii: "/") || c == UInt8(ascii: "=")
            case .dotted: PIIASCII.isBase64URL(c) || c == UInt8(ascii: ".")
            case .dashed: PIIASCII.isAlnum(c) || c == UInt8(ascii: "-")
            case .hex: PIIASCII.isHex(c)
            case .lowerAlnum: PIIASCII.isLower(c) || PIIASCII.isDigit(c)
            case .upperAlnum: PIIASCII.isUpper(c) || PIIASCII.isDigit(c)
            case .dollar: PIIASCII.isAlnum(c) || c == UInt8(ascii: "$")
            }
        }
    }

    /// The provider and kind of credential, e.g. `GitHub personal access token`.
    let provider: StaticString
    /// The literal prefix, e.g. `ghp_`.
    let prefix: StaticString
    /// The alphabet of the part after the prefix.
    let body: Body
    /// The fewest body characters a credential has (shorter runs are left alone).
    let minimum: Int
    /// The most body characters a credential has; a longer run is not this credential.
    let maximum: Int
    /// Whether the body must contain a digit and (for ``Body/word``) an uppercase letter,
    /// which tells a random key from an identifier with the same prefix (`re_run_tests`).
    let requiresDigit: Bool
    /// Where the provider documents the format.
    let source: StaticString

    init(
        _ provider: StaticString, prefix: StaticString, body: Body, minimum: Int, maximum: Int,
        requiresDigit: Bool = false, source: StaticString
    ) {
        self.provider = provider
        self.prefix = prefix
        self.body = body
        self.minimum = minimum
        self.maximum = maximum
        self.requiresDigit = requiresDigit
        self.source = source
    }

    /// The end of the credential starting at `i`, or `nil` when the bytes there are not one.
    func match(_ b: PIIBytes, at i: Int) -> Int? {
        guard b.matches(prefix, at: i) else { return nil }
        let s = i + prefix.utf8CodeUnitCount
        var p = s
        var digit = false
        var upper = false
        let hi = s + maximum
        while p <= hi, body.contains(b[p]) {
            let c = b[p]
            if PIIASCII.isDigit(c) { digit = true } else if PIIASCII.isUpper(c) { upper = true }
            p += 1
        }
        // Trailing padding or separators belong to the surrounding text (`ya29.abc.` ends a sentence).
        while p > s, b[p - 1] == UInt8(ascii: ".") || b[p - 1] == UInt8(ascii: "-") { p -= 1 }
        let length = p - s
        guard length >= minimum, length <= maximum else { return nil }
        if requiresDigit && (!digit || (body == .word && !upper)) { return nil }
        return p
    }
}
