extension PIIDetectors {
    /// Payment card numbers: 13–19 digits, compact or in groups separated by single spaces
    /// or dashes, starting with a card-network prefix and passing the Luhn check.
    ///
    /// The whole run of digit groups (groups after the first have ≥ 3 digits; one kind of
    /// separator) must be the card: a 19-digit tracking number whose first 16 digits happen
    /// to pass Luhn is not a card. A short trailing group (`… 1111 12/27`) ends the run.
    /// Digits glued to letters are never considered (the scanner only calls this at the
    /// start of a token).
    enum Card {
        static func match(_ b: PIIBytes, at i: Int) -> PIISpan? {
            guard hasNetworkPrefix(b[i], b[i + 1]) else { return nil }
            var p = i
            var total = 0
            var groups = 0
            var sep: UInt8 = 0
            while true {
                let gs = p
                while PIIASCII.isDigit(b[p]) && p - gs < 20 { p += 1 }
                let length = p - gs
                total += length
                groups += 1
                guard total <= 19, length >= (groups == 1 ? 1 : 3) else { return nil }
                let c = b[p]
                if (c == UInt8(ascii: " ") || c == UInt8(ascii: "-")) && (sep == 0 || sep == c)
                    && PIIASCII.isDigit(b[p + 1]) && PIIASCII.isDigit(b[p + 2]) && PIIASCII.isDigit(b[p + 3])
                {
                    if groups == 1 && length < 4 { return nil }
                    sep = c
                    p += 1
                    continue
                }
                break
            }
            let c = b[p]
            guard total >= 13, !PIIASCII.isAlnum(c), c != UInt8(ascii: "_"), c != UInt8(ascii: "@"),
                Luhn.isValid(b, from: i, to: p)
            else { return nil }
            return PIISpan(i, p, .card)
        }

        /// Visa 4, Mastercard 51–55/22–27, Amex 34/37, Diners 30/36/38/39, JCB 35,
        /// Discover/UnionPay/Maestro 50, 56–69.
        @inline(__always) static func hasNetworkPrefix(_ d0: UInt8, _ d1: UInt8) -> Bool {
            switch d0 {
            case UInt8(ascii: "4"), UInt8(ascii: "5"), UInt8(ascii: "6"): true
            case UInt8(ascii: "3"): d1 != UInt8(ascii: "1") && d1 != UInt8(ascii: "2") && d1 != UInt8(ascii: "3")
            case UInt8(ascii: "2"): d1 >= UInt8(ascii: "2") && d1 <= UInt8(ascii: "7")
            default: false
            }
        }
    }
}
