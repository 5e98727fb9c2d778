/// The outcome of an interaction.
public enum InteractionStatus: String, Hashable, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// It did what was asked.
    case success
    /// It failed for an expected reason (bad input, not found, a 4xx).
    case failure
    /// It failed unexpectedly (a bug, a 5xx).
    case error
    /// It ran out of time.
    case timeout

    public var description: String { rawValue }
}
