import Foundation

extension Interaction {
    /// Parses the stored JSON form (one line, as written by ``jsonLine``), with the fast parser.
    /// - Throws: ``InteractionMonitorError`` `.invalidInput` naming the field at fault.
    public init(jsonLine bytes: some ContiguousBytes) throws {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw InteractionMonitorError(.invalidInput, "not valid JSON: \(error)")
        }
        guard case .object(let o) = value else { throw InteractionMonitorError(.invalidInput, "not a JSON object") }
        func field(_ name: String) throws -> String {
            guard case .string(let s)? = o[name] else {
                throw InteractionMonitorError(.invalidInput, "field '\(name)' is missing or not a string")
            }
            return s
        }
        func optionalString(_ name: String) throws -> String? {
            switch o[name] {
            case nil, .null?: return nil
            case .string(let s)?: return s
            default: throw InteractionMonitorError(.invalidInput, "field '\(name)' is not a string")
            }
        }
        guard let timestamp = Timestamp(iso8601: try field("timestamp")) else {
            throw InteractionMonitorError(.invalidInput, "field 'timestamp' is not ISO 8601")
        }
        guard let status = InteractionStatus(rawValue: try field("status")) else {
            throw InteractionMonitorError(.invalidInput, "field 'status' is not success, failure, error or timeout")
        }
        let duration: Double
        switch o["duration_ms"] {
        case .int(let i)?: duration = Double(i)
        case .double(let d)?: duration = d
        case nil, .null?: duration = 0
        default: throw InteractionMonitorError(.invalidInput, "field 'duration_ms' is not a number")
        }
        let metadata: [String: JSONValue]
        switch o["metadata"] {
        case .object(let m)?: metadata = m
        case nil, .null?: metadata = [:]
        default: throw InteractionMonitorError(.invalidInput, "field 'metadata' is not an object")
        }
        self.init(
            timestamp: timestamp, interactionType: InteractionType(try field("interaction_type")),
            command: try field("command"), status: status, durationMs: duration,
            errorMessage: try optionalString("error_message"), metadata: metadata,
            sessionID: try optionalString("session_id"), userHash: try optionalString("user_hash"))
    }
}
