extension PIIDetectors {
    /// US social security numbers `AAA-GG-SSSS` or `AAA GG SSSS`. Numbers that can never
    /// be issued are rejected: area 000, 666 or 900–999, group 00, serial 0000.
    enum SSN {
        static func match(_ b: PIIBytes, at i: Int) -> PIISpan? {
            let sep = b[i + 3]
            guard sep == UInt8(ascii: "-") || sep == UInt8(ascii: " "), b[i + 6] == sep,
                let area = number(b, i, 3), let group = number(b, i + 4, 2), let serial = number(b, i + 7, 4)
            else { return nil }
            let e = i + 11
            let c = b[e]
            guard !PIIASCII.isAlnum(c), c != UInt8(ascii: "_"),
                !((c == sep || c == UInt8(ascii: "-") || c == UInt8(ascii: ".")) && PIIASCII.isDigit(b[e + 1])),
                isValid(area: area, group: group, serial: serial)
            else { return nil }
            return PIISpan(i, e, .ssn)
        }

        static func isValid(area: Int, group: Int, serial: Int) -> Bool {
            area != 0 && area != 666 && area < 900 && group != 0 && serial != 0
        }

        /// The value of exactly `count` ASCII digits at `s`, or `nil`.
        static func number(_ b: PIIBytes, _ s: Int, _ count: Int) -> Int? {
            var v = 0
            for k in 0..<count {
                let c = b[s + k]
                guard PIIASCII.isDigit(c) else { return nil }
                v = v * 10 + Int(c &- 0x30)
            }
            return v
        }
    }
}
