import Testing

@testable import InteractionMonitor

/// The byte-level `ErrorTemplate` must give exactly what the original character-level version gave (kept below as
/// the reference) on ordinary and awkward messages.
struct ErrorTemplateTests {
    static let messages: [String] = {
        var m = [
            "timeout after 3000 ms on /var/db/a.lock", "connection refused by 203.0.113.42:5432 after 3 retries (timeout 3000 ms)",
            "disk quota exceeded on volume 7", "user 'bob' not found", "file ./x.txt missing", "C:\\Users\\x denied",
            "id 123e4567-e89b-12d3-a456-426614174000 unknown", "hash deadbeef00 mismatch", "abc123 def", "(42)", "[1,2,3]",
            "value 1.5, 2,000 and 3.", "", " ", "  double  space ", "((((", "\"quoted\" text", "é:\\path", "naïve 12ms",
            "v1.2.3 failed", "ERR-5001: broken", "x=1;y=2", "ünïcödé 日本語 42 文字", "🙂 9", "a.b.c", "..1..", ",5,", "0x1F",
            "12345678", "abcdef", "ABCDEF12", "~/notes.txt", "~", "/", "'", "\"", ":", ".5", "5.", "1,", "a1b2c3",
        ]
        var rng = SystemRandomNumberGenerator()
        let pieces = ["err", " ", "42", ".", ",", "(", ")", "/x", "'a'", "\"", "ff", "é", "-", ":", "\\", "9.9", "~/", "日"]
        for _ in 0..<3000 {
            var s = ""
            for _ in 0..<Int.random(in: 0...10, using: &rng) { s += pieces.randomElement(using: &rng)! }
            m.append(s)
        }
        return m
    }()

    @Test func matchesTheReferenceImplementation() {
        for message in Self.messages {
            #expect(ErrorTemplate.of(message) == ReferenceErrorTemplate.of(message), "\(message)")
        }
    }

    @Test func groupsByShape() {
        #expect(ErrorTemplate.of("timeout after 3000 ms on /var/db/a.lock") == "timeout after <N> ms on <PATH>")
        #expect(ErrorTemplate.of("id 123e4567-e89b-12d3-a456-426614174000 (hash deadbeef00)") == "id <UUID> (hash <HEX>)")
    }
}

enum ReferenceErrorTemplate {
    /// The template of `message`.
    static func of(_ message: String) -> String {
        var out = ""
        out.reserveCapacity(message.utf8.count)
        let tokens = message.split(separator: " ", omittingEmptySubsequences: false)
        for (n, token) in tokens.enumerated() {
            if n > 0 { out += " " }
            out += normalise(token)
        }
        return out
    }

    private static func normalise(_ token: Substring) -> String {
        // Keep leading/trailing punctuation, normalise the core.
        let punctuation: Set<Character> = ["(", ")", "[", "]", "{", "}", ",", ";", ":", "'", "\"", "."]
        var core = token[...]
        var prefix = ""
        var suffix = ""
        while let f = core.first, punctuation.contains(f), core.count > 1 {
            prefix.append(f)
            core = core.dropFirst()
        }
        while let l = core.last, punctuation.contains(l), core.count > 1 {
            suffix.insert(l, at: suffix.startIndex)
            core = core.dropLast()
        }
        return prefix + normaliseCore(core) + suffix
    }

    private static func normaliseCore(_ s: Substring) -> String {
        if s.hasPrefix("/") || s.hasPrefix("~/") || s.hasPrefix("./") || (s.count > 2 && s.dropFirst().hasPrefix(":\\")) {
            return "<PATH>"
        }
        if s.hasPrefix("\"") || s.hasPrefix("'") { return "<STR>" }
        let u = Array(s.utf8)
        if u.count == 36, u[8] == 45, u[13] == 45, u[18] == 45, u[23] == 45 { return "<UUID>" }
        var digits = 0
        var hexLetters = 0
        var other = 0
        for c in u {
            switch c {
            case 48...57: digits += 1
            case 97...102, 65...70: hexLetters += 1
            default: other += 1
            }
        }
        if digits > 0 && hexLetters > 0 && other == 0 && u.count >= 6 { return "<HEX>" }
        if u.count >= 8 && digits + hexLetters == u.count && other == 0 && digits > 0 { return "<HEX>" }
        // Replace each run of digits (with . , : separators inside numbers) by <N>.
        var out = ""
        var i = s.startIndex
        while i < s.endIndex {
            if s[i].isASCII, s[i].isNumber {
                var j = s.index(after: i)
                while j < s.endIndex, s[j].isASCII,
                    s[j].isNumber || ((s[j] == "." || s[j] == ",") && s.index(after: j) < s.endIndex && s[s.index(after: j)].isNumber)
                {
                    j = s.index(after: j)
                }
                out += "<N>"
                i = j
            } else {
                out.append(s[i])
                i = s.index(after: i)
            }
        }
        return out
    }
}
