/// One interaction as it waits in the monitor's buffer: the caller's values as given (bounded by
/// ``RecordLimits``), not yet pseudonymised or scrubbed — the flush task does both before anything is encoded, so
/// raw ids and raw text live only in this process's memory, never on disk.
///
/// The layout is kept small (96 bytes) because the buffer holds up to ``InteractionMonitor/Configuration/maxBufferSize``
/// of them: the interaction type is an index into the monitor's ``InteractionTypeTable`` and the strings are the
/// caller's own (shared, not copied).
struct BufferedRecord: Sendable {
    var timestamp: Timestamp
    var durationMs: Double
    var command: String
    var errorMessage: String?
    var sessionID: String?
    var userID: String?
    var metadata: [String: JSONValue]
    var typeIndex: UInt16
    var status: InteractionStatus
}
