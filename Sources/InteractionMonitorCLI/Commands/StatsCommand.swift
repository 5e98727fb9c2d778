import Foundation
import ArgumentParser
import InteractionMonitor
import InteractionMonitorAnalytics

struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats", abstract: "Totals over stored interactions.")

    @OptionGroup var store: StoreOptions
    @OptionGroup var range: DayRangeOptions

    @Flag(help: "Print one JSON object.")
    var json = false

    @OptionGroup var privacy: PrivateReleaseOptions

    func run() async throws {
        if let epsilon = try privacy.amount { return try await runPrivate(epsilon) }
        var stats = InteractionStatistics()
        var reader = try store.reader()
        reader.fields = InteractionStatistics.fields  // the rest is checked, not built
        let report = try reader.read(from: range.from, to: range.to) { stats.add($0) }
        for issue in report.issues { printError("\(issue.severity.rawValue): \(issue)") }
        if json {
            print(stats.json.jsonText)
        } else {
            Self.printHuman(stats)
        }
        if report.hasErrors { throw ExitCode(1) }
    }

    /// Reads everything, charges the budget, and only then releases noisy figures. A refused charge prints nothing.
    private func runPrivate(_ epsilon: PrivacyAmount) async throws {
        let reader = try store.reader()
        var clipped = NoisyStatistics.Clipped(maxContribution: privacy.maxContribution)
        let report = try reader.read(from: range.from, to: range.to) { clipped.add($0) }
        try requireIntact(report)
        let ledger = try privacy.charge(epsilon, command: "stats", reader: reader, journal: try store.journal)
        let noisy = try NoisyStatistics.release(clipped, epsilon: epsilon)
        if json {
            print(noisy.json.jsonText)
        } else {
            print("Interactions:   \(noisy.total)   (differentially private: ε = \(epsilon), at most \(noisy.maxContribution) per user per count)")
            for s in InteractionStatus.allCases { print("  \((s.rawValue + ":").padding(toLength: 12, withPad: " ", startingAt: 0))\(noisy.byStatus[s] ?? 0)") }
            print("Success rate:   \(String(format: "%.1f%%", noisy.successRate * 100))")
            print("Unique users:   \(noisy.uniqueUsers)")
            print(String(format: "Noise:          standard deviation %.0f per count, %.0f on users", noisy.countNoiseStandardDeviation, noisy.usersNoiseStandardDeviation))
            if noisy.noiseDominates {
                print("WARNING: the noise is about as large as the data (fewer than 10 standard deviations in total): the rates above are unreliable; release over more data or a larger ε.")
            }
            print("Durations are withheld in a private release. Budget: \(ledger.spent) of \(ledger.budget.map(\.description) ?? "-") spent.")
        }
    }

    static func printHuman(_ stats: InteractionStatistics) {
        func pct(_ x: Double) -> String { String(format: "%.1f%%", x * 100) }
        print("Interactions:   \(stats.total)")
        print("  success:      \(stats.count(.success))")
        print("  failure:      \(stats.count(.failure))")
        print("  error:        \(stats.count(.error))")
        print("  timeout:      \(stats.count(.timeout))")
        print("Success rate:   \(pct(stats.successRate))")
        print("Unique users:   \(stats.uniqueUsers)")
        print("Duration:       mean \(String(format: "%.1f", stats.meanDurationMs)) ms, p50 \(String(format: "%.1f", stats.durations.quantile(0.5))), p95 \(String(format: "%.1f", stats.durations.quantile(0.95))), p99 \(String(format: "%.1f", stats.durations.quantile(0.99))) ms")
        for (type, n) in stats.byType.sorted(by: { $0.key < $1.key }) { print("  \(type): \(n)") }
        if let first = stats.first, let last = stats.last { print("From \(first) to \(last)") }
    }
}
