/// What kind of interaction was recorded. `cli_command` and `api_request` are built in; apps may use their own names.
///
/// ```swift
/// let job = InteractionType("background_job")
/// ```
public struct InteractionType: Hashable, Sendable, RawRepresentable, Codable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    /// The stored name, e.g. `cli_command`.
    public let rawValue: String

    /// An interaction type with an app-defined name.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// An interaction type with an app-defined name.
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    /// A command-line command (`cli_command`).
    public static let cliCommand = InteractionType("cli_command")
    /// An HTTP API request (`api_request`).
    public static let apiRequest = InteractionType("api_request")

    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
}
