import Foundation

/// A fast, strict JSON parser (RFC 8259) over UTF-8 bytes, producing ``JSONValue``.
///
/// Used for stored segments and `ingest` lines. Nesting deeper than ``maximumDepth`` is rejected rather than
/// recursing without bound; invalid UTF-8 inside strings is replaced with U+FFFD; integers that fit `Int64` stay
/// integers, other numbers become `Double`.
package struct JSONParser {
    static let maximumDepth = 512

    /// Where and why a document is not valid JSON.
    package struct Failure: Error, CustomStringConvertible {
        let offset: Int
        let reason: String
        package var description: String { "\(reason) at byte \(offset)" }
    }

    let bytes: UnsafeBufferPointer<UInt8>
    var i = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// Parses one complete JSON document.
    static func parse(_ input: some ContiguousBytes) throws(Failure) -> JSONValue {
        let result: Result<JSONValue, Failure> = input.withUnsafeBytes { raw in
            var p = JSONParser(raw.bindMemory(to: UInt8.self))
            do throws(Failure) {
                p.skipWhitespace()
                let v = try p.value(depth: 0)
                p.skipWhitespace()
                guard p.i == p.bytes.count else { throw p.fail("unexpected trailing characters") }
                return .success(v)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Parses one complete JSON document that must be an object, handing each member to `body` in document order
    /// (a repeated key arrives again, so the last one wins, as in ``parse(_:)``) without building the object: the
    /// record readers take the fields they know and build values only for those. Returns `false` when the document
    /// is valid JSON but not an object.
    /// Members whose key `skip` returns `true` for are checked as JSON and passed over without building their
    /// value.
    package static func forEachMember(
        _ input: some ContiguousBytes, skip: (String) -> Bool = { _ in false }, _ body: (String, JSONValue) -> Void
    ) throws(Failure) -> Bool {
        let result: Result<Bool, Failure> = input.withUnsafeBytes { raw in
            var p = JSONParser(raw.bindMemory(to: UInt8.self))
            do throws(Failure) {
                p.skipWhitespace()
                guard p.i < p.bytes.count, p.bytes[p.i] == UInt8(ascii: "{") else {
                    _ = try p.value(depth: 0)
                    p.skipWhitespace()
                    guard p.i == p.bytes.count else { throw p.fail("unexpected trailing characters") }
                    return .success(false)
                }
                try p.members(depth: 1, skip: skip, body)
                p.skipWhitespace()
                guard p.i == p.bytes.count else { throw p.fail("unexpected trailing characters") }
                return .success(true)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// The members of the object starting at `i`, each handed to `body`.
    private mutating func members(
        depth: Int, skip: (String) -> Bool = { _ in false }, _ body: (String, JSONValue) -> Void
    ) throws(Failure) {
        i += 1
        skipWhitespace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
            i += 1
            return
        }
        while true {
            skipWhitespace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw fail("expected a string key") }
            let key = try string()
            skipWhitespace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw fail("expected ':'") }
            i += 1
            skipWhitespace()
            if skip(key) {
                try skipValue(depth: depth)
            } else {
                body(key, try value(depth: depth))
            }
            skipWhitespace()
            guard i < bytes.count else { throw fail("unterminated object") }
            if bytes[i] == UInt8(ascii: ",") {
                i += 1
                continue
            }
            guard bytes[i] == UInt8(ascii: "}") else { throw fail("expected ',' or '}'") }
            i += 1
            return
        }
    }

    func fail(_ reason: String) -> Failure { Failure(offset: i, reason: reason) }

    /// Checks the value at `i` as ``value(depth:)`` does and moves past it, building nothing.
    mutating func skipValue(depth: Int) throws(Failure) {
        guard i < bytes.count else { throw fail("unexpected end of input") }
        switch bytes[i] {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            let close = bytes[i] == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
            guard depth + 1 <= Self.maximumDepth else { throw fail("nesting deeper than \(Self.maximumDepth)") }
            i += 1
            skipWhitespace()
            if i < bytes.count, bytes[i] == close {
                i += 1
                return
            }
            while true {
                skipWhitespace()
                if close == UInt8(ascii: "}") {
                    guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw fail("expected a string key") }
                    try skipString()
                    skipWhitespace()
                    guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw fail("expected ':'") }
                    i += 1
                    skipWhitespace()
                }
                try skipValue(depth: depth + 1)
                skipWhitespace()
                guard i < bytes.count else { throw fail("unterminated object or array") }
                if bytes[i] == UInt8(ascii: ",") {
                    i += 1
                    continue
                }
                guard bytes[i] == close else { throw fail("expected ',' or a closing bracket") }
                i += 1
                return
            }
        case UInt8(ascii: "\""): try skipString()
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try skipNumber()
        default: _ = try value(depth: depth)
        }
    }

    /// Moves past the number at `i`, checking it as ``number()`` does, without converting it.
    mutating func skipNumber() throws(Failure) { _ = try scanNumber() }

    /// The index of the first byte from `start` on that ends a plain run inside a string — a quote, a backslash or a
    /// control character — or the end of the input; eight bytes at a time.
    @inline(__always)
    func plainEnd(from start: Int) -> Int {
        var k = start
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            let ones: UInt64 = 0x0101_0101_0101_0101
            let highs: UInt64 = 0x8080_8080_8080_8080
            while k + 8 <= bytes.count {
                let w = raw.loadUnaligned(fromByteOffset: k, as: UInt64.self)
                let quote = w ^ (ones &* 0x22)
                let backslash = w ^ (ones &* 0x5C)
                let hits =
                    ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((w &- ones &* 0x20) & ~w)
                let flagged = hits & highs
                if flagged != 0 { return k + flagged.trailingZeroBitCount >> 3 }
                k += 8
            }
        }
        while k < bytes.count {
            let c = bytes[k]
            if c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") || c < 0x20 { return k }
            k += 1
        }
        return k
    }

    /// Moves past the string at `i`, checking its escapes, without decoding it.
    mutating func skipString() throws(Failure) {
        i += 1
        while i < bytes.count {
            i = plainEnd(from: i)
            guard i < bytes.count else { break }
            let c = bytes[i]
            if c == UInt8(ascii: "\"") {
                i += 1
                return
            }
            guard c >= 0x20 else { throw fail("control character in string") }
            i += 1
            guard c == UInt8(ascii: "\\") else { continue }
            guard i < bytes.count else { break }
            let e = bytes[i]
            i += 1
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                break
            case UInt8(ascii: "u"): _ = try hex4()
            default: throw fail("invalid escape")
            }
        }
        throw fail("unterminated string")
    }

    mutating func skipWhitespace() {
        while i < bytes.count {
            switch bytes[i] {
            case 0x20, 0x09, 0x0A, 0x0D: i += 1
            default: return
            }
        }
    }

    mutating func value(depth: Int) throws(Failure) -> JSONValue {
        guard i < bytes.count else { throw fail("unexpected end of input") }
        switch bytes[i] {
        case UInt8(ascii: "{"): return try object(depth: depth + 1)
        case UInt8(ascii: "["): return try array(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw fail("unexpected character")
        }
    }

    mutating func literal(_ word: StaticString) throws(Failure) {
        let n = word.utf8CodeUnitCount
        guard i + n <= bytes.count else { throw fail("invalid literal") }
        let w = word.utf8Start
        for k in 0..<n where bytes[i + k] != w[k] { throw fail("invalid literal") }
        i += n
    }

    private mutating func object(depth: Int) throws(Failure) -> JSONValue {
        guard depth <= Self.maximumDepth else { throw fail("nesting deeper than \(Self.maximumDepth)") }
        var result: [String: JSONValue] = [:]
        try members(depth: depth) { result[$0] = $1 }
        return .object(result)
    }

    private mutating func array(depth: Int) throws(Failure) -> JSONValue {
        guard depth <= Self.maximumDepth else { throw fail("nesting deeper than \(Self.maximumDepth)") }
        i += 1
        var result: [JSONValue] = []
        skipWhitespace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "]") {
            i += 1
            return .array(result)
        }
        while true {
            skipWhitespace()
            result.append(try value(depth: depth))
            skipWhitespace()
            guard i < bytes.count else { throw fail("unterminated array") }
            if bytes[i] == UInt8(ascii: ",") {
                i += 1
                continue
            }
            guard bytes[i] == UInt8(ascii: "]") else { throw fail("expected ',' or ']'") }
            i += 1
            return .array(result)
        }
    }

    mutating func string() throws(Failure) -> String {
        i += 1
        let start = i
        // Fast path: no escapes.
        i = plainEnd(from: i)
        if i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "\"") {
                let s = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
                i += 1
                return s
            }
            guard c >= 0x20 else { throw fail("control character in string") }
        }
        var out = [UInt8](UnsafeBufferPointer(rebasing: bytes[start..<i]))
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "\"") {
                i += 1
                return String(decoding: out, as: UTF8.self)
            }
            guard c >= 0x20 else { throw fail("control character in string") }
            if c != UInt8(ascii: "\\") {
                out.append(c)
                i += 1
                continue
            }
            i += 1
            guard i < bytes.count else { break }
            let e = bytes[i]
            i += 1
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800..<0xDC00).contains(scalar), i + 6 <= bytes.count, bytes[i] == UInt8(ascii: "\\"),
                    bytes[i + 1] == UInt8(ascii: "u")
                {
                    let save = i
                    i += 2
                    let low = try hex4()
                    if (0xDC00..<0xE000).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else {
                        i = save
                    }
                }
                let u = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                out.append(contentsOf: Array(String(Character(u)).utf8))
            default: throw fail("invalid escape")
            }
        }
        throw fail("unterminated string")
    }

    private mutating func hex4() throws(Failure) -> UInt32 {
        guard i + 4 <= bytes.count else { throw fail("invalid \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[i]
            let d: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c - UInt8(ascii: "A") + 10)
            default: throw fail("invalid \\u escape")
            }
            v = v << 4 | d
            i += 1
        }
        return v
    }

    /// A number's parts as scanned: sign, up to 19 significant digits, where the decimal point and exponent put them.
    struct NumberParts {
        var start: Int
        var negative = false
        var mantissa: UInt64 = 0
        var significant = 0
        var fractionDigits = 0
        var exponent = 0
        var isInteger = true
    }

    /// Moves past the number at `i` (RFC 8259's grammar: no leading zeros, digits after a point and in an exponent),
    /// collecting its parts.
    mutating func scanNumber() throws(Failure) -> NumberParts {
        var n = NumberParts(start: i)
        if bytes[i] == UInt8(ascii: "-") {
            n.negative = true
            i += 1
        }
        guard i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 else { throw fail("invalid number") }
        if bytes[i] == 0x30, i + 1 < bytes.count, bytes[i + 1] >= 0x30, bytes[i + 1] <= 0x39 {
            throw fail("leading zero in number")
        }
        func digits(_ n: inout NumberParts, fraction: Bool) {
            while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 {
                let d = UInt64(bytes[i] - 0x30)
                if n.mantissa != 0 || d != 0 { n.significant += 1 }
                if n.significant <= 19 { n.mantissa = n.mantissa &* 10 &+ d }
                if fraction { n.fractionDigits += 1 }
                i += 1
            }
        }
        digits(&n, fraction: false)
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            n.isInteger = false
            i += 1
            guard i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 else { throw fail("invalid number") }
            digits(&n, fraction: true)
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            n.isInteger = false
            i += 1
            var negativeExponent = false
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") {
                negativeExponent = bytes[i] == UInt8(ascii: "-")
                i += 1
            }
            guard i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 else { throw fail("invalid number") }
            while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 {
                if n.exponent < 100_000 { n.exponent = n.exponent * 10 + Int(bytes[i] - 0x30) }
                i += 1
            }
            if negativeExponent { n.exponent = -n.exponent }
        }
        return n
    }

    /// The number at `i` as a `Double`, equal to what ``number()`` gives converted to `Double`: integers that fit
    /// `Int64` convert from it, others are correctly rounded. In place when the significant digits fit 53 bits and a
    /// power of ten up to 22 makes one multiplication or division exact; in place too, for up to 19 digits divided by
    /// a power of ten, when an exact integer comparison proves the quotient correctly rounded
    /// (``correctlyRoundedQuotient(_:_:)``); through `Double(String)` otherwise.
    mutating func double() throws(Failure) -> Double {
        let n = try scanNumber()
        if n.significant <= 19 {
            let m = Double(n.mantissa)
            if n.isInteger {
                // Fits Int64: converted from the integer, as number() gives it.
                if n.significant <= 18 { return n.negative && n.mantissa != 0 ? -m : m }
            } else {
                let power = n.exponent - n.fractionDigits
                if n.mantissa <= 1 << 53 {
                    if power == 0 { return n.negative ? -m : m }
                    if (1...22).contains(power) {
                        return n.negative ? -(m * Self.powersOfTen[power]) : m * Self.powersOfTen[power]
                    }
                    if (-22 ... -1).contains(power) {
                        return n.negative ? -(m / Self.powersOfTen[-power]) : m / Self.powersOfTen[-power]
                    }
                } else if (-19 ... -1).contains(power), let q = Self.correctlyRoundedQuotient(n.mantissa, -power) {
                    return n.negative ? -q : q
                }
            }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[n.start..<i]), as: UTF8.self)
        if n.isInteger, let integer = Int64(text) { return Double(integer) }
        guard let d = Double(text) else { throw fail("invalid number") }
        return d
    }

    private static let powersOfTen: [Double] = (0...22).map { n in
        var p = 1.0
        for _ in 0..<n { p *= 10 }
        return p
    }

    private static let integerPowersOfTen: [UInt64] = (0...19).map { n in
        var p: UInt64 = 1
        for _ in 0..<n { p *= 10 }
        return p
    }

    /// `m ÷ 10^k` (`k` in 1…19) correctly rounded to nearest, or `nil` when this cannot prove it cheaply.
    ///
    /// The floating-point quotient is within about one unit in the last place; a candidate `M × 2^-s` (`M` its 53-bit
    /// significand) is the correctly rounded one exactly when `|m × 2^s − M × 10^k| < 10^k ÷ 2`, which is compared in
    /// 128-bit integers. The candidate and, when it fails, its neighbour on the side of the true value are tried; a
    /// tie, a power of two (whose lower neighbour is closer), a result of 2^53 or more or a subnormal give `nil`.
    static func correctlyRoundedQuotient(_ m: UInt64, _ k: Int) -> Double? {
        let p = integerPowersOfTen[k]
        let half = p >> 1  // 10^k is even
        var candidate = Double(m) / powersOfTen[k]
        for _ in 0..<2 {
            guard candidate.isNormal, candidate.significandBitPattern != 0 else { return nil }
            let s = 52 - Int(candidate.exponent)
            guard s >= 1, s <= 63 else { return nil }
            let significand = candidate.significandBitPattern | 1 << 52
            let product = significand.multipliedFullWidth(by: p)
            let a = (product.high, product.low)  // M × 10^k
            let b = (m >> (64 - s), m << s)  // m × 2^s
            let aAbove = a.0 != b.0 ? a.0 > b.0 : a.1 > b.1
            let (big, small) = aAbove ? (a, b) : (b, a)
            let low = big.1 &- small.1
            let high = big.0 &- small.0 &- (big.1 < small.1 ? 1 : 0)
            if high == 0, low < half { return candidate }
            if high == 0, low == half { return nil }
            candidate = aAbove ? candidate.nextDown : candidate.nextUp
        }
        return nil
    }

    /// The number at `i`: an integer that fits `Int64` stays one, any other number is a `Double` (``double()``).
    mutating func number() throws(Failure) -> JSONValue {
        let start = i
        let n = try scanNumber()
        guard n.isInteger else {
            i = start
            return .double(try double())
        }
        if n.significant <= 18 {
            let magnitude = Int64(n.mantissa)
            return .int(n.negative ? -magnitude : magnitude)
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
        if let integer = Int64(text) { return .int(integer) }
        guard let d = Double(text) else { throw fail("invalid number") }
        return .double(d)
    }
}
