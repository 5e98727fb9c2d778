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
    /// The timestamp's UTC date lies outside 0001-01-01…9999-12-31 (no day file can hold it).
    case invalidTimestamp = "invalid_timestamp"
    /// The timestamp is older than the retention period: it would be deleted by the next retention run.
    case pastRetention = "past_retention"
}
