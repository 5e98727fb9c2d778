/// Groups error messages by shape: numbers, hex ids, UUIDs, paths and quoted values become placeholders, so
/// `timeout after 3000 ms on /var/db/a.lock` and `timeout after 500 ms on /tmp/b.lock` share one template
/// `timeout after <N> ms on <PATH>`.
///
/// Works on UTF-8 bytes in one pass per token (every analyzer calls it for every error it sees). Only ASCII bytes
/// are ever replaced, so the result is valid UTF-8 whenever the message is.
public enum ErrorTemplate {
    /// The template of `message`.
    public static func of(_ message: String) -> String {
        var message = message
        return message.withUTF8 { bytes in
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 8)
            var start = 0
            for i in 0...bytes.count where i == bytes.count || bytes[i] == UInt8(ascii: " ") {
                if start > 0 { out.append(UInt8(ascii: " ")) }
                normalise(bytes, start, i, into: &out)
                start = i + 1
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// Leading and trailing punctuation is kept; the core between is normalised.
    private static func isPunctuation(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"),
            UInt8(ascii: "}"), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: ":"), UInt8(ascii: "'"),
            UInt8(ascii: "\""), UInt8(ascii: "."):
            true
        default: false
        }
    }

    /// Whether `bytes[from..<to]` holds more than one character (a continuation byte does not start one).
    private static func moreThanOneCharacter(_ bytes: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> Bool {
        guard to - from > 1 else { return false }
        var i = from + 1
        while i < to {
            if bytes[i] & 0xC0 != 0x80 { return true }
            i += 1
        }
        return false
    }

    private static func normalise(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, into out: inout [UInt8]) {
        var from = start
        var to = end
        while from < to, isPunctuation(bytes[from]), moreThanOneCharacter(bytes, from, to) {
            out.append(bytes[from])
            from += 1
        }
        var suffixStart = to
        while suffixStart > from, isPunctuation(bytes[suffixStart - 1]), moreThanOneCharacter(bytes, from, suffixStart) {
            suffixStart -= 1
        }
        to = suffixStart
        normaliseCore(bytes, from, to, into: &out)
        for i in suffixStart..<end { out.append(bytes[i]) }
    }

    private static func append(_ text: StaticString, to out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    private static func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }

    private static func normaliseCore(_ b: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int, into out: inout [UInt8]) {
        let n = to - from
        func at(_ k: Int) -> UInt8 { b[from + k] }
        if n >= 1, at(0) == UInt8(ascii: "/") { return append("<PATH>", to: &out) }
        if n >= 2, at(0) == UInt8(ascii: "~") || at(0) == UInt8(ascii: "."), at(1) == UInt8(ascii: "/") {
            return append("<PATH>", to: &out)
        }
        // A drive letter (any one character) followed by `:\`.
        if n >= 3 {
            var k = 1
            while k < n, at(k) & 0xC0 == 0x80 { k += 1 }
            if k + 1 < n, at(k) == UInt8(ascii: ":"), at(k + 1) == UInt8(ascii: "\\") { return append("<PATH>", to: &out) }
        }
        if n >= 1, at(0) == UInt8(ascii: "\"") || at(0) == UInt8(ascii: "'") { return append("<STR>", to: &out) }
        if n == 36, at(8) == 45, at(13) == 45, at(18) == 45, at(23) == 45 { return append("<UUID>", to: &out) }
        var digits = 0
        var hexLetters = 0
        var other = 0
        for k in 0..<n {
            switch at(k) {
            case 48...57: digits += 1
            case 97...102, 65...70: hexLetters += 1
            default: other += 1
            }
        }
        if digits > 0 && hexLetters > 0 && other == 0 && n >= 6 { return append("<HEX>", to: &out) }
        if n >= 8 && digits + hexLetters == n && other == 0 && digits > 0 { return append("<HEX>", to: &out) }
        // Replace each run of digits (with . , separators inside numbers) by <N>.
        var i = 0
        while i < n {
            if isDigit(at(i)) {
                var j = i + 1
                while j < n, isDigit(at(j)) || ((at(j) == UInt8(ascii: ".") || at(j) == UInt8(ascii: ",")) && j + 1 < n && isDigit(at(j + 1))) {
                    j += 1
                }
                append("<N>", to: &out)
                i = j
            } else {
                out.append(at(i))
                i += 1
            }
        }
    }
}
