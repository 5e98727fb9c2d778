import ArgumentParser
import InteractionMonitor

/// One input line of `ingest`: the stored fields, with a raw `user_id` instead of `user_hash`.
struct RawInteractionLine {
    var timestamp: Timestamp?
    var interactionType: InteractionType
    var command: String
    var status: InteractionStatus
    var durationMs: Double
    var errorMessage: String?
    var metadata: [String: JSONValue]
    var sessionID: String?
    var userID: String?

    struct Invalid: Error {
        let reason: String
    }

    init(_ bytes: [UInt8]) throws(Invalid) {
        // The known fields straight from the members: no object is built for the line itself.
        var o = RecordFields()
        let isObject: Bool
        do {
            isObject = try JSONParser.forEachMember(bytes) { key, value in o.set(key, value) }
        } catch {
            throw Invalid(reason: "not valid JSON: \(error)")
        }
        guard isObject else { throw Invalid(reason: "not a JSON object") }
        func string(_ value: JSONValue?, _ name: String) throws(Invalid) -> String? {
            switch value {
            case nil, .null?: return nil
            case .string(let s)?: return s
            default: throw Invalid(reason: "field '\(name)' is not a string")
            }
        }
        guard let command = try string(o.command, "command") else { throw Invalid(reason: "missing field 'command'") }
        guard let statusText = try string(o.status, "status") else { throw Invalid(reason: "missing field 'status'") }
        guard let status = InteractionStatus(rawValue: statusText) else {
            throw Invalid(reason: "field 'status' must be success, failure, error or timeout")
        }
        if let text = try string(o.timestamp, "timestamp") {
            guard let t = Timestamp(iso8601: text) else { throw Invalid(reason: "field 'timestamp' is not ISO 8601") }
            timestamp = t
        } else {
            timestamp = nil
        }
        switch o.durationMs {
        case .int(let i)?: durationMs = Double(i)
        case .double(let d)?: durationMs = d
        case nil, .null?: durationMs = 0
        default: throw Invalid(reason: "field 'duration_ms' is not a number")
        }
        switch o.metadata {
        case .object(let m)?: metadata = m
        case nil, .null?: metadata = [:]
        default: throw Invalid(reason: "field 'metadata' is not an object")
        }
        switch o.userID {
        case nil, .null?: userID = nil
        case .string(let s)?: userID = s
        case .int(let i)?: userID = String(i)
        default: throw Invalid(reason: "field 'user_id' is not a string or integer")
        }
        self.command = command
        self.status = status
        self.interactionType = InteractionType(try string(o.interactionType, "interaction_type") ?? InteractionType.cliCommand.rawValue)
        self.errorMessage = try string(o.errorMessage, "error_message")
        self.sessionID = try string(o.sessionID, "session_id")
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

    @Option(help: "Seconds between background flushes (useful when following a stream on standard input).")
    var flushInterval: Double = 60

    @Option(help: "Longest input line in bytes; a longer line is reported as malformed without being held in memory.")
    var maxLineBytes: Int = 1 << 20

    @Option(help: "Retention period in days: older records are dropped and counted, never stored (default 90).")
    var retentionDays: Int = 90

    func validate() throws {
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1") }
        guard maxLineBytes >= 64 else { throw ValidationError("--max-line-bytes must be at least 64") }
        guard retentionDays >= 1 else { throw ValidationError("--retention-days must be at least 1") }
        guard flushInterval > 0, flushInterval <= 86_400 else {
            throw ValidationError("--flush-interval must be more than 0 and at most 86400 seconds")
        }
    }

    func run() async throws {
        try store.checkDataDirectory()
        var configuration = try store.configuration
        configuration.batchSize = batchSize
        configuration.flushInterval = .milliseconds(Int64(flushInterval * 1000))
        configuration.maxBufferSize = max(10 * batchSize, 10_000)
        configuration.retentionDays = retentionDays
        let reader = try LineReader(path: file == "-" ? nil : file, maximumLineLength: maxLineBytes)
        let monitor = try store.makeMonitor(configuration)
        monitor.start()
        var lineNumber = 0
        var malformed = 0
        let flushLevel = configuration.maxBufferSize / 2
        var flushError: (any Error)? = nil
        let progress = TerminalProgress("ingest")
        defer { progress.finish() }
        while let line = reader.next() {
            lineNumber += 1
            if lineNumber & 1023 == 0 { progress.update(records: lineNumber, done: reader.bytesRead, total: reader.totalBytes) }
            if reader.lastLineWasTooLong {
                malformed += 1
                printError("line \(lineNumber): longer than --max-line-bytes (\(reader.lastLineLength) > \(maxLineBytes) bytes)")
                continue
            }
            if line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") }) {
                continue
            }
            let raw: RawInteractionLine
            do {
                raw = try RawInteractionLine(line)
            } catch {
                malformed += 1
                printError("line \(lineNumber): \(error.reason)")
                continue
            }
            monitor.record(
                raw.interactionType, command: raw.command, status: raw.status, durationMs: raw.durationMs,
                userID: raw.userID, sessionID: raw.sessionID, errorMessage: raw.errorMessage, metadata: raw.metadata,
                timestamp: raw.timestamp)
            // Bulk loading applies back-pressure instead of letting the bounded buffer drop records.
            if monitor.bufferedCount >= flushLevel, flushError == nil {
                do { try await monitor.flush() } catch { flushError = error }
            }
        }
        await monitor.stop()
        let stats = monitor.statistics()
        print("recorded \(stats.flushed) interactions, dropped \(stats.totalDropped + stats.buffered)\(stats.dropSummary), malformed lines \(malformed)")
        if let flushError { throw flushError }
        if let lastError = stats.lastError, stats.buffered > 0 {
            throw InteractionMonitorError(.storage, lastError)
        }
        if malformed > 0 { throw ExitCode(1) }
    }
}
