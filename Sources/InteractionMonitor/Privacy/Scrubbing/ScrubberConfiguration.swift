import Foundation

/// Configuration of a ``PIIScrubber``: extra regex patterns and key-name rules.
///
/// ## Configuration files
/// ``init(contentsOf:)`` accepts two formats, chosen by the first non-blank character.
///
/// **JSON** (file starts with `{`); every member is optional, unknown members are errors:
/// ```json
/// {
///   "extra_patterns": [{"name": "TICKET", "regex": "TCK-[0-9]+"}],
///   "allowed_metadata_keys": ["token_count"],
///   "sensitive_keys": ["x-internal-signature"],
///   "declared_metadata_keys": ["region", "plan", "retries"],
///   "strict_fields": true
/// }
/// ```
///
/// **Line format**: one directive per line, `#` starts a comment line, blank lines are ignored.
/// The regex is the rest of the line after the name (it may contain spaces).
/// ```text
/// # scrubber.conf
/// pattern TICKET TCK-[0-9]+
/// allow token_count
/// sensitive x-internal-signature
/// declare region
/// declare plan
/// strict
/// ```
///
/// ## Strict fields
/// With ``strictFields`` on, only metadata keys named in ``declaredMetadataKeys`` are stored: every other key is
/// dropped (with its value) before anything is encoded, and counted by key name — never by value — in
/// ``InteractionMonitor/statistics()`` and in `audit`. A team can then promise a reviewer exactly which fields exist
/// at rest. Declared names match exactly (case-sensitive).
public struct ScrubberConfiguration: Sendable {
    /// User regexes, applied in order after the built-in detectors; matches become `[NAME]`.
    public var extraPatterns: [ExtraPattern]
    /// Metadata keys never redacted because of their name (their values are still scrubbed as
    /// text). The allow-list also applies to `key=value` pairs found in text. Matching ignores
    /// ASCII case and `-`, `_`, `.`.
    public var allowedMetadataKeys: Set<String>
    /// Additional key names whose values are secrets (in metadata and in `key=value` text).
    /// Matching ignores ASCII case and `-`, `_`, `.`.
    public var sensitiveKeys: Set<String>
    /// The metadata keys an app declares it stores (see *Strict fields*). Only enforced with ``strictFields``.
    public var declaredMetadataKeys: Set<String>
    /// Whether undeclared metadata keys are dropped before storage and counted (see *Strict fields*).
    public var strictFields: Bool

    /// Creates a configuration. The defaults add nothing to the built-in rules and store every metadata key.
    public init(
        extraPatterns: [ExtraPattern] = [],
        allowedMetadataKeys: Set<String> = [],
        sensitiveKeys: Set<String> = [],
        declaredMetadataKeys: Set<String> = [],
        strictFields: Bool = false
    ) {
        self.extraPatterns = extraPatterns
        self.allowedMetadataKeys = allowedMetadataKeys
        self.sensitiveKeys = sensitiveKeys
        self.declaredMetadataKeys = declaredMetadataKeys
        self.strictFields = strictFields
    }

    /// Parses a configuration file in JSON or line format (see the type's documentation).
    /// - Throws: ``ScrubberConfigurationError`` for unreadable or malformed files, invalid
    ///   pattern names and regexes that do not compile or match the empty string.
    public init(contentsOf path: String) throws(ScrubberConfigurationError) {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ScrubberConfigurationError(.unreadableFile, "cannot read scrubber configuration \(path)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ScrubberConfigurationError(.malformedFile, "\(path): not UTF-8 text")
        }
        if text.first(where: { !$0.isWhitespace }) == "{" {
            try self.init(json: data, path: path)
        } else {
            try self.init(lines: text, path: path)
        }
    }

    private init(json data: Data, path: String) throws(ScrubberConfigurationError) {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw ScrubberConfigurationError(.malformedFile, "\(path): invalid JSON")
        }
        guard let root = object as? [String: Any] else {
            throw ScrubberConfigurationError(.malformedFile, "\(path): expected a JSON object")
        }
        self.init()
        for (member, value) in root.sorted(by: { $0.key < $1.key }) {
            switch member {
            case "extra_patterns":
                guard let entries = value as? [Any] else {
                    throw ScrubberConfigurationError(.malformedFile, "\(path): extra_patterns must be an array")
                }
                for (index, entry) in entries.enumerated() {
                    guard let fields = entry as? [String: Any], let name = fields["name"] as? String,
                        let regex = fields["regex"] as? String, fields.count == 2
                    else {
                        throw ScrubberConfigurationError(
                            .malformedFile,
                            "\(path): extra_patterns[\(index)] must be {\"name\": string, \"regex\": string}"
                        )
                    }
                    extraPatterns.append(try ExtraPattern(name: name, regex: regex))
                }
            case "allowed_metadata_keys":
                allowedMetadataKeys = try Self.strings(value, member, path)
            case "sensitive_keys":
                sensitiveKeys = try Self.strings(value, member, path)
            case "declared_metadata_keys":
                declaredMetadataKeys = try Self.strings(value, member, path)
            case "strict_fields":
                guard let flag = value as? Bool else {
                    throw ScrubberConfigurationError(.malformedFile, "\(path): strict_fields must be true or false")
                }
                strictFields = flag
            default:
                throw ScrubberConfigurationError(
                    .malformedFile,
                    "\(path): unknown member \"\(member)\" (expected extra_patterns, allowed_metadata_keys, sensitive_keys, declared_metadata_keys, strict_fields)"
                )
            }
        }
    }

    private static func strings(_ value: Any, _ member: String, _ path: String) throws(ScrubberConfigurationError)
        -> Set<String>
    {
        guard let list = value as? [Any], let strings = list as? [String] else {
            throw ScrubberConfigurationError(.malformedFile, "\(path): \(member) must be an array of strings")
        }
        return Set(strings)
    }

    private init(lines text: String, path: String) throws(ScrubberConfigurationError) {
        self.init()
        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let location = "\(path):\(index + 1)"
            let parts = line.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
            let directive = String(parts[0])
            let argument = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
            switch directive {
            case "pattern":
                let fields = argument.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
                guard fields.count == 2 else {
                    throw ScrubberConfigurationError(.malformedFile, "\(location): expected `pattern NAME REGEX`")
                }
                do {
                    extraPatterns.append(try ExtraPattern(name: String(fields[0]), regex: String(fields[1])))
                } catch {
                    throw ScrubberConfigurationError(error.kind, "\(location): \(error.message)")
                }
            case "allow", "sensitive", "declare":
                guard !argument.isEmpty, !argument.contains(" ") else {
                    throw ScrubberConfigurationError(.malformedFile, "\(location): expected `\(directive) KEY`")
                }
                switch directive {
                case "allow": allowedMetadataKeys.insert(argument)
                case "sensitive": sensitiveKeys.insert(argument)
                default: declaredMetadataKeys.insert(argument)
                }
            case "strict":
                guard argument.isEmpty else {
                    throw ScrubberConfigurationError(.malformedFile, "\(location): `strict` takes no argument")
                }
                strictFields = true
            default:
                throw ScrubberConfigurationError(
                    .malformedFile,
                    "\(location): unknown directive \"\(directive)\" (expected pattern, allow, sensitive, declare or strict)"
                )
            }
        }
    }
}
