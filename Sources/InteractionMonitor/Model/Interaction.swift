/// One recorded interaction, exactly as stored (after pseudonymisation and scrubbing).
///
/// JSON field names are snake_case: `timestamp`, `interaction_type`, `command`, `status`, `duration_ms`,
/// `error_message`, `metadata`, `session_id`, `user_hash`.
public struct Interaction: Hashable, Sendable, Codable {
    /// When it happened (UTC, microseconds).
    public var timestamp: Timestamp
    /// What kind of interaction it was.
    public var interactionType: InteractionType
    /// The command or route, e.g. `deploy` or `GET /users/:id`.
    public var command: String
    /// The outcome.
    public var status: InteractionStatus
    /// How long it took, in milliseconds.
    public var durationMs: Double
    /// The (scrubbed) error message, if any.
    public var errorMessage: String?
    /// Free-form (scrubbed) metadata.
    public var metadata: [String: JSONValue]
    /// The session id (pseudonymised when it looks like a token).
    public var sessionID: String?
    /// The keyed hash of the user id; the raw id is never stored.
    public var userHash: String?

    /// Creates an interaction value. Apps record through ``InteractionMonitor/record(_:command:status:durationMs:userID:sessionID:errorMessage:metadata:timestamp:)``,
    /// which pseudonymises and scrubs; this initialiser stores what it is given.
    public init(
        timestamp: Timestamp,
        interactionType: InteractionType,
        command: String,
        status: InteractionStatus,
        durationMs: Double,
        errorMessage: String? = nil,
        metadata: [String: JSONValue] = [:],
        sessionID: String? = nil,
        userHash: String? = nil
    ) {
        self.timestamp = timestamp
        self.interactionType = interactionType
        self.command = command
        self.status = status
        self.durationMs = durationMs
        self.errorMessage = errorMessage
        self.metadata = metadata
        self.sessionID = sessionID
        self.userHash = userHash
    }

    enum CodingKeys: String, CodingKey {
        case timestamp
        case interactionType = "interaction_type"
        case command
        case status
        case durationMs = "duration_ms"
        case errorMessage = "error_message"
        case metadata
        case sessionID = "session_id"
        case userHash = "user_hash"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        timestamp = try c.decode(Timestamp.self, forKey: .timestamp)
        interactionType = try c.decode(InteractionType.self, forKey: .interactionType)
        command = try c.decode(String.self, forKey: .command)
        status = try c.decode(InteractionStatus.self, forKey: .status)
        durationMs = try c.decodeIfPresent(Double.self, forKey: .durationMs) ?? 0
        errorMessage = try c.decodeIfPresent(String.self, forKey: .errorMessage)
        metadata = try c.decodeIfPresent([String: JSONValue].self, forKey: .metadata) ?? [:]
        sessionID = try c.decodeIfPresent(String.self, forKey: .sessionID)
        userHash = try c.decodeIfPresent(String.self, forKey: .userHash)
    }

    /// The stored JSON form: one line, keys in a fixed order, metadata keys sorted.
    public var jsonLine: String {
        var w = JSONWriter()
        w.write(self)
        return w.withBytes { String(decoding: $0, as: UTF8.self) }
    }
}
