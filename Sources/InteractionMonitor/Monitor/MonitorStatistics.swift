/// Counters describing what a monitor has done since it was created.
public struct MonitorStatistics: Sendable, Hashable {
    /// Records accepted into the buffer.
    public var recorded: Int = 0
    /// Records written to the store.
    public var flushed: Int = 0
    /// Records currently buffered.
    public var buffered: Int = 0
    /// Records dropped, by reason.
    public var dropped: [DropReason: Int] = [:]
    /// Segments written.
    public var segmentsWritten: Int = 0
    /// Bytes written (sealed frames).
    public var bytesWritten: Int = 0
    /// Successful flushes that wrote at least one record.
    public var flushCount: Int = 0
    /// Flushes that failed.
    public var failedFlushes: Int = 0
    /// When the last successful flush finished.
    public var lastFlush: Timestamp?
    /// The last flush error's message, cleared by the next successful flush.
    public var lastError: String?
    /// Strict fields: metadata entries dropped because their key was not declared, by (scrubbed) key name —
    /// never by value. At most 256 names are tracked; the rest are counted under `…`.
    public var undeclaredMetadataKeys: [String: Int] = [:]

    /// All dropped records.
    public var totalDropped: Int { dropped.values.reduce(0, +) }

    /// The drops by reason for a one-line summary, e.g. ` (past_retention 10, opted_out 2)`; empty when none.
    package var dropSummary: String {
        let parts = dropped.filter { $0.value > 0 }.sorted { $0.key.rawValue < $1.key.rawValue }
            .map { "\($0.key.rawValue) \($0.value)" }
        return parts.isEmpty ? "" : " (" + parts.joined(separator: ", ") + ")"
    }
}
