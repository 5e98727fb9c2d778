/// IBAN structure and ISO 13616 mod-97 check-digit validation.
enum IBANChecksum {
    /// The registered IBAN length for a two-letter country code (ASCII uppercase), or `nil` if unknown.
    static func length(_ a: UInt8, _ b: UInt8) -> Int? {
        switch (UInt16(a) << 8) | UInt16(b) {
        case code("NO"): 15
        case code("BE"): 16
        case code("DK"), code("FI"), code("FK"), code("FO"), code("GL"), code("NL"), code("SD"): 18
        case code("MK"), code("SI"): 19
        case code("AT"), code("BA"), code("EE"), code("KZ"), code("LT"), code("LU"), code("MN"), code("XK"): 20
        case code("CH"), code("HR"), code("LI"), code("LV"): 21
        case code("BG"), code("BH"), code("CR"), code("DE"), code("GB"), code("GE"), code("IE"), code("ME"),
            code("RS"), code("VA"):
            22
        case code("AE"), code("GI"), code("IL"), code("IQ"), code("OM"), code("SO"), code("TL"): 23
        case code("AD"), code("CZ"), code("ES"), code("MD"), code("PK"), code("RO"), code("SA"), code("SE"),
            code("SK"), code("TN"), code("VG"):
            24
        case code("LY"), code("PT"), code("ST"): 25
        case code("IS"), code("TR"): 26
        case code("BI"), code("DJ"), code("FR"), code("GR"), code("IT"), code("MC"), code("MR"), code("SM"): 27
        case code("AL"), code("AZ"), code("BY"), code("CY"), code("DO"), code("GT"), code("HU"), code("LB"),
            code("NI"), code("PL"), code("SV"):
            28
        case code("BR"), code("EG"), code("PS"), code("QA"), code("UA"): 29
        case code("JO"), code("KW"), code("MU"), code("YE"): 30
        case code("MT"), code("SC"): 31
        case code("LC"): 32
        case code("RU"): 33
        default: nil
        }
    }

    private static func code(_ s: StaticString) -> UInt16 {
        let p = s.utf8Start
        return (UInt16(p[0]) << 8) | UInt16(p[1])
    }

    /// Checks mod 97 == 1 over the IBAN characters in `start..<end` (uppercase letters and
    /// digits; any other byte, e.g. a grouping space, is skipped).
    static func isValid(_ bytes: PIIBytes, from start: Int, to end: Int) -> Bool {
        var remainder = 0
        var seen = 0
        var i = start
        // Rearranged order: characters 5… first, then the first four.
        while i < end {
            let c = bytes[i]
            if PIIASCII.isDigit(c) || PIIASCII.isUpper(c) {
                if seen >= 4 { remainder = feed(remainder, c) }
                seen += 1
            }
            i += 1
        }
        guard seen >= 5 else { return false }
        seen = 0
        i = start
        while i < end && seen < 4 {
            let c = bytes[i]
            if PIIASCII.isDigit(c) || PIIASCII.isUpper(c) {
                remainder = feed(remainder, c)
                seen += 1
            }
            i += 1
        }
        return remainder == 1
    }

    @inline(__always) private static func feed(_ r: Int, _ c: UInt8) -> Int {
        if PIIASCII.isDigit(c) { return (r &* 10 &+ Int(c &- 0x30)) % 97 }
        return (r &* 100 &+ Int(c &- 0x41) &+ 10) % 97
    }

    /// Validates an IBAN given as a string (spaces allowed).
    static func isValid(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { buffer in
            guard let base = buffer.baseAddress else { return false }
            return isValid(PIIBytes(base: base, count: buffer.count), from: 0, to: buffer.count)
        }
    }
}
