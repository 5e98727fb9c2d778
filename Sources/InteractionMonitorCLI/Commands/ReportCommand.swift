import ArgumentParser
import Foundation
import InteractionMonitor
import InteractionMonitorAnalytics

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a self-contained HTML dashboard (inline SVG charts, no scripts, no network).")
    @OptionGroup var store: StoreOptions
    @Option(help: "Minimum users per shown group (k-anonymity).") var minUsers: Int?
    @Option(help: "Where to write the HTML file.") var output: String
    @Option(help: "Window in hours for the per-command charts.") var hours: Int = 24
    @OptionGroup var privacy: PrivateReleaseOptions
    @OptionGroup var privateCommands: PrivateCommandOptions

    func validate() throws {
        guard hours >= 1 else { throw ValidationError("--hours must be at least 1") }
        if let k = minUsers, k < 1 { throw ValidationError("--min-users must be at least 1") }
        if privacy.epsilon != nil, minUsers != nil {
            throw ValidationError("--min-users does not apply to a private release (--epsilon)")
        }
    }

    func write(_ html: String) throws {
        do {
            try html.write(toFile: output, atomically: true, encoding: .utf8)
        } catch {
            throw InteractionMonitorError(.configuration, "cannot write \(output): \((error as NSError).localizedDescription)")
        }
    }

    /// Reads and clips, charges the budget, then writes a page of noisy figures only (no file when refused).
    private func runPrivate(_ epsilon: PrivacyAmount) throws {
        let (t, ledger) = try privateCommands.release(store, hours: hours, privacy: privacy, epsilon: epsilon, command: "report")
        try write(HTMLReport.renderPrivate(t, hours: hours, generatedAt: .now()))
        print("wrote \(output): differentially private (ε = \(epsilon)), \(t.overall.total) interactions (noisy), \(t.rows.count) command(s); budget \(ledger.spent) of \(ledger.budget.map(\.description) ?? "-") spent")
    }

    func run() async throws {
        if let epsilon = try privacy.amount { return try runPrivate(epsilon) }
        let analyzer = InteractionAnalyzer(reader: try store.reader(), minUsers: minUsers)
        let overview = try analyzer.overview(hours: hours)
        try write(HTMLReport.render(overview, generatedAt: analyzer.now))
        print("wrote \(output): \(overview.statistics.total) interactions, \(overview.patterns.count) patterns, \(overview.anomalies.count) anomalies")
        try finish(analyzer)
    }
}
