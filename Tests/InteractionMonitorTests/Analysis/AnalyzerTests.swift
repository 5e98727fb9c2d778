import Foundation
import InteractionMonitorTestKit
import Testing

@testable import InteractionMonitor
@testable import InteractionMonitorAnalytics

/// A deterministic generator for test data (not for secrets).
struct TestRNG {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func unit() -> Double { Double(next() % 1_000_000) / 1_000_000 }
    mutating func pick<T>(_ a: [T]) -> T { a[Int(next() % UInt64(a.count))] }
}

let now = Timestamp(iso8601: "2026-11-25T12:00:00Z")!

func generated(count: Int, seed: UInt64, spanHours: Int = 72) -> [Interaction] {
    var rng = TestRNG(state: seed)
    let commands = ["deploy", "build", "test", "GET /users/:id"]
    let errors = ["timeout after 3000 ms", "timeout after 120 ms", "file /var/a.txt missing", "file /tmp/b missing"]
    return (0..<count).map { n in
        let t = now.microsecondsSinceEpoch - Int64(spanHours) * 3_600_000_000 * Int64(count - n) / Int64(count)
        let status = rng.pick(InteractionStatus.allCases + [.success, .success, .success])
        return Interaction(
            timestamp: Timestamp(microsecondsSinceEpoch: t), interactionType: n % 3 == 0 ? .apiRequest : .cliCommand,
            command: rng.pick(commands), status: status, durationMs: Double(rng.next() % 5000) / 10,
            errorMessage: status == .success ? nil : rng.pick(errors), metadata: ["expert": .string(rng.pick(["ops", "db"]))],
            sessionID: "s\(rng.next() % 40)", userHash: "u\(rng.next() % 25)")
    }
}

func analyzer(_ records: [Interaction], minUsers: Int? = nil) throws -> (InteractionAnalyzer, InMemorySegmentStore) {
    let store = InMemorySegmentStore()
    let keyring = try TestKeyring.make()
    _ = try SegmentWriter(store: store).write(records, batchSize: 97, keyring: keyring)
    return (InteractionAnalyzer(reader: DecryptingReader(store: store, keyring: keyring), now: now, minUsers: minUsers), store)
}

/// Exact lower-rank quantile of `values`.
func exactQuantile(_ values: [Double], _ q: Double) -> Double {
    let s = values.sorted()
    return s[Int((q * Double(s.count - 1)).rounded(.down))]
}

func withinOnePercent(_ estimate: Double, _ exact: Double) -> Bool {
    abs(estimate - exact) <= 0.01 * abs(exact) + 1e-9
}

struct StatisticsAnalyzerTests {
    @Test func statisticsMatchAnIndependentCount() throws {
        let records = generated(count: 5000, seed: 1)
        let (a, _) = try analyzer(records)
        let s = try a.statistics()
        #expect(s.total == 5000)
        for status in InteractionStatus.allCases { #expect(s.count(status) == records.filter { $0.status == status }.count) }
        #expect(s.byType["api_request"] == records.filter { $0.interactionType == .apiRequest }.count)
        #expect(s.uniqueUsers == Set(records.compactMap(\.userHash)).count)
        #expect(abs(s.meanDurationMs - records.map(\.durationMs).reduce(0, +) / 5000) < 1e-9)
        for q in [0.5, 0.95, 0.99] {
            #expect(withinOnePercent(s.durations.quantile(q), exactQuantile(records.map(\.durationMs), q)), "q=\(q)")
        }
        #expect(s.first == records.first?.timestamp && s.last == records.last?.timestamp)
        #expect(a.lastReport?.hasErrors == false)
    }

    @Test func sketchQuantilesStayWithinOnePercentOnSkewedData() {
        var rng = TestRNG(state: 9)
        var sketch = DurationSketch()
        var values: [Double] = []
        for _ in 0..<20_000 {
            let v = exp(rng.unit() * 12)  // 1 … 160,000 ms, log-uniform
            values.append(v)
            sketch.add(v)
        }
        for q in [0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999] {
            #expect(withinOnePercent(sketch.quantile(q), exactQuantile(values, q)), "q=\(q)")
        }
    }

    @Test func recentAnalysisMatchesAnIndependentCount() throws {
        let records = generated(count: 4000, seed: 2)
        let (a, _) = try analyzer(records)
        let r = try a.analyzeRecent(hours: 24)
        let cut = Timestamp(microsecondsSinceEpoch: now.microsecondsSinceEpoch - 24 * 3_600_000_000)
        let window = records.filter { $0.timestamp >= cut && $0.timestamp <= now }
        #expect(r.total == window.count)
        #expect(r.commandFrequency == Dictionary(window.map { ($0.command, 1) }, uniquingKeysWith: +))
        #expect(r.statusCounts[.error] == window.filter { $0.status == .error }.count)
        #expect(r.uniqueUsers == Set(window.compactMap(\.userHash)).count)
        #expect(r.uniqueSessions == Set(window.compactMap(\.sessionID)).count)
        #expect(r.errorTemplates["timeout after <N> ms"] == window.filter { $0.errorMessage?.hasPrefix("timeout") == true }.count)
        #expect(r.errorTemplates["file <PATH> missing"] == window.filter { $0.errorMessage?.hasPrefix("file") == true }.count)
        var hours = [Int](repeating: 0, count: 24)
        for i in window { hours[Int((i.timestamp.microsecondsSinceEpoch / 3_600_000_000) % 24)] += 1 }
        #expect(r.hourlyDistribution == hours)
        for (c, d) in r.commandDurations {
            let values = window.filter { $0.command == c }.map(\.durationMs)
            #expect(withinOnePercent(d.p50, exactQuantile(values, 0.5)))
            #expect(withinOnePercent(d.p95, exactQuantile(values, 0.95)))
        }
        #expect(abs(r.successRate - Double(window.filter { $0.status == .success }.count) / Double(window.count)) < 1e-12)
    }

    @Test func smallGroupsAreSuppressedWithMinUsers() throws {
        var records = generated(count: 500, seed: 3, spanHours: 10)
        records.append(
            Interaction(
                timestamp: Timestamp(microsecondsSinceEpoch: now.microsecondsSinceEpoch - 60_000_000), interactionType: .cliCommand,
                command: "rare-admin-command", status: .error, durationMs: 1, errorMessage: "unique failure xyz",
                userHash: "lonely"))
        let (open, _) = try analyzer(records)
        #expect(try open.analyzeRecent(hours: 24).commandFrequency["rare-admin-command"] == 1)
        let (k, _) = try analyzer(records, minUsers: 3)
        let r = try k.analyzeRecent(hours: 24)
        #expect(r.commandFrequency["rare-admin-command"] == nil)
        #expect(r.errorTemplates["unique failure xyz"] == nil)
        #expect(r.commandFrequency["deploy"] != nil)
        #expect(r.suppressedGroups >= 2)
        #expect(try !k.patterns(minFrequency: 1).contains { $0.description.contains("rare-admin-command") })
    }
}

struct PatternTests {
    func at(_ minutes: Int) -> Timestamp { Timestamp(microsecondsSinceEpoch: now.microsecondsSinceEpoch - 86_400_000_000 + Int64(minutes) * 60_000_000) }

    func rec(_ m: Int, _ c: String, _ s: InteractionStatus = .success, session: String? = "s1", user: String = "u1", error: String? = nil) -> Interaction {
        Interaction(timestamp: at(m), interactionType: .cliCommand, command: c, status: s, durationMs: 1, errorMessage: error, sessionID: session, userHash: user)
    }

    @Test func sequencesRetriesTemplatesAndPeaks() throws {
        var r: [Interaction] = []
        // Session s1: A B A B A B C  → A→B 3 (P(B|A) = 1), B→A 2, B→C 1 (P(A|B) = 2/3).
        for (k, c) in ["A", "B", "A", "B", "A", "B", "C"].enumerated() { r.append(rec(k, c)) }
        // Session s2: X fails and is retried within a minute, three times; two retries succeed.
        r += [rec(100, "X", .failure, session: "s2", error: "timeout after 100 ms"), rec(101, "X", .success, session: "s2")]
        r += [rec(110, "X", .failure, session: "s2", error: "timeout after 250 ms"), rec(111, "X", .failure, session: "s2", error: "timeout after 9 ms")]
        r += [rec(112, "X", .success, session: "s2")]
        let (a, _) = try analyzer(r)
        let p = try a.patterns(minFrequency: 2)
        let seq = try #require(p.first { $0.patternType == .commandSequence && $0.examples == ["A → B"] })
        #expect(seq.frequency == 3 && seq.confidence == 1)
        let ba = try #require(p.first { $0.patternType == .commandSequence && $0.examples == ["B → A"] })
        #expect(ba.frequency == 2 && abs(ba.confidence - 2.0 / 3) < 1e-12)
        let retry = try #require(p.first { $0.patternType == .retryAfterFailure })
        #expect(retry.frequency == 3 && abs(retry.confidence - 2.0 / 3) < 1e-12)
        let template = try #require(p.first { $0.patternType == .errorPattern })
        #expect(template.frequency == 3 && template.confidence == 1 && template.description.contains("timeout after <N> ms"))
        let rep = try #require(p.first { $0.patternType == .repetitiveCommand && $0.examples == ["X"] })
        #expect(rep.frequency == 5 && abs(rep.confidence - 5.0 / 12) < 1e-12)
        #expect(p.contains { $0.patternType == .peakUsage })
        #expect(p.allSatisfy { (0...1).contains($0.confidence) && $0.firstSeen <= $0.lastSeen && $0.patternID.count == 16 })
        // Stable ids.
        #expect(try a.patterns(minFrequency: 2).map(\.patternID) == p.map(\.patternID))
    }

    @Test func withoutSessionIdsSequencesSplitAtThirtyIdleMinutes() throws {
        let r = [rec(0, "A", session: nil), rec(5, "B", session: nil), rec(50, "A", session: nil), rec(55, "B", session: nil), rec(200, "B", session: nil)]
        let (a, _) = try analyzer(r)
        let p = try a.patterns(minFrequency: 1).filter { $0.patternType == .commandSequence }
        #expect(p.map(\.examples) == [["A → B"]])
        #expect(p.first?.frequency == 2)
    }
}

struct ProfileTests {
    @Test func profileFiguresAreExact() throws {
        func rec(_ minutes: Double, _ c: String, _ s: InteractionStatus, session: String?, expert: String? = nil, ms: Double = 0) -> Interaction {
            Interaction(
                timestamp: Timestamp(microsecondsSinceEpoch: now.microsecondsSinceEpoch - 86_400_000_000 + Int64(minutes * 60_000_000)),
                interactionType: .cliCommand, command: c, status: s, durationMs: ms, errorMessage: s == .success ? nil : "boom 42",
                metadata: expert.map { ["expert": .string($0)] } ?? [:], sessionID: session, userHash: "alice-hash")
        }
        let r = [
            rec(0, "deploy", .success, session: "a", expert: "ops"), rec(10, "deploy", .failure, session: "a", expert: "ops"),
            rec(20, "build", .success, session: "a", expert: "ci", ms: 60_000),  // session a: 0 → 21 min
            rec(100, "build", .success, session: "b"),  // session b: 0 min
            rec(300, "test", .error, session: nil), rec(310, "test", .success, session: nil),  // idle session: 10 min
            rec(400, "test", .success, session: nil),  // > 30 idle minutes later: a new session, 0 min
        ]
        var other = r[0]
        other.userHash = "bob-hash"
        let (a, store) = try analyzer(r + [other])
        let p = try #require(try a.userProfile(forHash: "alice-hash"))
        #expect(p.totalInteractions == 7)
        #expect(abs(p.successRate - 5.0 / 7) < 1e-12)
        #expect(abs(p.avgSessionDurationMinutes - (21 + 0 + 10 + 0) / 4.0) < 1e-9)
        #expect(p.commonCommands == ["test", "build", "deploy"])
        #expect(p.commonErrors == ["boom <N>"])
        #expect(p.preferredExperts == ["ops", "ci"])
        #expect(p.lastUpdated == now)
        #expect(try a.userProfile(forHash: "nobody") == nil)
        // Persisted sealed, readable, and erasure removes the user's profile.
        let keyring = a.reader.keyring
        try DerivedFiles.save(profiles: try a.userProfiles(), store: store, keyring: keyring)
        #expect(try !(store.readBlob(named: "user_profiles.enc") ?? []).contains("alice-hash"))
        #expect(try DerivedFiles.read("user_profiles", store: store, keyring: keyring)?.contains("alice-hash") == true)
        #expect(try DerivedFiles.removeProfile(userHashes: ["alice-hash"], store: store, keyring: keyring))
        let text = try #require(try DerivedFiles.read("user_profiles", store: store, keyring: keyring))
        #expect(!text.contains("alice-hash") && text.contains("bob-hash"))
    }
}

struct AnomalyTests {
    /// 48 baseline hours of `command` at `perHour` runs with `errorRate`, then `lastHours` hours at `lastRate`.
    func traffic(seed: UInt64, errorRate: Double, lastRate: Double, lastHours: Int = 1, perHour: Int = 40, slowLast: Double = 1) -> [Interaction] {
        var rng = TestRNG(state: seed)
        var out: [Interaction] = []
        for h in stride(from: 48 + lastHours, to: 0, by: -1) {
            let isLast = h <= lastHours
            for k in 0..<perHour {
                let t = now.microsecondsSinceEpoch - Int64(h) * 3_600_000_000 + Int64(k) * 60_000_000
                let failed = rng.unit() < (isLast ? lastRate : errorRate)
                out.append(
                    Interaction(
                        timestamp: Timestamp(microsecondsSinceEpoch: t), interactionType: .cliCommand, command: "deploy",
                        status: failed ? .failure : .success, durationMs: (100 + rng.unit() * 50) * (isLast ? slowLast : 1),
                        errorMessage: failed ? "connection reset by peer" : nil, userHash: "u\(k % 7)"))
            }
        }
        return out
    }

    @Test func aPlantedSpikeIsFound() throws {
        let (a, _) = try analyzer(traffic(seed: 1, errorRate: 0.03, lastRate: 0.6))
        let found = try a.anomalies(windowHours: 1)
        let spike = try #require(found.first { $0.kind == .errorRateSpike })
        #expect(spike.command == "deploy" && spike.observed > 0.4 && spike.baseline < 0.1)
    }

    @Test func steadyTrafficRaisesNoSpike() throws {
        for seed in UInt64(1)...30 {
            let (a, _) = try analyzer(traffic(seed: seed, errorRate: 0.05, lastRate: 0.05, lastHours: 3))
            #expect(try !a.anomalies(windowHours: 3).contains { $0.kind == .errorRateSpike }, "seed \(seed)")
        }
    }

    @Test func thresholdsFollowTheBaselineNotAFixedCount() throws {
        // 30 % errors is normal for a flaky command, alarming for a steady one.
        let (flaky, _) = try analyzer(traffic(seed: 5, errorRate: 0.30, lastRate: 0.33))
        #expect(try !flaky.anomalies(windowHours: 1).contains { $0.kind == .errorRateSpike })
        let (steady, _) = try analyzer(traffic(seed: 5, errorRate: 0.01, lastRate: 0.33))
        #expect(try steady.anomalies(windowHours: 1).contains { $0.kind == .errorRateSpike })
    }

    @Test func latencyRegressionAndNewTemplate() throws {
        var records = traffic(seed: 7, errorRate: 0.02, lastRate: 0.02, slowLast: 3)
        records.append(
            Interaction(
                timestamp: Timestamp(microsecondsSinceEpoch: now.microsecondsSinceEpoch - 600_000_000), interactionType: .cliCommand,
                command: "deploy", status: .error, durationMs: 1, errorMessage: "disk quota exceeded on volume 7"))
        let (a, _) = try analyzer(records)
        let found = try a.anomalies(windowHours: 1)
        #expect(found.contains { $0.kind == .latencyRegression && $0.command == "deploy" && $0.observed > 2 * $0.baseline })
        #expect(found.contains { $0.kind == .newErrorTemplate && $0.description.contains("disk quota exceeded on volume <N>") })
        #expect(!found.contains { $0.kind == .newErrorTemplate && $0.description.contains("connection reset") })
    }

    @Test func robustStatistics() {
        #expect(RobustStatistics.median([3, 1, 2]) == 2)
        #expect(RobustStatistics.median([4, 1, 2, 3]) == 2.5)
        #expect(abs(RobustStatistics.scaledMAD([1, 2, 3, 4, 100], median: 3) - 1.4826) < 1e-9)
        #expect(abs(RobustStatistics.binomialUpperTail(k: 1, n: 1, p: 0.5) - 0.5) < 1e-12)
        #expect(abs(RobustStatistics.binomialUpperTail(k: 2, n: 3, p: 0.5) - 0.5) < 1e-12)
    }
}

struct ReportTests {
    @Test func theReportIsSelfContainedAndEscapesText() throws {
        var records = generated(count: 800, seed: 11)
        records.append(
            Interaction(
                timestamp: Timestamp(microsecondsSinceEpoch: now.microsecondsSinceEpoch - 1_000_000), interactionType: .cliCommand,
                command: "<script>alert(1)</script>", status: .error, durationMs: 5, errorMessage: "bad \"quote\" & <tag>"))
        let (a, _) = try analyzer(records)
        let html = HTMLReport.render(try a.overview(), generatedAt: now)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.components(separatedBy: "<svg").count - 1 >= 4)
        #expect(!html.contains("<script"))
        #expect(html.contains("&lt;script&gt;"))
        #expect(!html.contains("http://") && !html.contains("https://") && !html.contains("src="))
        for heading in ["Interactions per hour", "Success rate per command", "Duration percentiles", "Top error templates", "Anomalies", "Patterns"] {
            #expect(html.contains(heading))
        }
    }

    @Test func theActivityChartIsTitledByItsBuckets() {
        let hour: Int64 = 3_600_000_000
        let short = (0..<48).map { (hour: Timestamp(microsecondsSinceEpoch: Int64($0) * hour), count: 1) }
        let long = (0..<(24 * 20)).map { (hour: Timestamp(microsecondsSinceEpoch: Int64($0) * hour), count: 1) }
        #expect(HTMLReport.activity(short).title == "Interactions per hour")
        #expect(HTMLReport.activity(long).title == "Interactions per day")
        #expect(HTMLReport.activity(long).chart.contains("per day, UTC"))
    }

    @Test func patternsAreRankedByLiftWithRerunsCollapsedIntoOneRow() throws {
        // Sessions where `a` is followed by itself most of the time and `login` is always followed by `home`.
        var records: [Interaction] = []
        var t = now.microsecondsSinceEpoch - 48 * 3_600_000_000
        for s in 0..<60 {
            for c in ["a", "a", "a", "a", "login", "home", "a", "a"] {
                t += 1_000_000
                records.append(
                    Interaction(
                        timestamp: Timestamp(microsecondsSinceEpoch: t), interactionType: .cliCommand, command: c,
                        status: .success, durationMs: 1, sessionID: "s\(s)", userHash: "u\(s % 9)"))
            }
        }
        let (a, _) = try analyzer(records)
        let overview = try a.overview()
        let loginHome = try #require(overview.patterns.first { $0.examples.first == "login → home" })
        #expect((loginHome.lift ?? 0) > 3, "\(loginHome)")
        #expect(overview.patterns.contains { $0.isSelfLoop })
        let table = HTMLReport.patternTable(overview.patterns)
        let rows = table.components(separatedBy: "<tr>").dropFirst(2)
        #expect(rows.first?.contains("login → home") == true, "the most surprising sequence comes first: \(table)")
        #expect(table.components(separatedBy: ">re-runs<").count == 2, "self-loops collapse into one row")
        #expect(!table.contains("a → a happened"))
    }

    @Test func longLabelsAreShortenedToFitTheirColumn() {
        let svg = HTMLReport.hbars([(label: String(repeating: "x", count: 60), value: 1, text: "1", color: "#000")], maxValue: 1)
        // The visible text is cut (the full label stays in the hover title).
        #expect(svg.contains("</title>" + String(repeating: "x", count: 26) + "…</text>"), "\(svg)")
    }
}
