import ArgumentParser
import InteractionMonitor
import InteractionMonitorAnalytics
import Logging

struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Follow the store while other processes write and print live alerts as they happen.",
        discussion: """
            Builds each command's baseline from the last --baseline-hours of stored data, then polls every --interval \
            seconds, decrypting only segments appended since the last poll, and prints error_rate_spike, \
            latency_regression and new_error_template alerts (one JSON object per line with --json). \
            How alerts are decided: the LiveDetection article of the documentation. Stops with exit 0 on SIGINT \
            or SIGTERM.
            """)

    @OptionGroup var store: StoreOptions
    @Flag(help: "Print one JSON object per alert and line.") var json = false
    @Option(help: "Seconds between polls of the store.") var interval: Double = 5
    @Option(help: "Hours of stored data that make the baseline.") var baselineHours: Double = 168
    @Option(help: "Length of the sliding window judged, in seconds.") var window: Double = 300

    func validate() throws {
        guard interval >= 0.05, interval <= 3600 else { throw ValidationError("--interval must be between 0.05 and 3600 seconds") }
        guard baselineHours >= 0, baselineHours <= 24 * 366 else { throw ValidationError("--baseline-hours must be between 0 and 8784") }
        guard window >= 1, window <= 86_400 else { throw ValidationError("--window must be between 1 and 86400 seconds") }
    }

    func run() async throws {
        StopSignal.install()
        let reader = try store.reader(mustExist: false)
        let follower = SegmentFollower(store: reader.store, keyring: reader.keyring)
        var configuration = LiveAnalyzer.Configuration()
        configuration.window = .milliseconds(Int64(window * 1000))
        configuration.logger = Logger(label: "interaction-monitor-watch")
        let analyzer = LiveAnalyzer(configuration: configuration)

        let issues = LiveBaseline.IssuePrinter()
        let learned = try LiveBaseline.load(follower: follower, analyzer: analyzer, hours: baselineHours, issue: issues.report)
        let commands = analyzer.statistics().commands
        printError("watching \(store.storeDescription): baseline \(learned) interactions of \(commands) command(s) over \(format(baselineHours, 0)) h; polling every \(format(interval, 2)) s")

        while !StopSignal.isRaised {
            await StopSignal.sleep(seconds: interval)
            if StopSignal.isRaised { break }
            var fresh: [Interaction] = []
            let emit = { (batch: [Interaction]) in
                for alert in analyzer.observe(batch, at: .now()) {
                    writeLineNow(json ? alert.json.jsonText : Self.text(alert))
                }
            }
            try follower.poll(issue: issues.report) { i in
                fresh.append(i)
                if fresh.count >= 10_000 {
                    emit(fresh)
                    fresh.removeAll(keepingCapacity: true)
                }
            }
            emit(fresh)  // also slides the windows when nothing new arrived
            if issues.takeUnknownKey(), let reloaded = try? store.loadKeyring() { follower.update(keyring: reloaded) }
        }
        printError("watch stopped")
    }

    static func text(_ a: LiveAlert) -> String {
        let value: (Double) -> String = { x in
            switch a.kind {
            case .errorRateSpike: percent(x)
            case .latencyRegression: format(x) + " ms"
            case .newErrorTemplate, .dropBurst: format(x, 0)
            }
        }
        return "\(a.at.iso8601) \(a.kind.rawValue) \(a.command ?? "-"): observed \(value(a.observed)), baseline \(value(a.baseline)), threshold \(value(a.threshold)) — \(a.message)"
    }
}
