/// Why a record was not stored.
public enum DropReason: String, Hashable, Sendable, CaseIterable {
    /// The in-memory buffer was full (the store was failing or could not keep up).
    case bufferFull = "buffer_full"
    /// The user opted out.
    case optedOut = "opted_out"
    /// Recording is disabled globally.
    case disabled
    /// Recorded after ``InteractionMonitor/stop()`` (and before any later ``InteractionMonitor/start()``): no
    /// flush would come for it, so it is counted here instead of waiting in the buffer until the process exits.
    case stopped
    /// The timestamp's UTC date lies outside 0001-01-01…9999-12-31 (no day file can hold it).
    case invalidTimestamp = "invalid_timestamp"
    /// The timestamp is older than the retention period: it would be deleted by the next retention run.
    case pastRetention = "past_retention"
}
