/// An error in a scrubber configuration: an unreadable or malformed configuration
/// file, an invalid pattern name, or a regular expression that does not compile.
public struct ScrubberConfigurationError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The broad reason for the error.
    public enum Kind: Sendable, Equatable {
        /// The configuration file could not be read.
        case unreadableFile
        /// The configuration file is not valid JSON / line format, or has unknown entries.
        case malformedFile
        /// A pattern name is empty or contains characters other than `A–Z a–z 0–9 _`.
        case invalidPatternName
        /// A regular expression does not compile, or it matches the empty string.
        case invalidPattern
    }

    /// The broad reason for the error.
    public let kind: Kind
    /// A one-line, human-readable explanation (also the ``description``).
    public let message: String

    /// Creates an error of the given kind with a one-line message.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// The one-line message.
    public var description: String { message }
}
