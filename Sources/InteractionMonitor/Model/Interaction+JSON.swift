import Foundation

extension Interaction {
    /// Parses the stored JSON form (one line, as written by ``jsonLine``), with the fast parser.
    /// - Throws: ``InteractionMonitorError`` `.invalidInput` naming the field at fault.
    public init(jsonLine bytes: some ContiguousBytes) throws { try self.init(jsonLine: bytes, metadata: true) }

    /// As ``init(jsonLine:)``; with `metadata` false the metadata is checked but not built (left empty), for
    /// readers whose question does not look at it.
    init(jsonLine bytes: some ContiguousBytes, metadata withMetadata: Bool) throws {
        var decoder = RecordLineDecoder(fields: withMetadata ? .all : InteractionFields.all.subtracting(.metadata))
        self = try bytes.withUnsafeBytes { raw throws(InteractionMonitorError) in try decoder.decode(raw) }
    }
}

/// The members of an `ingest` input line by name, as they come (a repeated key: the last one; others are ignored):
/// the stored form's fields, with `user_id` for `user_hash`.
package struct RecordFields {
    package var timestamp, interactionType, command, status, durationMs, errorMessage, metadata, sessionID: JSONValue?
    package var userHash, userID: JSONValue?

    package init() {}

    package mutating func set(_ key: String, _ value: JSONValue) {
        switch key {
        case "timestamp": timestamp = value
        case "interaction_type": interactionType = value
        case "command": command = value
        case "status": status = value
        case "duration_ms": durationMs = value
        case "error_message": errorMessage = value
        case "metadata": metadata = value
        case "session_id": sessionID = value
        case "user_hash": userHash = value
        case "user_id": userID = value
        default: break
        }
    }
}
