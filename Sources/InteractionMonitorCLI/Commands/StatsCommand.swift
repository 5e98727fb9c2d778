import Foundation
import ArgumentParser
import InteractionMonitor

struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats", abstract: "Totals over stored interactions.")

    @OptionGroup var store: StoreOptions
    @OptionGroup var range: DayRangeOptions

    @Flag(help: "Print one JSON object.")
    var json = false

    @Option(help: "Release differentially private figures costing this ε from the store's privacy budget (see `privacy budget`).")
    var epsilon: String?

    @Option(help: "With --epsilon: interactions one user may add to each released count (default 10).")
    var maxContribution: Int = NoisyStatistics.defaultMaxContribution

    func validate() throws {
        guard maxContribution >= 1, maxContribution <= 1_000 else { throw ValidationError("--max-contribution must be 1...1000") }
    }

    func run() async throws {
        if let epsilon { return try await runPrivate(epsilon) }
        var stats = InteractionStatistics()
        let report = try store.reader().read(from: range.from, to: range.to) { stats.add($0) }
        for issue in report.issues { printError("\(issue.severity.rawValue): \(issue)") }
        if json {
            print(stats.json.jsonText)
        } else {
            Self.printHuman(stats)
        }
        if report.hasErrors { throw ExitCode(1) }
    }

    /// Reads everything, charges the budget, and only then releases noisy figures. A refused charge prints nothing.
    private func runPrivate(_ text: String) async throws {
        let epsilon = try PrivacyAmount(parsing: text)
        let reader = try store.reader()
        var clipped = NoisyStatistics.Clipped(maxContribution: maxContribution)
        let report = try reader.read(from: range.from, to: range.to) { clipped.add($0) }
        for issue in report.issues { printError("\(issue.severity.rawValue): \(issue)") }
        if report.hasErrors { throw ExitCode(1) }
        let ledger = try PrivacyLedger.charge(epsilon, command: "stats", store: reader.store, keyring: reader.keyring)
        let noisy = try NoisyStatistics.release(clipped, epsilon: epsilon)
        if json {
            print(noisy.json.jsonText)
        } else {
            print("Interactions:   \(noisy.total)   (differentially private: ε = \(epsilon), at most \(noisy.maxContribution) per user per count)")
            for s in InteractionStatus.allCases { print("  \((s.rawValue + ":").padding(toLength: 12, withPad: " ", startingAt: 0))\(noisy.byStatus[s] ?? 0)") }
            print("Success rate:   \(String(format: "%.1f%%", noisy.successRate * 100))")
            print("Unique users:   \(noisy.uniqueUsers)")
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
