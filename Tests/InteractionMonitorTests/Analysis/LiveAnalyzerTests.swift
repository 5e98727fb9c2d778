import Foundation
import InteractionMonitorTestKit
import Testing

@testable import InteractionMonitor
@testable import InteractionMonitorAnalytics

/// Traffic of one command: `perMinute` runs a minute, errors at `errorRate`, durations log-normal around `medianMs`.
private func traffic(
    command: String = "deploy", minutes: Range<Int>, perMinute: Int, errorRate: Double, medianMs: Double = 100,
    start: Timestamp, rng: inout TestRNG, message: String = "timeout after 3000 ms"
) -> [[Interaction]] {
    minutes.map { minute in
        (0..<perMinute).map { n in
            let failed = rng.unit() < errorRate
            // Box–Muller: a log-normal duration with σ = 0.5.
            let u1 = max(rng.unit(), 1e-9)
            let u2 = rng.unit()
            let z = (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
            let t = start.microsecondsSinceEpoch + Int64(minute) * 60_000_000 + Int64(n) * 60_000_000 / Int64(perMinute)
            return Interaction(
                timestamp: Timestamp(microsecondsSinceEpoch: t), interactionType: .cliCommand, command: command,
                status: failed ? .error : .success, durationMs: medianMs * exp(0.5 * z),
                errorMessage: failed ? message : nil)
        }
    }
}

private let liveStart = Timestamp(iso8601: "2026-11-20T00:00:00Z")!

private func minuteEnd(_ minute: Int) -> Timestamp {
    Timestamp(microsecondsSinceEpoch: liveStart.microsecondsSinceEpoch + Int64(minute + 1) * 60_000_000 - 1)
}

/// An analyzer that learned 24 h of steady traffic (minutes 0..<1440) at `errorRate`.
private func trained(errorRate: Double, perMinute: Int = 20, seed: UInt64) -> (LiveAnalyzer, TestRNG) {
    var rng = TestRNG(state: seed)
    let analyzer = LiveAnalyzer()
    let history = traffic(minutes: 0..<1440, perMinute: perMinute, errorRate: errorRate, start: liveStart, rng: &rng)
    analyzer.learn(history.joined())
    return (analyzer, rng)
}

@Suite struct LiveAnalyzerTests {
    @Test func steadyTrafficFromTheBaselineDistributionRaisesNoSpike() {
        var spikes = 0
        var latency = 0
        var windows = 0
        for seed in UInt64(1)...5 {
            let (analyzer, seeded) = trained(errorRate: 0.03, seed: seed)
            var rng = seeded
            // 1000 more minutes (200 five-minute windows, judged after every minute) from the same distribution.
            let live = traffic(minutes: 1440..<2440, perMinute: 20, errorRate: 0.03, start: liveStart, rng: &rng)
            for (offset, batch) in live.enumerated() {
                let alerts = analyzer.observe(batch, at: minuteEnd(1440 + offset))
                spikes += alerts.filter { $0.kind == .errorRateSpike }.count
                latency += alerts.filter { $0.kind == .latencyRegression }.count
            }
            windows += 200
        }
        print("live steady traffic: \(spikes) error_rate_spike and \(latency) latency_regression alerts over \(windows) windows")
        #expect(spikes == 0)
        #expect(latency == 0)
    }

    @Test func aPlantedSpikeIsReportedInTheBatchThatCarriesIt() throws {
        let (analyzer, seeded) = trained(errorRate: 0.03, seed: 42)
        var rng = seeded
        for (offset, batch) in traffic(minutes: 1440..<1450, perMinute: 20, errorRate: 0.03, start: liveStart, rng: &rng).enumerated() {
            #expect(analyzer.observe(batch, at: minuteEnd(1440 + offset)).filter { $0.kind == .errorRateSpike }.isEmpty)
        }
        let spike = traffic(minutes: 1450..<1451, perMinute: 40, errorRate: 0.6, start: liveStart, rng: &rng)
        let alerts = analyzer.observe(spike[0], at: minuteEnd(1450))
        let alert = try #require(alerts.first { $0.kind == .errorRateSpike })
        #expect(alert.command == "deploy")
        #expect(alert.observed > 0.15)  // the window still holds the four steady minutes before the spike
        #expect(abs(alert.baseline - 0.03) < 0.01)
        // Not repeated while the same window is still sliding past.
        let more = traffic(minutes: 1451..<1452, perMinute: 40, errorRate: 0.6, start: liveStart, rng: &rng)
        #expect(analyzer.observe(more[0], at: minuteEnd(1451)).filter { $0.kind == .errorRateSpike }.isEmpty)
    }

    @Test func thresholdsScaleWithTheBaselineRateAndTheWindowSize() throws {
        let (low, _) = trained(errorRate: 0.01, seed: 7)
        let (high, _) = trained(errorRate: 0.20, seed: 7)
        let lowAt100 = try #require(low.errorThreshold(command: "deploy", samples: 100))
        let highAt100 = try #require(high.errorThreshold(command: "deploy", samples: 100))
        let lowAt1000 = try #require(low.errorThreshold(command: "deploy", samples: 1000))
        print("live thresholds: baseline 1 %: \(lowAt100)/100, \(lowAt1000)/1000; baseline 20 %: \(highAt100)/100")
        #expect(lowAt100 < highAt100)
        #expect(highAt100 > 20 + 5)  // above the baseline's own count plus the minimum rise
        #expect(lowAt1000 > 5 * lowAt100)  // a rate, not a count
        // A window of 15 errors in 100 runs is a spike for a 1 % command and ordinary for a 20 % one.
        var rng = TestRNG(state: 9)
        var window = traffic(minutes: 1440..<1441, perMinute: 100, errorRate: 0, start: liveStart, rng: &rng)[0]
        for i in 0..<15 { window[i * 6].status = .error }
        #expect(low.observe(window, at: minuteEnd(1440)).contains { $0.kind == .errorRateSpike })
        #expect(!high.observe(window, at: minuteEnd(1440)).contains { $0.kind == .errorRateSpike })
        // Not enough baseline: not judged at all.
        #expect(low.errorThreshold(command: "never-seen", samples: 100) == nil)
    }

    @Test func overdispersedHistoryRaisesTheReferenceRate() throws {
        // Same pooled rate (10 %), but one command's windows spread evenly from 0 % to 20 %: median + 3 MAD is higher.
        func analyzer(swinging: Bool) -> LiveAnalyzer {
            var rng = TestRNG(state: 3)
            let a = LiveAnalyzer()
            var all: [Interaction] = []
            for w in 0..<100 {
                let rate = swinging ? 0.2 * Double(w % 11) / 10 : 0.1
                all += traffic(minutes: (w * 5)..<(w * 5 + 5), perMinute: 10, errorRate: rate, start: liveStart, rng: &rng).joined()
            }
            a.learn(all)
            return a
        }
        let steady = try #require(analyzer(swinging: false).errorThreshold(command: "deploy", samples: 50))
        let swinging = try #require(analyzer(swinging: true).errorThreshold(command: "deploy", samples: 50))
        #expect(swinging > steady)
    }

    @Test func aLatencyRegressionIsReported() throws {
        let (analyzer, seeded) = trained(errorRate: 0.03, seed: 11)
        var rng = seeded
        let slow = traffic(minutes: 1440..<1441, perMinute: 60, errorRate: 0.03, medianMs: 400, start: liveStart, rng: &rng)
        let alert = try #require(analyzer.observe(slow[0], at: minuteEnd(1440)).first { $0.kind == .latencyRegression })
        #expect(alert.observed > 2 * alert.baseline)
    }

    @Test func newErrorTemplatesAreReportedOnceAndKnownOnesNot() {
        let (analyzer, seeded) = trained(errorRate: 0.03, seed: 5)
        var rng = seeded
        var batch = traffic(minutes: 1440..<1441, perMinute: 20, errorRate: 0, start: liveStart, rng: &rng)[0]
        batch[0].status = .error
        batch[0].errorMessage = "timeout after 77 ms"  // the known template
        batch[1].status = .error
        batch[1].errorMessage = "disk quota exceeded on /var/db/x.lock"
        batch[2].status = .error
        batch[2].errorMessage = "disk quota exceeded on /tmp/other.lock"
        let alerts = analyzer.observe(batch, at: minuteEnd(1440)).filter { $0.kind == .newErrorTemplate }
        #expect(alerts.count == 1)
        #expect(alerts.first?.template == "disk quota exceeded on <PATH>")
        #expect(alerts.first?.observed == 2)
        batch[3].errorMessage = "disk quota exceeded on /a/b"
        #expect(analyzer.observe(batch, at: minuteEnd(1441)).filter { $0.kind == .newErrorTemplate }.isEmpty)
    }

    @Test func memoryIsBoundedByTheCommandAndTemplateCaps() {
        var configuration = LiveAnalyzer.Configuration()
        configuration.maximumCommands = 50
        configuration.maximumTemplates = 100
        let analyzer = LiveAnalyzer(configuration: configuration)
        func word(_ n: Int) -> String {
            var n = n
            var s = ""
            repeat {
                s.append(Character(UnicodeScalar(UInt8(97 + n % 26))))
                n /= 26
            } while n > 0
            return s
        }
        for minute in 0..<100 {
            let batch = (0..<100).map { n in
                Interaction(
                    timestamp: Timestamp(microsecondsSinceEpoch: liveStart.microsecondsSinceEpoch + Int64(minute) * 60_000_000),
                    interactionType: .cliCommand, command: "cmd-\(word(minute * 100 + n))", status: .error, durationMs: 5,
                    errorMessage: "failure \(word(minute * 100 + n))")
            }
            analyzer.observe(batch, at: minuteEnd(minute))
            let s = analyzer.statistics()
            #expect(s.commands <= 50)
            #expect(s.templates <= 100)
        }
        #expect(analyzer.statistics().observed == 10_000)
    }

    @Test func dropBurstsAreJudgedAgainstUsualDrops() {
        let analyzer = LiveAnalyzer()
        var stats = MonitorStatistics()
        var t = liveStart.microsecondsSinceEpoch
        func tick(_ dropped: Int) -> [LiveAlert] {
            stats.dropped[.bufferFull, default: 0] += dropped
            t += 60_000_000
            return analyzer.observe(statistics: stats, at: Timestamp(microsecondsSinceEpoch: t))
        }
        _ = tick(0)
        for _ in 0..<10 { #expect(tick(0).isEmpty) }
        stats.dropped[.optedOut] = 1000  // opt-outs are not a problem
        #expect(tick(0).isEmpty)
        let burst = tick(250)
        #expect(burst.count == 1 && burst.first?.kind == .dropBurst && burst.first?.observed == 250)
    }

    @Test func theMonitorFeedsItsLiveAnalyzerFromTheFlushTask() async throws {
        let live = LiveAnalyzer()
        var configuration = InteractionMonitor.Configuration(dataDirectory: "/nonexistent", keysDirectory: "/nonexistent")
        configuration.liveAnalyzer = live
        configuration.retentionDays = nil
        let monitor = try InteractionMonitor(configuration: configuration, store: InMemorySegmentStore(), keyring: try TestKeyring.make())
        let stream = live.alerts()
        var rng = TestRNG(state: 1)
        let start = Timestamp(microsecondsSinceEpoch: Timestamp.now().microsecondsSinceEpoch - 1440 * 60_000_000)
        live.learn(traffic(minutes: 0..<1439, perMinute: 5, errorRate: 0.02, start: start, rng: &rng).joined())
        for n in 0..<40 {
            monitor.record(.cliCommand, command: "deploy", status: n % 3 == 0 ? .success : .error, durationMs: 80, userID: "alice@example.com", errorMessage: "timeout after \(n) ms")
        }
        try await monitor.flush()
        var iterator = stream.makeAsyncIterator()
        let alert = try #require(await iterator.next())
        #expect(alert.kind == .errorRateSpike)
        #expect(alert.command == "deploy")
        #expect(live.statistics().observed == 40)
    }
}
