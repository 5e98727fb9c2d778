/// Branch-light ASCII byte classification used by the scrubber's scanners.
///
/// Bytes ≥ 0x80 (non-ASCII UTF-8) are never letters, digits or identifier
/// characters here, so they behave like punctuation: a detector boundary.
enum PIIASCII {
    @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c &- 0x30 < 10 }
    @inline(__always) static func isUpper(_ c: UInt8) -> Bool { c &- 0x41 < 26 }
    @inline(__always) static func isLower(_ c: UInt8) -> Bool { c &- 0x61 < 26 }
    @inline(__always) static func isAlpha(_ c: UInt8) -> Bool { (c | 0x20) &- 0x61 < 26 }
    @inline(__always) static func isAlnum(_ c: UInt8) -> Bool { isAlpha(c) || isDigit(c) }
    @inline(__always) static func isHex(_ c: UInt8) -> Bool { isDigit(c) || (c | 0x20) &- 0x61 < 6 }
    /// Letters, digits, `_`, `.` and `-`: the characters of a key name such as `spring.db-password`.
    @inline(__always) static func isIdent(_ c: UInt8) -> Bool {
        isAlnum(c) || c == 0x5F || c == 0x2E || c == 0x2D
    }
    /// Base64url alphabet (`A–Z a–z 0–9 - _`).
    @inline(__always) static func isBase64URL(_ c: UInt8) -> Bool { isAlnum(c) || c == 0x5F || c == 0x2D }
    /// Space, tab, CR, LF, VT, FF.
    @inline(__always) static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c &- 0x09 < 5 }
    @inline(__always) static func lower(_ c: UInt8) -> UInt8 { isUpper(c) ? c | 0x20 : c }
    /// True when `c` (< 128) is in the set whose members 0–63 are the bits of `low` and whose
    /// members 64–127 are the bits of `high`: one shift and mask per byte.
    @inline(__always) static func inSet(_ c: UInt8, _ low: UInt64, _ high: UInt64) -> Bool {
        c < 128 && ((c < 64 ? low : high) &>> UInt64(c & 63)) & 1 != 0
    }

    /// `A–Z a–z 0–9 _ - . + / = $`, the characters of a provider credential, for ``inSet(_:_:_:)``.
    static let credentialLow: UInt64 = 0x23FFE81000000000
    static let credentialHigh: UInt64 = 0x07FFFFFE87FFFFFE
}
