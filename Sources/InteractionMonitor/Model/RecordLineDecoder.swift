/// Decodes stored record lines into interactions in one pass over the bytes: member names are matched as bytes,
/// the timestamp and duration are parsed where they lie, repeated texts come from ``InternedTexts`` tables (one per kind of text), and
/// members an interaction has no field for — and the metadata, when the question does not need it — are checked as
/// JSON and passed over without building anything.
///
/// The result is exactly what building the whole JSON object and reading its members would give: the document must
/// be valid JSON (RFC 8259, as ``JSONParser`` checks it), a repeated member counts by its last occurrence, and a field
/// of the wrong type is an error naming the field. One decoder serves one thread; it keeps its table across lines.
struct RecordLineDecoder {
    /// The fields built; the others are checked and left empty.
    let fields: InteractionFields
    /// Repeated texts, one table per kind: a kind with many distinct texts (error messages, sessions) fills and
    /// restarts its own table, never the few commands and users every record repeats.
    private var names, users, sessions, messages: InternedTexts
    private var dates: Timestamp.DateCache? = nil

    /// A decoder building `fields`; `interning` keeps repeated texts (for many lines), otherwise nothing is kept (one
    /// line).
    init(fields: InteractionFields = .all, interning: Bool = false) {
        self.fields = fields
        let table = { interning ? InternedTexts() : InternedTexts(limit: 0) }
        (names, users, sessions, messages) = (table(), table(), table(), table())
    }

    private var metadata: Bool { fields.contains(.metadata) }

    /// A text field as found: absent, `null`, a string (or, for the timestamp, where its bytes are), or another kind.
    private enum Text {
        case absent, null, wrongType
        /// A string, checked but not built (the field is not wanted).
        case unbuilt
        case string(String)
        case bytes(Range<Int>)
    }

    private enum Number {
        case absent, null, wrongType
        case value(Double)
    }

    private enum Object {
        case absent, null, wrongType
        case value([String: JSONValue])
    }

    /// Which table a text field's repeated texts are kept in.
    private enum Kind {
        case name, user, session, message
    }

    private enum Field: Sendable {
        case timestamp, interactionType, command, status, durationMs, errorMessage, metadata, sessionID, userHash
        case other
    }

    /// The interaction stored as `line`.
    /// - Throws: ``InteractionMonitorError`` `.invalidInput` naming the field at fault, or saying why the line is not
    ///   valid JSON.
    mutating func decode(_ line: UnsafeRawBufferPointer) throws(InteractionMonitorError) -> Interaction {
        let bytes = line.bindMemory(to: UInt8.self)
        var timestamp = Text.absent, interactionType = Text.absent, command = Text.absent, status = Text.absent
        var errorMessage = Text.absent, sessionID = Text.absent, userHash = Text.absent
        var duration = Number.absent
        var metadataValue = Object.absent
        var p = JSONParser(bytes)
        var isObject = true
        do throws(JSONParser.Failure) {
            p.skipWhitespace()
            guard p.i < bytes.count, bytes[p.i] == UInt8(ascii: "{") else {
                _ = try JSONParser.parse(UnsafeRawBufferPointer(line))
                isObject = false
                throw p.fail("")
            }
            p.i += 1
            p.skipWhitespace()
            if p.i < bytes.count, bytes[p.i] == UInt8(ascii: "}") {
                p.i += 1
            } else {
                var expected = 0
                let order = Self.storedOrder
                while true {
                    p.skipWhitespace()
                    guard p.i < bytes.count, bytes[p.i] == UInt8(ascii: "\"") else { throw p.fail("expected a string key") }
                    let field: Field
                    if expected < order.count, order[expected].matches(bytes, at: p.i) {
                        // The next member in the order the encoder writes them: its name and colon match as a whole.
                        field = order[expected].field
                        p.i += order[expected].count
                        expected += 1
                    } else {
                        field = try Self.field(&p)
                        expected = order.count
                        p.skipWhitespace()
                        guard p.i < bytes.count, bytes[p.i] == UInt8(ascii: ":") else { throw p.fail("expected ':'") }
                        p.i += 1
                    }
                    p.skipWhitespace()
                    switch field {
                    case .timestamp: timestamp = try text(&p, keepBytes: true)
                    case .interactionType: interactionType = try text(&p)
                    case .command: command = try text(&p, build: fields.contains(.command))
                    case .status: status = try text(&p, keepBytes: true)
                    case .errorMessage:
                        errorMessage = try text(&p, .message, build: fields.contains(.errorMessage))
                    case .sessionID: sessionID = try text(&p, .session, build: fields.contains(.sessionID))
                    case .userHash: userHash = try text(&p, .user, build: fields.contains(.userHash))
                    case .durationMs: duration = try Self.number(&p)
                    case .metadata: metadataValue = try object(&p)
                    case .other: try p.skipValue(depth: 1)
                    }
                    p.skipWhitespace()
                    guard p.i < bytes.count else { throw p.fail("unterminated object") }
                    if bytes[p.i] == UInt8(ascii: ",") {
                        p.i += 1
                        continue
                    }
                    guard bytes[p.i] == UInt8(ascii: "}") else { throw p.fail("expected ',' or '}'") }
                    p.i += 1
                    break
                }
            }
            p.skipWhitespace()
            guard p.i == bytes.count else { throw p.fail("unexpected trailing characters") }
        } catch {
            guard isObject else { throw InteractionMonitorError(.invalidInput, "not a JSON object") }
            throw InteractionMonitorError(.invalidInput, "not valid JSON: \(error)")
        }

        func required(_ value: Text, _ name: String) throws(InteractionMonitorError) -> String {
            switch value {
            case .string(let s): return s
            case .unbuilt: return ""
            default: throw InteractionMonitorError(.invalidInput, "field '\(name)' is missing or not a string")
            }
        }
        func optional(_ value: Text, _ name: String) throws(InteractionMonitorError) -> String? {
            switch value {
            case .absent, .null, .unbuilt: return nil
            case .string(let s): return s
            case .wrongType, .bytes: throw InteractionMonitorError(.invalidInput, "field '\(name)' is not a string")
            }
        }
        let time: Timestamp?
        switch timestamp {
        case .bytes(let range): time = Timestamp(iso8601UTF8: UnsafeBufferPointer(rebasing: bytes[range]), dates: &dates)
        case .string(let s): time = Timestamp(iso8601: s)
        default: throw InteractionMonitorError(.invalidInput, "field 'timestamp' is missing or not a string")
        }
        guard let time else { throw InteractionMonitorError(.invalidInput, "field 'timestamp' is not ISO 8601") }
        let outcome: InteractionStatus?
        switch status {
        case .bytes(let range): outcome = Self.status(UnsafeBufferPointer(rebasing: bytes[range]))
        case .string(let s): outcome = InteractionStatus(rawValue: s)
        default: throw InteractionMonitorError(.invalidInput, "field 'status' is missing or not a string")
        }
        guard let outcome else {
            throw InteractionMonitorError(.invalidInput, "field 'status' is not success, failure, error or timeout")
        }
        let durationMs: Double
        switch duration {
        case .value(let d): durationMs = d
        case .absent, .null: durationMs = 0
        case .wrongType: throw InteractionMonitorError(.invalidInput, "field 'duration_ms' is not a number")
        }
        let members: [String: JSONValue]
        switch metadataValue {
        case .value(let m): members = m
        case .absent, .null: members = [:]
        case .wrongType: throw InteractionMonitorError(.invalidInput, "field 'metadata' is not an object")
        }
        return Interaction(
            timestamp: time, interactionType: InteractionType(try required(interactionType, "interaction_type")),
            command: try required(command, "command"), status: outcome, durationMs: durationMs,
            errorMessage: try optional(errorMessage, "error_message"), metadata: members,
            sessionID: try optional(sessionID, "session_id"), userHash: try optional(userHash, "user_hash"))
    }

    /// A member name as the encoder writes it, quoted and followed by its colon (`"command":`, at most 24 bytes), as
    /// three little-endian words padded with zeros: plain values, so matching one copies and counts nothing.
    private struct StoredName: Sendable {
        let field: Field
        let count: Int
        let w0, w1, w2: UInt64

        init(_ field: Field, _ name: String) {
            self.field = field
            let bytes = Array("\"\(name)\":".utf8)
            precondition(bytes.count > 8 && bytes.count <= 24, "stored member names fill one word and fit three")
            count = bytes.count
            let padded = bytes + Array(repeating: 0, count: 24 - bytes.count)
            func word(_ k: Int) -> UInt64 {
                (0..<8).reduce(UInt64(0)) { $0 | UInt64(padded[k + $1]) << (8 * UInt64($1)) }
            }
            (w0, w1, w2) = (word(0), word(8), word(16))
        }

        /// Whether `bytes` at `offset` start with this name and colon.
        @inline(__always)
        func matches(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> Bool {
            guard offset + 24 <= bytes.count else { return slowMatches(bytes, at: offset) }
            let raw = UnsafeRawPointer(bytes.baseAddress! + offset)
            let mask2: UInt64 = count >= 24 ? ~0 : count <= 16 ? 0 : (1 << (8 * UInt64(count - 16))) - 1
            let mask1: UInt64 = count >= 16 ? ~0 : count <= 8 ? 0 : (1 << (8 * UInt64(count - 8))) - 1
            return raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self) == w0
                && raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self) & mask1 == w1
                && raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self) & mask2 == w2
        }

        /// ``matches(_:at:)`` near the end of the line, byte by byte.
        private func slowMatches(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> Bool {
            guard offset + count <= bytes.count else { return false }
            for k in 0..<count {
                let w = k < 8 ? w0 : k < 16 ? w1 : w2
                guard bytes[offset + k] == UInt8(truncatingIfNeeded: w >> (8 * UInt64(k % 8))) else { return false }
            }
            return true
        }
    }

    /// The members in the order the encoder writes them (``JSONWriter``): a line it wrote matches each in turn.
    private static let storedOrder: [StoredName] = [
        StoredName(.timestamp, "timestamp"), StoredName(.interactionType, "interaction_type"),
        StoredName(.command, "command"), StoredName(.status, "status"), StoredName(.durationMs, "duration_ms"),
        StoredName(.errorMessage, "error_message"), StoredName(.metadata, "metadata"),
        StoredName(.sessionID, "session_id"), StoredName(.userHash, "user_hash"),
    ]

    /// The member name at `p.i` (a string), matched as bytes; a name with escapes is decoded first.
    private static func field(_ p: inout JSONParser) throws(JSONParser.Failure) -> Field {
        let start = p.i + 1
        let end = p.plainEnd(from: start)
        guard end < p.bytes.count, p.bytes[end] == UInt8(ascii: "\"") else {
            return field(named: try p.string())
        }
        p.i = end + 1
        let name = UnsafeBufferPointer(rebasing: p.bytes[start..<end])
        switch name.count {
        case 6 where matches(name, "status"): return .status
        case 7 where matches(name, "command"): return .command
        case 8 where matches(name, "metadata"): return .metadata
        case 9 where matches(name, "timestamp"): return .timestamp
        case 9 where matches(name, "user_hash"): return .userHash
        case 10 where matches(name, "session_id"): return .sessionID
        case 11 where matches(name, "duration_ms"): return .durationMs
        case 13 where matches(name, "error_message"): return .errorMessage
        case 16 where matches(name, "interaction_type"): return .interactionType
        default: return .other
        }
    }

    private static func field(named name: String) -> Field {
        switch name {
        case "timestamp": .timestamp
        case "interaction_type": .interactionType
        case "command": .command
        case "status": .status
        case "duration_ms": .durationMs
        case "error_message": .errorMessage
        case "metadata": .metadata
        case "session_id": .sessionID
        case "user_hash": .userHash
        default: .other
        }
    }

    /// The status spelled by `name`, matched as bytes.
    private static func status(_ name: UnsafeBufferPointer<UInt8>) -> InteractionStatus? {
        switch name.count {
        case 7 where matches(name, "success"): .success
        case 7 where matches(name, "failure"): .failure
        case 7 where matches(name, "timeout"): .timeout
        case 5 where matches(name, "error"): .error
        default: nil
        }
    }

    @inline(__always)
    private static func matches(_ name: UnsafeBufferPointer<UInt8>, _ known: StaticString) -> Bool {
        let k = known.utf8Start
        for n in 0..<name.count where name[n] != k[n] { return false }
        return true
    }

    /// The value at `p.i` as a text field: a string without escapes comes from the table (or, with `keepBytes`, as
    /// where its bytes are; without `build`, checked only); any other value is checked and marked as `null` or of the
    /// wrong type.
    private mutating func text(
        _ p: inout JSONParser, _ kind: Kind = .name, keepBytes: Bool = false, build: Bool = true
    ) throws(JSONParser.Failure) -> Text {
        guard p.i < p.bytes.count else { throw p.fail("unexpected end of input") }
        switch p.bytes[p.i] {
        case UInt8(ascii: "\"") where !build:
            try p.skipString()
            return .unbuilt
        case UInt8(ascii: "\""):
            let start = p.i + 1
            let end = p.plainEnd(from: start)
            guard end < p.bytes.count, p.bytes[end] == UInt8(ascii: "\"") else { return .string(try p.string()) }
            p.i = end + 1
            if keepBytes { return .bytes(start..<end) }
            let bytes = UnsafeBufferPointer(rebasing: p.bytes[start..<end])
            switch kind {
            case .name: return .string(names.text(bytes))
            case .user: return .string(users.text(bytes))
            case .session: return .string(sessions.text(bytes))
            case .message: return .string(messages.text(bytes))
            }
        default:
            return try Self.isNull(&p) ? .null : .wrongType
        }
    }

    /// Moves past a value that is not of its field's kind: `true` when it was `null`, `false` (checked) otherwise.
    private static func isNull(_ p: inout JSONParser) throws(JSONParser.Failure) -> Bool {
        if p.bytes[p.i] == UInt8(ascii: "n") {
            try p.literal("null")
            return true
        }
        try p.skipValue(depth: 1)
        return false
    }

    /// The value at `p.i` as the duration: a number (parsed in place when it is exact that way), `null`, or another
    /// kind (checked).
    private static func number(_ p: inout JSONParser) throws(JSONParser.Failure) -> Number {
        guard p.i < p.bytes.count else { throw p.fail("unexpected end of input") }
        switch p.bytes[p.i] {
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .value(try p.double())
        default:
            return try Self.isNull(&p) ? .null : .wrongType
        }
    }

    /// The value at `p.i` as the metadata: built when ``metadata`` is set, otherwise checked and passed over.
    private func object(_ p: inout JSONParser) throws(JSONParser.Failure) -> Object {
        guard p.i < p.bytes.count else { throw p.fail("unexpected end of input") }
        switch p.bytes[p.i] {
        case UInt8(ascii: "{"):
            guard metadata else {
                try p.skipValue(depth: 1)
                return .value([:])
            }
            guard case .object(let m) = try p.value(depth: 1) else { return .wrongType }
            return .value(m)
        default:
            return try Self.isNull(&p) ? .null : .wrongType
        }
    }
}
