/// A problem (or a note) found while reading or verifying stored data.
public struct StoreIssue: Hashable, Sendable, CustomStringConvertible {
    /// How serious it is.
    public enum Severity: String, Hashable, Sendable {
        /// Data is damaged, missing, forged or unreadable: `verify` exits 1.
        case error
        /// Worth knowing, not a failure (e.g. segments written after the manifest was last updated).
        case note
    }

    /// How serious it is.
    public let severity: Severity
    /// The file (or container) concerned.
    public let file: String
    /// The segment index concerned, when known.
    public let segment: UInt64?
    /// The byte offset concerned, when known.
    public let offset: Int64?
    /// One line for humans.
    public let message: String

    public var description: String {
        var where_ = file
        if let segment { where_ += " segment \(segment)" }
        if let offset { where_ += " (offset \(offset))" }
        return "\(where_): \(message)"
    }
}
