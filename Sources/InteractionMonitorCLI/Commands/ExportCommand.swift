import ArgumentParser
import Foundation
import InteractionMonitor
import InteractionMonitorAnalytics

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Hand pseudonymised, scrubbed data to other tools: interactions (JSON or CSV) or analysis results (JSON).",
        discussion: """
            Interactions are exported in their stored form — user ids are keyed hashes and free text is already \
            scrubbed — as one JSON array or as CSV (metadata as a JSON column). `--what analysis` writes one JSON \
            object with `statistics`, `recent`, `patterns`, `anomalies` and `profiles`. Exit 1 when stored data \
            failed verification (what could be read is still written).
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case json, csv }
    enum What: String, ExpressibleByArgument, CaseIterable { case interactions, analysis }

    @OptionGroup var store: StoreOptions
    @Option(help: "json or csv (csv only for interactions).") var format: Format = .json
    @Option(help: "interactions or analysis.") var what: What = .interactions
    @Option(help: "Only the last H hours (default: everything stored).") var hours: Int?
    @Option(help: "Hide groups seen from fewer than K distinct users (analysis, features).") var minUsers: Int?
    @Flag(help: "One row per pseudonymous user with the behaviour features `segments` uses (csv or json; columns in the Analysis article of the documentation).")
    var features = false

    func validate() throws {
        if let hours, hours < 1 || hours > 24 * 366 * 10 { throw ValidationError("--hours must be between 1 and 87840") }
        if features && what != .interactions { throw ValidationError("--features and --what cannot be combined") }
        if format == .csv && what == .analysis { throw ValidationError("analysis results are exported as JSON only") }
        if let k = minUsers, k < 1 { throw ValidationError("--min-users must be at least 1") }
    }

    func run() async throws {
        let reader = try store.reader()
        if features { return try exportFeatures(reader) }
        let now = Timestamp.now()
        let cutoff = hours.map { Timestamp(microsecondsSinceEpoch: now.microsecondsSinceEpoch - Int64($0) * 3_600_000_000) }
        switch what {
        case .analysis:
            let analyzer = InteractionAnalyzer(reader: reader, minUsers: minUsers)
            let window = hours ?? 24
            let o: JSONValue = [
                "statistics": try analyzer.statistics().json,
                "recent": try analyzer.analyzeRecent(hours: window).json,
                "patterns": .array(try analyzer.patterns().map(\.json)),
                "anomalies": .array(try analyzer.anomalies(windowHours: window).map(\.json)),
                "profiles": .array(try analyzer.userProfiles().map(\.json)),
                "exported_at": .string(now.iso8601),
            ]
            print(o.jsonText)
            try finish(analyzer)
        case .interactions:
            var out = OutputStream.standardOutput()
            var first = true
            if format == .json { out.write("[") } else { out.line(Self.csvHeader) }
            let report = try reader.read(from: cutoff?.day) { i in
                if let cutoff, i.timestamp < cutoff { return }
                if format == .json {
                    out.write(first ? "\n" : ",\n")
                    out.write(i.jsonLine)
                } else {
                    out.line(Self.csvRow(i))
                }
                first = false
            }
            if format == .json { out.line(first ? "]" : "\n]") }
            out.flush()
            for issue in report.issues { printError("\(issue.severity.rawValue): \(issue)") }
            if report.hasErrors { throw ExitCode(1) }
        }
    }

    /// `--features`: the per-user feature table (`--hours` limits the interactions read).
    func exportFeatures(_ reader: DecryptingReader) throws {
        let now = Timestamp.now()
        let cutoff = hours.map { Timestamp(microsecondsSinceEpoch: now.microsecondsSinceEpoch - Int64($0) * 3_600_000_000) }
        let analyzer = InteractionAnalyzer(reader: reader, now: now)
        let table = try analyzer.userFeatures(since: cutoff).applyingMinUsers(minUsers)
        var out = OutputStream.standardOutput()
        let columns = table.columns
        switch format {
        case .csv:
            out.line(columns.map { Self.csvField($0) }.joined(separator: ","))
            for u in table.users {
                out.line(([u.userHash] + table.values(u).map { Self.number($0) }).map { Self.csvField($0) }.joined(separator: ","))
            }
        case .json:
            let rows: [JSONValue] = table.users.map { u in
                var o: [String: JSONValue] = ["user_hash": .string(u.userHash)]
                for (c, v) in zip(columns.dropFirst(), table.values(u)) { o[c] = v.isFinite ? .double(v) : .null }
                return .object(o)
            }
            out.line(JSONValue.object(["columns": .array(columns.map { .string($0) }), "users": .array(rows)]).jsonText)
        }
        out.flush()
        if let k = minUsers, k > 1, table.users.isEmpty { printError("note: fewer than \(k) users: no rows exported") }
        try finish(analyzer)
    }

    static func number(_ d: Double) -> String {
        guard d.isFinite else { return "" }
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        return String(format: "%.6g", d)
    }

    static func csvField(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return s }
        return "\"" + s.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }

    static let csvHeader = "timestamp,interaction_type,command,status,duration_ms,error_message,session_id,user_hash,metadata"

    /// One RFC 4180 row: fields with commas, quotes or line breaks are quoted, quotes doubled.
    static func csvRow(_ i: Interaction) -> String {
        func field(_ s: String?) -> String {
            guard let s else { return "" }
            guard s.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return s }
            return "\"" + s.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
        }
        let metadata = i.metadata.isEmpty ? "" : JSONValue.object(i.metadata).jsonText
        return [
            i.timestamp.iso8601, i.interactionType.rawValue, i.command, i.status.rawValue, "\(i.durationMs)",
            i.errorMessage, i.sessionID, i.userHash, metadata,
        ].map(field).joined(separator: ",")
    }
}
