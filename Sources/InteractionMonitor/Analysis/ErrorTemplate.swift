/// Groups error messages by shape: numbers, hex ids, UUIDs, paths and quoted values become placeholders, so
/// `timeout after 3000 ms on /var/db/a.lock` and `timeout after 500 ms on /tmp/b.lock` share one template
/// `timeout after <N> ms on <PATH>`.
public enum ErrorTemplate {
    /// The template of `message`.
    public static func of(_ message: String) -> String {
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
