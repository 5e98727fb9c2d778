extension PIIDetectors {
    /// IBANs: country code, two check digits and the BBAN, compact or grouped by four
    /// with single spaces. The registered length of the country and mod-97 are checked.
    enum IBAN {
        static func match(_ b: PIIBytes, at i: Int) -> PIISpan? {
            guard PIIASCII.isUpper(b[i]), PIIASCII.isUpper(b[i + 1]), PIIASCII.isDigit(b[i + 2]),
                PIIASCII.isDigit(b[i + 3]), let length = IBANChecksum.length(b[i], b[i + 1])
            else { return nil }
            var p = i
            var count = 0
            while count < length {
                let c = b[p]
                if PIIASCII.isUpper(c) || PIIASCII.isDigit(c) {
                    count += 1
                    p += 1
                } else if c == UInt8(ascii: " ") && count % 4 == 0
                    && (PIIASCII.isUpper(b[p + 1]) || PIIASCII.isDigit(b[p + 1]))
                {
                    p += 1
                } else {
                    return nil
                }
            }
            guard !PIIASCII.isAlnum(b[p]), b[p] != UInt8(ascii: "_"), IBANChecksum.isValid(b, from: i, to: p) else {
                return nil
            }
            return PIISpan(i, p, .iban)
        }
    }
}
