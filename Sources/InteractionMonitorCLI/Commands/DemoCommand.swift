import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import InteractionMonitor
import InteractionMonitorAnalytics

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Record realistic synthetic traffic through the library into the data directory, then print the stats.")

    @OptionGroup var store: StoreOptions

    @Option(help: "How many interactions to record (the default is enough for the planted incident to show).")
    var count: Int = 20_000

    @Option(help: "Seed for the synthetic traffic.")
    var seed: UInt64 = 42

    @Option(help: "Retention period in days: older records are dropped and counted, never stored (default 90).")
    var retentionDays: Int = 90

    func validate() throws {
        guard count >= 1, count <= 10_000_000 else { throw ValidationError("--count must be between 1 and 10000000") }
        guard retentionDays >= 1 else { throw ValidationError("--retention-days must be at least 1") }
    }

    func run() async throws {
        var configuration = try store.configuration
        configuration.maxBufferSize = 10_000
        configuration.retentionDays = retentionDays
        let monitor = try store.makeMonitor(configuration)
        monitor.start()
        var traffic = SyntheticTraffic(seed: seed)
        let now = Timestamp.now()
        for i in 0..<count {
            // Spread over the last 7 days, in time order.
            let offset = Int64(7 * 86_400) * Int64(count - i) / Int64(count)
            let at = Timestamp(microsecondsSinceEpoch: now.microsecondsSinceEpoch - offset * 1_000_000)
            let e = traffic.next(hoursAgo: Double(offset) / 3600)
            monitor.record(
                e.type, command: e.command, status: e.status, durationMs: e.durationMs, userID: e.user,
                sessionID: e.session, errorMessage: e.error, metadata: e.metadata, timestamp: at)
            if monitor.bufferedCount >= 5000 { try await monitor.flush() }
        }
        await monitor.stop()
        let s = monitor.statistics()
        print("demo: recorded \(s.flushed) interactions into \(store.storeDescription) (\(s.segmentsWritten) segments, dropped \(s.totalDropped)\(s.dropSummary))")
        if let error = s.lastError, s.buffered > 0 { throw InteractionMonitorError(.storage, error) }
        var stats = InteractionStatistics()
        let report = try DecryptingReader(store: monitor.store, keyring: monitor.keyring).read { stats.add($0) }
        print("")
        StatsCommand.printHuman(stats)
        for issue in report.issues { printError("\(issue.severity.rawValue): \(issue)") }
        if report.hasErrors { throw ExitCode(1) }
        // The next commands, runnable as printed from here in a new shell (same defaults, same flags).
        let binary = Self.invocation
        let flags = Self.repeatedFlags
        print("")
        print("Next, try:")
        print("  \(binary) anomalies\(flags)                 # the planted incident: a spike, a slowdown, a new error")
        print("  \(binary) report\(flags) --output /tmp/interaction-report.html")
        print("  \(binary) verify\(flags)                    # authenticate every stored segment")
    }

    /// How to run this binary again: `.build/release/interaction-monitor` when that is what runs, else the path used.
    static var invocation: String {
        let argv0 = CommandLine.arguments.first ?? "interaction-monitor"
        let release = ".build/release/interaction-monitor"
        if access(release, X_OK) == 0, let real = realpath(release, nil), let me = realpath(argv0, nil) {
            defer { free(real); free(me) }
            if strcmp(real, me) == 0 { return release }
        }
        return argv0.contains("/") ? argv0 : "interaction-monitor"
    }

    /// The store flags given to `demo` (its other options do not apply to the next commands).
    static var repeatedFlags: String {
        var out = ""
        var args = CommandLine.arguments.dropFirst().makeIterator()
        let withValue: Set<String> = ["--data-dir", "--keys-dir", "--store", "--tenant", "--journal"]
        while let a = args.next() {
            if withValue.contains(a), let v = args.next() { out += " \(a) \(v)" }
            else if withValue.contains(where: { a.hasPrefix($0 + "=") }) { out += " \(a)" }
        }
        return out
    }
}

/// Deterministic, realistic-looking traffic: a few users with habits, commands with their own latency and
/// failure rates, sessions, and error messages.
struct SyntheticTraffic {
    struct Event {
        var type: InteractionType
        var command: String
        var status: InteractionStatus
        var durationMs: Double
        var user: String
        var session: String
        var error: String?
        var metadata: [String: JSONValue]
    }

    private var rng: SeededGenerator
    private var sessions: [String: (id: String, left: Int)] = [:]
    private var sessionCounter = 0

    init(seed: UInt64) { rng = SeededGenerator(seed: seed) }

    static let users = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"]
    static let commands: [(name: String, type: InteractionType, ms: Double, fail: Double, expert: String)] = [
        ("deploy", .cliCommand, 4200, 0.08, "ops"),
        ("build", .cliCommand, 1800, 0.05, "ci"),
        ("test", .cliCommand, 2600, 0.12, "ci"),
        ("config set", .cliCommand, 40, 0.02, "ops"),
        ("logs tail", .cliCommand, 300, 0.01, "ops"),
        ("GET /users/:id", .apiRequest, 35, 0.01, "api"),
        ("POST /orders", .apiRequest, 120, 0.04, "api"),
        ("GET /search", .apiRequest, 220, 0.03, "search"),
    ]
    static let errors = [
        "connection refused to db-3:5432 after 3 retries",
        "timeout waiting for lock on build cache (30000 ms)",
        "validation failed: field 'quantity' must be positive",
        "permission denied: /var/lib/app/state.json",
    ]

    /// The next event; `hoursAgo` lets the last three hours carry an incident (so `anomalies` and the report
    /// have something to find): `POST /orders` failing through a new error, `GET /search` four times slower.
    mutating func next(hoursAgo: Double = 100) -> Event {
        let incident = hoursAgo < 3
        let user = Self.users[Int(rng.next() % UInt64(Self.users.count))]
        // Users favour different commands: skew by user index.
        let bias = Self.users.firstIndex(of: user) ?? 0
        let pick = Int((rng.next() % 100 < 60 ? UInt64(bias) : rng.next()) % UInt64(Self.commands.count))
        let c = Self.commands[pick]
        let u = Double(rng.next() % 10_000) / 10_000
        let fail = incident && c.name == "POST /orders" ? 0.6 : c.fail
        let status: InteractionStatus =
            u < fail * 0.6 ? .failure : u < fail * 0.9 ? .error : u < fail ? .timeout : .success
        let jitter = 0.5 + Double(rng.next() % 1000) / 1000
        var session = sessions[user] ?? (id: "", left: 0)
        if session.left <= 0 {
            sessionCounter += 1
            session = (id: "sess-\(sessionCounter)", left: Int(rng.next() % 12) + 3)
        }
        session.left -= 1
        sessions[user] = session
        var error = status == .success ? nil : Self.errors[Int(rng.next() % UInt64(Self.errors.count))]
        if incident, c.name == "POST /orders", status != .success {
            error = "payment gateway returned 502 for order \(100_000 + rng.next() % 900_000)"
        }
        let slow = incident && c.name == "GET /search" ? 4.0 : 1.0
        return Event(
            type: c.type, command: c.name, status: status,
            durationMs: (c.ms * jitter * slow * (status == .timeout ? 8 : 1)).rounded(),
            user: user, session: session.id, error: error,
            metadata: ["expert": .string(c.expert), "version": "2.4.1", "retries": .int(Int64(rng.next() % 3))])
    }
}

