import ArgumentParser
import Foundation
import InteractionMonitor

/// One input line of `ingest`: the stored fields, with a raw `user_id` instead of `user_hash`.
struct RawInteractionLine: Decodable {
    var timestamp: String?
    var interactionType: String?
    var command: String
    var status: InteractionStatus
    var durationMs: Double?
    var errorMessage: String?
    var metadata: [String: JSONValue]?
    var sessionID: String?
    var userID: JSONValue?

    enum CodingKeys: String, CodingKey {
        case timestamp, command, status, metadata
        case interactionType = "interaction_type"
        case durationMs = "duration_ms"
        case errorMessage = "error_message"
        case sessionID = "session_id"
        case userID = "user_id"
    }

    /// The user id as text (numbers are accepted and written in decimal).
    var userIDText: String? {
        switch userID {
        case .string(let s): s
        case .int(let i): String(i)
        case .double(let d): String(d)
        default: nil
        }
    }
}

struct IngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Record raw interactions given as JSON lines (a file or stdin) through the library.",
        discussion: """
            Each line: {"command": "...", "status": "success|failure|error|timeout", "interaction_type": "cli_command", \
            "duration_ms": 12.5, "user_id": "alice", "session_id": "...", "error_message": "...", "metadata": {...}, \
            "timestamp": "2026-11-25T09:30:00Z"}. Only command and status are required. A malformed line is reported \
            with its line number and skipped; the exit code is then 1.
            """)

    @OptionGroup var store: StoreOptions

    @Argument(help: "A JSON-lines file; standard input when omitted or '-'.")
    var file: String?

    @Option(help: "Records per sealed segment.")
    var batchSize: Int = 1000

    func validate() throws {
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1") }
    }

    func run() async throws {
        var configuration = store.configuration
        configuration.batchSize = batchSize
        configuration.maxBufferSize = max(10 * batchSize, 10_000)
        let reader = try LineReader(path: file == "-" ? nil : file)
        let monitor = try InteractionMonitor(configuration: configuration)
        monitor.start()
        let decoder = JSONDecoder()
        var lineNumber = 0
        var malformed = 0
        let flushLevel = configuration.maxBufferSize / 2
        var flushError: (any Error)? = nil
        while let line = reader.next() {
            lineNumber += 1
            if line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") }) {
                continue
            }
            let raw: RawInteractionLine
            do {
                raw = try decoder.decode(RawInteractionLine.self, from: Data(line))
            } catch {
                malformed += 1
                printError("line \(lineNumber): \(Self.describe(error))")
                continue
            }
            var timestamp: Timestamp? = nil
            if let text = raw.timestamp {
                guard let parsed = Timestamp(iso8601: text) else {
                    malformed += 1
                    printError("line \(lineNumber): timestamp is not ISO 8601")
                    continue
                }
                timestamp = parsed
            }
            monitor.record(
                InteractionType(raw.interactionType ?? InteractionType.cliCommand.rawValue), command: raw.command,
                status: raw.status, durationMs: raw.durationMs ?? 0, userID: raw.userIDText, sessionID: raw.sessionID,
                errorMessage: raw.errorMessage, metadata: raw.metadata ?? [:], timestamp: timestamp)
            // Bulk loading applies back-pressure instead of letting the bounded buffer drop records.
            if monitor.bufferedCount >= flushLevel, flushError == nil {
                do { try await monitor.flush() } catch { flushError = error }
            }
        }
        await monitor.stop()
        let stats = monitor.statistics()
        print("recorded \(stats.flushed) interactions, dropped \(stats.totalDropped + stats.buffered), malformed lines \(malformed)")
        if let flushError { throw flushError }
        if let lastError = stats.lastError, stats.buffered > 0 {
            throw InteractionMonitorError(.storage, lastError)
        }
        if malformed > 0 { throw ExitCode(1) }
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): "missing field '\(key.stringValue)'"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            "field '\(context.codingPath.map(\.stringValue).joined(separator: "."))' has the wrong type"
        case DecodingError.dataCorrupted(let context):
            context.codingPath.isEmpty
                ? "not valid JSON"
                : "field '\(context.codingPath.map(\.stringValue).joined(separator: "."))' has an invalid value"
        default: "not a valid interaction"
        }
    }
}
