/// A user-supplied regular expression whose matches are replaced by `[NAME]`.
///
/// Extra patterns run after the built-in detectors, on their output. They use Swift
/// `Regex` syntax; the regex is compiled (and validated) when the pattern is created,
/// so an invalid pattern fails at configuration time rather than while scrubbing.
/// Patterns that can match the empty string are rejected. Note that the cost of an
/// extra pattern is the cost of Swift's regex engine (backtracking): keep patterns
/// simple and anchored on literal text such as `TCK-[0-9]+`.
public struct ExtraPattern: Sendable, CustomStringConvertible {
    /// The placeholder name; matches are replaced by `[name]`.
    public let name: String
    /// The regular expression source, as given.
    public let regex: String
    private let compiled: PIICompiledRegex

    /// The replacement text, `[name]`.
    public var placeholder: String { "[\(name)]" }

    /// A description such as `TICKET: TCK-[0-9]+`.
    public var description: String { "\(name): \(regex)" }

    /// Compiles `regex`; matches will be replaced by `[name]`.
    /// - Throws: ``ScrubberConfigurationError`` if the name is not 1–40 characters of
    ///   `A–Z a–z 0–9 _`, if the regex does not compile, or if it matches the empty string.
    public init(name: String, regex: String) throws(ScrubberConfigurationError) {
        guard (1...40).contains(name.utf8.count),
            name.utf8.allSatisfy({ PIIASCII.isAlnum($0) || $0 == UInt8(ascii: "_") })
        else {
            throw ScrubberConfigurationError(
                .invalidPatternName,
                "invalid pattern name \"\(name)\": use 1-40 characters A-Z, a-z, 0-9 or _"
            )
        }
        let compiledRegex: Regex<AnyRegexOutput>
        do {
            compiledRegex = try Regex(regex)
        } catch {
            let reason = "\(error)".split(whereSeparator: \.isNewline).joined(separator: " ")
            throw ScrubberConfigurationError(
                .invalidPattern,
                "invalid regex for pattern \(name) (\"\(regex)\"): \(reason)"
            )
        }
        // Matching once also forces compilation now, before the value is shared.
        let matchesEmpty: Bool
        do {
            matchesEmpty = try compiledRegex.wholeMatch(in: "") != nil
        } catch {
            matchesEmpty = true
        }
        guard !matchesEmpty else {
            throw ScrubberConfigurationError(
                .invalidPattern,
                "regex for pattern \(name) (\"\(regex)\") matches the empty string"
            )
        }
        self.name = name
        self.regex = regex
        self.compiled = PIICompiledRegex(compiledRegex)
    }

    /// Replaces every non-empty match in `text` by ``placeholder``.
    func replaceMatches(in text: String) -> String {
        var output = ""
        var last = text.startIndex
        var changed = false
        for match in text.matches(of: compiled.regex) where !match.range.isEmpty {
            if !changed {
                output.reserveCapacity(text.utf8.count)
                changed = true
            }
            output += text[last..<match.range.lowerBound]
            output += placeholder
            last = match.range.upperBound
        }
        guard changed else { return text }
        output += text[last...]
        return output
    }
}
