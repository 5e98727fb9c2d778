extension PIIDetectors {
    /// Phone numbers. Recognised shapes:
    ///
    /// - international with `+` (`+44 20 7946 0958`, `+1-202-555-0143`, `+33 1 23 45 67 89`,
    ///   `+44 (0)20 7946 0958`, `(+44) 20 7946 0958`): 8–15 digits;
    /// - international with `00` (`0044 20 7946 0958`): 10–17 digits in ≥ 2 groups;
    /// - national trunk-prefixed (`020 7946 0958`, `07700 900123`, `01 23 45 67 89`,
    ///   `03-1234-5678`): starts `0[1-9]`, 9–12 digits in groups with one consistent separator,
    ///   or exactly 10–11 digits ungrouped;
    /// - North American (`(202) 555-0143`, `202-555-0143`, `202.555.0143`, `1-800-555-0199`).
    ///
    /// Plain digit strings without a leading `0`/`+` are never phones (they are ids,
    /// timestamps or amounts), except as the value of a phone-named key (`phone=2025550143`).
    /// A number followed by another digit group it cannot absorb is rejected
    /// (`07.01.2024 12:30` is a date and a time).
    enum Phone {
        struct Groups {
            var end: Int
            var digits = 0
            var groups = 0
            var firstLength = 0
            /// The scan stopped although another digit group followed (too long / separator changed).
            var truncated = false
        }

        static func scan(_ b: PIIBytes, from start: Int, maxDigits: Int, consistent: Bool) -> Groups {
            var g = Groups(end: start)
            var p = start
            var sep: UInt8 = 0
            while true {
                var q = p
                let paren = b[q] == UInt8(ascii: "(")
                if paren { q += 1 }
                let gs = q
                while PIIASCII.isDigit(b[q]) && q - gs <= maxDigits { q += 1 }
                let length = q - gs
                if length == 0 { break }
                if paren {
                    guard b[q] == UInt8(ascii: ")") else { break }
                    q += 1
                }
                if g.digits + length > maxDigits {
                    g.truncated = true
                    break
                }
                g.digits += length
                g.groups += 1
                if g.groups == 1 { g.firstLength = length }
                g.end = q
                p = q
                let c = b[p]
                if c == UInt8(ascii: " ") || c == UInt8(ascii: "-") || c == UInt8(ascii: ".") {
                    let d = b[p + 1]
                    if PIIASCII.isDigit(d) || (d == UInt8(ascii: "(") && PIIASCII.isDigit(b[p + 2])) {
                        if consistent {
                            if sep == 0 {
                                sep = c
                            } else if sep != c {
                                g.truncated = true
                                break
                            }
                        }
                        p += 1
                        continue
                    }
                    break
                }
                if c == UInt8(ascii: "(") && PIIASCII.isDigit(b[p + 1]) { continue }
                if paren && PIIASCII.isDigit(c) { continue }
                break
            }
            return g
        }

        @inline(__always) static func isBoundary(_ c: UInt8) -> Bool {
            !PIIASCII.isAlnum(c) && c != UInt8(ascii: "_") && c != UInt8(ascii: "@")
        }

        /// Anchored at `+`.
        static func matchPlus(_ b: PIIBytes, at i: Int) -> PIISpan? {
            let d = b[i + 1]
            guard PIIASCII.isDigit(d), d != UInt8(ascii: "0"), !PIIASCII.isAlnum(b[i - 1]) else { return nil }
            let g = scan(b, from: i + 1, maxDigits: 15, consistent: false)
            guard g.digits >= 8, isBoundary(b[g.end]) else { return nil }
            return PIISpan(i, g.end, .phone)
        }

        /// Anchored at `(`.
        static func matchParen(_ b: PIIBytes, at i: Int) -> PIISpan? {
            if b[i + 1] == UInt8(ascii: "+") { return matchParenCountryCode(b, at: i) }
            let d0 = b[i + 1]
            guard PIIASCII.isDigit(d0), !PIIASCII.isAlnum(b[i - 1]) else { return nil }
            let g = scan(b, from: i, maxDigits: 12, consistent: false)
            guard g.groups >= 2, !g.truncated, isBoundary(b[g.end]) else { return nil }
            let ok: Bool
            if d0 == UInt8(ascii: "0") {
                ok = (2...5).contains(g.firstLength) && (9...12).contains(g.digits)
            } else if g.firstLength == 3 {
                ok = g.digits == 10 && d0 >= UInt8(ascii: "2")
            } else if g.firstLength == 2 {
                ok = (10...11).contains(g.digits)
            } else {
                ok = false
            }
            return ok ? PIISpan(i, g.end, .phone) : nil
        }

        /// `(+44) 20 7946 0958`: a parenthesised country code followed by the national number.
        static func matchParenCountryCode(_ b: PIIBytes, at i: Int) -> PIISpan? {
            guard !PIIASCII.isAlnum(b[i - 1]), PIIASCII.isDigit(b[i + 2]), b[i + 2] != UInt8(ascii: "0") else {
                return nil
            }
            var p = i + 2
            while PIIASCII.isDigit(b[p]) && p - i - 2 < 4 { p += 1 }
            let codeDigits = p - i - 2
            guard codeDigits <= 3, b[p] == UInt8(ascii: ")") else { return nil }
            p += 1
            if b[p] == UInt8(ascii: " ") || b[p] == UInt8(ascii: "-") { p += 1 }
            guard PIIASCII.isDigit(b[p]) || b[p] == UInt8(ascii: "(") else { return nil }
            let g = scan(b, from: p, maxDigits: 15 - codeDigits, consistent: false)
            guard codeDigits + g.digits >= 8, isBoundary(b[g.end]) else { return nil }
            return PIISpan(i, g.end, .phone)
        }

        /// Anchored at the start of an all-digit token `i..<runEnd`.
        static func matchDigits(_ b: PIIBytes, at i: Int, runEnd: Int) -> PIISpan? {
            let d0 = b[i]
            let d1 = b[i + 1]
            if d0 == UInt8(ascii: "0") {
                guard PIIASCII.isDigit(d1) else { return nil }
                // Not the middle of a longer run of digit groups (`5479 0143 2206 799`).
                let prev = b[i - 1]
                if (prev == UInt8(ascii: " ") || prev == UInt8(ascii: "-")) && PIIASCII.isDigit(b[i - 2]) { return nil }
                if d1 == UInt8(ascii: "0") {
                    let d2 = b[i + 2]
                    guard PIIASCII.isDigit(d2), d2 != UInt8(ascii: "0") else { return nil }
                    let g = scan(b, from: i, maxDigits: 17, consistent: true)
                    guard g.groups >= 2, (10...17).contains(g.digits), !g.truncated, isBoundary(b[g.end]) else {
                        return nil
                    }
                    return PIISpan(i, g.end, .phone)
                }
                let g = scan(b, from: i, maxDigits: 12, consistent: true)
                guard !g.truncated, isBoundary(b[g.end]) else { return nil }
                let ok =
                    g.groups == 1
                    ? (10...11).contains(g.digits)
                    : (2...5).contains(g.firstLength) && (9...12).contains(g.digits)
                return ok ? PIISpan(i, g.end, .phone) : nil
            }
            let length = runEnd - i
            if length == 1 && d0 == UInt8(ascii: "1") {
                let sep = b[i + 1]
                guard sep == UInt8(ascii: " ") || sep == UInt8(ascii: "-") || sep == UInt8(ascii: ".") else {
                    return nil
                }
                return northAmerican(b, from: i + 2, start: i)
            }
            if length == 3 { return northAmerican(b, from: i, start: i) }
            return nil
        }

        /// `NXX-NXX-XXXX` with `-`, `.` or space separators, or `(NXX) NXX-XXXX`.
        static func northAmerican(_ b: PIIBytes, from s: Int, start: Int) -> PIISpan? {
            var p = s
            var sep1: UInt8
            if b[p] == UInt8(ascii: "(") {
                guard SSN.number(b, p + 1, 3) != nil, b[p + 4] == UInt8(ascii: ")") else { return nil }
                guard b[p + 1] >= UInt8(ascii: "2") else { return nil }
                p += 5
                sep1 = UInt8(ascii: ")")
                if b[p] == UInt8(ascii: " ") || b[p] == UInt8(ascii: "-") { p += 1 }
            } else {
                guard SSN.number(b, p, 3) != nil, b[p] >= UInt8(ascii: "2") else { return nil }
                p += 3
                sep1 = b[p]
                guard sep1 == UInt8(ascii: "-") || sep1 == UInt8(ascii: ".") || sep1 == UInt8(ascii: " ") else {
                    return nil
                }
                p += 1
            }
            guard SSN.number(b, p, 3) != nil else { return nil }
            p += 3
            let sep2 = b[p]
            switch sep1 {
            case UInt8(ascii: "-"), UInt8(ascii: "."):
                guard sep2 == sep1 else { return nil }
            default:
                guard sep2 == UInt8(ascii: "-") || sep2 == UInt8(ascii: ".") || sep2 == UInt8(ascii: " ") else {
                    return nil
                }
            }
            p += 1
            guard SSN.number(b, p, 4) != nil else { return nil }
            p += 4
            let c = b[p]
            guard isBoundary(c),
                !((c == UInt8(ascii: " ") || c == UInt8(ascii: "-") || c == UInt8(ascii: "."))
                    && PIIASCII.isDigit(b[p + 1]))
            else { return nil }
            return PIISpan(start, p, .phone)
        }

        /// The value of a phone-named key: `+`, digits, spaces, `-`, `.`, `(`, `)`; 7–15 digits.
        static func matchValue(_ b: PIIBytes, from s: Int, limit: Int) -> PIISpan? {
            var p = s
            let hi = min(limit, s + 40)
            if b[p] == UInt8(ascii: "+") { p += 1 }
            while p < hi {
                let c = b[p]
                if PIIASCII.isDigit(c) || c == UInt8(ascii: " ") || c == UInt8(ascii: "-") || c == UInt8(ascii: ".")
                    || c == UInt8(ascii: "(") || c == UInt8(ascii: ")")
                {
                    p += 1
                } else {
                    break
                }
            }
            var e = p
            while e > s && !PIIASCII.isDigit(b[e - 1]) && b[e - 1] != UInt8(ascii: ")") { e -= 1 }
            guard e > s, !PIIASCII.isAlnum(b[p]) else { return nil }
            var digits = 0
            var k = s
            while k < e {
                if PIIASCII.isDigit(b[k]) { digits += 1 }
                k += 1
            }
            return (7...15).contains(digits) ? PIISpan(s, e, .phone) : nil
        }
    }
}
