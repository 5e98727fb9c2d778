/// Why a record was not stored.
public enum DropReason: String, Hashable, Sendable, CaseIterable {
    /// The in-memory buffer was full (the store was failing or could not keep up).
    case bufferFull = "buffer_full"
    /// The user opted out.
    case optedOut = "opted_out"
    /// Recording is disabled globally.
    case disabled
    /// The monitor was stopped.
    case stopped
}
