import ArgumentParser
import Foundation
import InteractionMonitor
import InteractionMonitorAnalytics

/// Options shared by the analysis commands.
struct AnalysisOptions: ParsableArguments {
    @Flag(help: "Print JSON instead of text.") var json = false

    @Option(help: "Hide any group (command, error template, hour) seen from fewer than K distinct users.")
    var minUsers: Int?

    func validate() throws {
        if let k = minUsers, k < 1 { throw ValidationError("--min-users must be at least 1") }
    }

    func analyzer(_ store: StoreOptions) throws -> InteractionAnalyzer {
        InteractionAnalyzer(reader: try store.reader(), minUsers: minUsers)
    }
}

/// Prints reader problems on stderr and turns errors into exit 1 (results still printed).
func finish(_ analyzer: InteractionAnalyzer) throws {
    guard let report = analyzer.lastReport else { return }
    for issue in report.issues { printError("\(issue.severity.rawValue): \(issue)") }
    if report.hasErrors { throw ExitCode(1) }
}

func format(_ x: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", x) }
func percent(_ x: Double) -> String { String(format: "%.1f%%", x * 100) }

struct AnalyzeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze", abstract: "Activity in the last HOURS hours (default 24).")
    @OptionGroup var store: StoreOptions
    @OptionGroup var options: AnalysisOptions
    @OptionGroup var privacy: PrivateReleaseOptions
    @OptionGroup var privateCommands: PrivateCommandOptions
    @Argument(help: "Window length in hours.") var hours: Int = 24

    func validate() throws {
        guard hours >= 1, hours <= 24 * 366 * 10 else { throw ValidationError("HOURS must be between 1 and 87840") }
        if privacy.epsilon != nil, options.minUsers != nil {
            throw ValidationError("--min-users does not apply to a private release (--epsilon): noise and the command threshold replace it")
        }
    }

    func run() async throws {
        if let epsilon = try privacy.amount { return try runPrivate(epsilon) }
        let analyzer = try options.analyzer(store)
        let r = try analyzer.analyzeRecent(hours: hours)
        if options.json {
            print(r.json.jsonText)
        } else {
            print("Last \(hours) h (\(r.from) – \(r.to)): \(r.total) interactions, success rate \(percent(r.successRate))")
            print("Users \(r.uniqueUsers), sessions \(r.uniqueSessions)")
            print("Status: " + InteractionStatus.allCases.map { "\($0) \(r.statusCounts[$0] ?? 0)" }.joined(separator: ", "))
            print("\nCommands (runs, p50 ms, p95 ms):")
            for (c, n) in r.commandFrequency.sorted(by: { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }) {
                let d = r.commandDurations[c]
                print("  \(c.padding(toLength: 28, withPad: " ", startingAt: 0)) \(String(n).leftPad(7)) \(format(d?.p50 ?? 0).leftPad(10)) \(format(d?.p95 ?? 0).leftPad(10))")
            }
            if !r.mostFailingCommands.isEmpty {
                print("\nMost failing:")
                for f in r.mostFailingCommands { print("  \(f.command): \(f.failures) (\(percent(f.rate)))") }
            }
            if !r.errorTemplates.isEmpty {
                print("\nErrors by template:")
                for (t, n) in r.errorTemplates.sorted(by: { $0.value > $1.value }).prefix(10) { print("  \(String(n).leftPad(6))  \(t)") }
            }
            print("\nBy hour of day (UTC): " + r.hourlyDistribution.enumerated().map { "\($0.offset):\($0.element)" }.joined(separator: " "))
            if r.suppressedGroups > 0 { print("(\(r.suppressedGroups) group(s) hidden: fewer than \(options.minUsers ?? 0) users)") }
        }
        try finish(analyzer)
    }

    /// Reads and clips, charges the budget, and only then releases the noisy table (nothing printed when refused).
    private func runPrivate(_ epsilon: PrivacyAmount) throws {
        let (t, ledger) = try privateCommands.release(store, hours: hours, privacy: privacy, epsilon: epsilon, command: "analyze")
        if options.json {
            print(t.json.jsonText)
            return
        }
        let o = t.overall
        print("Last \(hours) h: \(o.total) interactions, success rate \(percent(o.successRate)), \(o.uniqueUsers) users")
        print("(differentially private: ε = \(epsilon) for this whole output; at most \(t.maxContribution) interactions per user per figure, \(t.maxCommands) commands per user)")
        print("Status: " + InteractionStatus.allCases.map { "\($0) \(o.byStatus[$0] ?? 0)" }.joined(separator: ", "))
        if let tau = t.threshold {
            print("\nCommands with a noisy user count of at least \(tau) (δ = \(t.delta ?? 0)) — runs, failures, users, success rate:")
        } else {
            print("\nCommands (public list) — runs, failures, users, success rate:")
        }
        for r in t.rows {
            print("  \(r.command.padding(toLength: 28, withPad: " ", startingAt: 0)) \(String(r.runs).leftPad(7)) \(String(r.failures).leftPad(7)) \(String(r.users).leftPad(7)) \((r.successRate.map(percent) ?? "–").leftPad(8))")
        }
        if t.rows.isEmpty { print("  (none reached the threshold; name them with --public-commands or use a larger ε)") }
        print("Noise standard deviation: ≈ \(format(t.runsNoiseStandardDeviation, 0)) on each command's runs and failures, ≈ \(format(t.usersNoiseStandardDeviation, 0)) on its users.")
        print("Durations, sessions, error templates and hours are withheld. Budget: \(ledger.spent) of \(ledger.budget.map(\.description) ?? "-") spent.")
    }
}

struct PatternsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "patterns",
        abstract: "Recurring behaviour: repetitive commands, command sequences, error patterns, retries, peak hours.",
        discussion: "Also saves all patterns, sealed, to patterns.enc (read it with `decrypt --derived patterns`).")
    @OptionGroup var store: StoreOptions
    @OptionGroup var options: AnalysisOptions
    @Option(help: "Minimum occurrences.") var minFrequency: Int = 3

    func validate() throws { guard minFrequency >= 1 else { throw ValidationError("--min-frequency must be at least 1") } }

    func run() async throws {
        let analyzer = try options.analyzer(store)
        let patterns = try analyzer.patterns(minFrequency: minFrequency)
        if options.json {
            print(JSONValue.array(patterns.map(\.json)).jsonText)
        } else {
            for p in patterns {
                print("[\(p.patternType)] \(p.description)  (confidence \(format(p.confidence, 2)), \(p.firstSeen.iso8601.prefix(10))…\(p.lastSeen.iso8601.prefix(10)))")
            }
            print("\(patterns.count) pattern(s)")
        }
        try DerivedFiles.save(patterns: patterns, store: try store.store, keyring: analyzer.reader.keyring)
        try finish(analyzer)
    }
}

struct ProfileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile",
        abstract: "A user's profile (the raw id is hashed here and never stored or printed).",
        discussion: "Also saves every user's profile, sealed, to user_profiles.enc (`decrypt --derived user_profiles`).")
    @OptionGroup var store: StoreOptions
    @OptionGroup var options: AnalysisOptions
    @OptionGroup var user: UserIDArgument

    func run() async throws {
        let analyzer = try options.analyzer(store)
        let hash = try store.administrator().userHash(of: try user.resolved())
        let profiles = try analyzer.userProfiles()
        try DerivedFiles.save(profiles: profiles, store: try store.store, keyring: analyzer.reader.keyring)
        guard let p = profiles.first(where: { $0.userHash == hash }) else {
            try finish(analyzer)
            throw InteractionMonitorError(.configuration, "no interactions stored for user \(hash)")
        }
        if options.json {
            print(p.json.jsonText)
        } else {
            print("User \(p.userHash)")
            print("  interactions:      \(p.totalInteractions), success rate \(percent(p.successRate))")
            print("  avg session:       \(format(p.avgSessionDurationMinutes)) min")
            print("  peak hours (UTC):  \(p.peakUsageHours.map(String.init).joined(separator: ", "))")
            print("  common commands:   \(p.commonCommands.joined(separator: ", "))")
            print("  common errors:     \(p.commonErrors.joined(separator: " | "))")
            print("  preferred experts: \(p.preferredExperts.joined(separator: ", "))")
        }
        try finish(analyzer)
    }
}

struct AnomaliesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "anomalies",
        abstract: "Error-rate spikes, latency regressions and new error templates in the last hours, per command, against its own history (median and MAD).")
    @OptionGroup var store: StoreOptions
    @OptionGroup var options: AnalysisOptions
    @Option(help: "Detection window in hours; earlier hours are the baseline.") var windowHours: Int = 24

    func validate() throws { guard windowHours >= 1 else { throw ValidationError("--window-hours must be at least 1") } }

    func run() async throws {
        let analyzer = try options.analyzer(store)
        let anomalies = try analyzer.anomalies(windowHours: windowHours)
        if options.json {
            print(JSONValue.array(anomalies.map(\.json)).jsonText)
        } else {
            for a in anomalies { print("[\(a.kind.rawValue)] \(a.description)") }
            print("\(anomalies.count) anomal\(anomalies.count == 1 ? "y" : "ies") in the last \(windowHours) h")
        }
        try finish(analyzer)
    }
}

extension String {
    func leftPad(_ n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
}
