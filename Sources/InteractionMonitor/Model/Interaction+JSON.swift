import Foundation

extension Interaction {
    /// Parses the stored JSON form (one line, as written by ``jsonLine``), with the fast parser.
    /// - Throws: ``InteractionMonitorError`` `.invalidInput` naming the field at fault.
    public init(jsonLine bytes: some ContiguousBytes) throws { try self.init(jsonLine: bytes, metadata: true) }

    /// As ``init(jsonLine:)``; with `metadata` false the metadata is checked but not built (left empty), for
    /// readers whose question does not look at it.
    init(jsonLine bytes: some ContiguousBytes, metadata withMetadata: Bool) throws {
        // The known fields straight from the members: no object is built for the record itself.
        var fields = RecordFields()
        let isObject: Bool
        do {
            isObject = try JSONParser.forEachMember(bytes, skip: { !withMetadata && $0 == "metadata" }) { key, value in
                fields.set(key, value)
            }
        } catch {
            throw InteractionMonitorError(.invalidInput, "not valid JSON: \(error)")
        }
        guard isObject else { throw InteractionMonitorError(.invalidInput, "not a JSON object") }
        func field(_ value: JSONValue?, _ name: String) throws -> String {
            guard case .string(let s)? = value else {
                throw InteractionMonitorError(.invalidInput, "field '\(name)' is missing or not a string")
            }
            return s
        }
        func optionalString(_ value: JSONValue?, _ name: String) throws -> String? {
            switch value {
            case nil, .null?: return nil
            case .string(let s)?: return s
            default: throw InteractionMonitorError(.invalidInput, "field '\(name)' is not a string")
            }
        }
        guard let timestamp = Timestamp(iso8601: try field(fields.timestamp, "timestamp")) else {
            throw InteractionMonitorError(.invalidInput, "field 'timestamp' is not ISO 8601")
        }
        guard let status = InteractionStatus(rawValue: try field(fields.status, "status")) else {
            throw InteractionMonitorError(.invalidInput, "field 'status' is not success, failure, error or timeout")
        }
        let duration: Double
        switch fields.durationMs {
        case .int(let i)?: duration = Double(i)
        case .double(let d)?: duration = d
        case nil, .null?: duration = 0
        default: throw InteractionMonitorError(.invalidInput, "field 'duration_ms' is not a number")
        }
        let metadata: [String: JSONValue]
        switch fields.metadata {
        case .object(let m)?: metadata = m
        case nil, .null?: metadata = [:]
        default: throw InteractionMonitorError(.invalidInput, "field 'metadata' is not an object")
        }
        self.init(
            timestamp: timestamp, interactionType: InteractionType(try field(fields.interactionType, "interaction_type")),
            command: try field(fields.command, "command"), status: status, durationMs: duration,
            errorMessage: try optionalString(fields.errorMessage, "error_message"), metadata: metadata,
            sessionID: try optionalString(fields.sessionID, "session_id"),
            userHash: try optionalString(fields.userHash, "user_hash"))
    }
}

/// The members of a record line by name, as they come (a repeated key: the last one; others are ignored): the
/// stored form (`user_hash`) and `ingest`'s input form (`user_id`) share every other field.
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
