import ArgumentParser
import Foundation
import InteractionMonitor

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a self-contained HTML dashboard (inline SVG charts, no scripts, no network).")
    @OptionGroup var store: StoreOptions
    @Option(help: "Minimum users per shown group (k-anonymity).") var minUsers: Int?
    @Option(help: "Where to write the HTML file.") var output: String
    @Option(help: "Window in hours for the per-command charts.") var hours: Int = 24

    func validate() throws {
        guard hours >= 1 else { throw ValidationError("--hours must be at least 1") }
        if let k = minUsers, k < 1 { throw ValidationError("--min-users must be at least 1") }
    }

    func run() async throws {
        let analyzer = InteractionAnalyzer(reader: try store.reader(), minUsers: minUsers)
        let overview = try analyzer.overview(hours: hours)
        let html = HTMLReport.render(overview, generatedAt: analyzer.now)
        do {
            try html.write(toFile: output, atomically: true, encoding: .utf8)
        } catch {
            throw InteractionMonitorError(.configuration, "cannot write \(output): \((error as NSError).localizedDescription)")
        }
        print("wrote \(output): \(overview.statistics.total) interactions, \(overview.patterns.count) patterns, \(overview.anomalies.count) anomalies")
        try finish(analyzer)
    }
}
