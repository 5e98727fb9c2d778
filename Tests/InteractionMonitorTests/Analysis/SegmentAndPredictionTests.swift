import Foundation
import InteractionMonitorTestKit
import Testing

@testable import InteractionMonitor
@testable import InteractionMonitorAnalytics

/// Adjusted Rand index between two labelings (Hubert & Arabie).
func adjustedRandIndex(_ a: [Int], _ b: [Int]) -> Double {
    precondition(a.count == b.count)
    func c2(_ n: Int) -> Double { Double(n) * Double(n - 1) / 2 }
    var table: [[Int]: Int] = [:]
    var rows: [Int: Int] = [:]
    var cols: [Int: Int] = [:]
    for (x, y) in zip(a, b) {
        table[[x, y], default: 0] += 1
        rows[x, default: 0] += 1
        cols[y, default: 0] += 1
    }
    let index = table.values.reduce(0.0) { $0 + c2($1) }
    let r = rows.values.reduce(0.0) { $0 + c2($1) }
    let c = cols.values.reduce(0.0) { $0 + c2($1) }
    let expected = r * c / c2(a.count)
    let maxIndex = (r + c) / 2
    return maxIndex == expected ? 1 : (index - expected) / (maxIndex - expected)
}

/// Users planted in three behaviour groups over three days: (commands, success probability, active hour, gap
/// between a session's interactions in seconds).
func plantedUsers(perGroup: Int, seed: UInt64) -> (records: [Interaction], truth: [String: Int]) {
    let groups: [([String], Double, Int, Int64)] = [
        (["deploy", "build", "status"], 0.97, 10, 120),
        (["query", "report", "export"], 0.60, 21, 20),
        (["test", "lint", "build"], 0.85, 3, 600),
    ]
    var rng = TestRNG(state: seed)
    var records: [Interaction] = []
    var truth: [String: Int] = [:]
    let day0 = now.microsecondsSinceEpoch - 4 * 86_400_000_000
    for (g, spec) in groups.enumerated() {
        for u in 0..<perGroup {
            let hash = "g\(g)u\(u)"
            truth[hash] = g
            for d in 0..<3 {
                let sessionStart = day0 + Int64(d) * 86_400_000_000 + Int64(spec.2) * 3_600_000_000 + Int64(rng.next() % 1_800_000_000)
                for k in 0..<(4 + Int(rng.next() % 4)) {
                    let t = sessionStart + Int64(k) * spec.3 * 1_000_000
                    let cmd = rng.unit() < 0.8 ? spec.0[k % spec.0.count] : rng.pick(["help", "version"])
                    records.append(Interaction(
                        timestamp: Timestamp(microsecondsSinceEpoch: t), interactionType: .cliCommand, command: cmd,
                        status: rng.unit() < spec.1 ? .success : .failure, durationMs: 50, userHash: hash))
                }
            }
        }
    }
    return (records.sorted { $0.timestamp < $1.timestamp }, truth)
}

struct SegmentTests {
    @Test func plantedGroupsAreRecovered() throws {
        let (records, truth) = plantedUsers(perGroup: 40, seed: 5)
        let (an, _) = try analyzer(records)
        let s = try an.segments()
        #expect(s.k == 3 && s.users == 120)
        var found: [String: Int] = [:]
        for g in s.segments { for m in g.members { found[m] = g.segmentID } }
        let hashes = truth.keys.sorted()
        let ari = adjustedRandIndex(hashes.map { truth[$0] ?? -2 }, hashes.map { found[$0] ?? -1 })
        print("segments: k = \(s.k), silhouette \(s.silhouette), ARI \(ari)")
        #expect(ari >= 0.9)
        #expect(s.segments.allSatisfy { !$0.description.isEmpty && $0.topCommands.count == 3 })
        // Runs repeat.
        #expect(try an.segments().segments == s.segments)
        // --min-users larger than every segment hides them all; a fixed k is honoured.
        let (hidden, _) = try analyzer(records, minUsers: 41)
        let hiddenResult = try hidden.segments()
        #expect(hiddenResult.segments.isEmpty && hiddenResult.hiddenSegments == 3)
        #expect(try an.segments(k: 2).segments.count == 2)
    }

    @Test func degenerateInputsDoNotCrash() throws {
        let (empty, _) = try analyzer([])
        #expect(try empty.segments().segments.isEmpty)
        let one = Interaction(timestamp: now, interactionType: .cliCommand, command: "a", status: .success, durationMs: .nan, userHash: "u")
        let (single, _) = try analyzer([one])
        #expect(try single.segments(k: 5).segments.map(\.size) == [1])
        #expect(try single.segments().segments.map(\.size) == [1])
        // Identical users: one segment, no NaN.
        let same = (0..<10).map { Interaction(timestamp: now, interactionType: .cliCommand, command: "a", status: .success, durationMs: 1, userHash: "u\($0)") }
        let (flat, _) = try analyzer(same)
        #expect(try flat.segments().segments.map(\.size) == [10])
        #expect(KMeans.labels([[.nan, .infinity], [1, 2]], k: nil).labels.count == 2)
        #expect(KMeans.standardised([[.nan], [1]]).allSatisfy { $0.allSatisfy(\.isFinite) })
    }

    @Test func featureTableHasDocumentedColumnsAndNoRawIDs() throws {
        let (records, _) = plantedUsers(perGroup: 5, seed: 1)
        let (an, _) = try analyzer(records)
        let t = try an.userFeatures()
        #expect(t.columns.prefix(9) == ["user_hash", "interactions", "success_rate", "sessions", "avg_session_minutes",
                                         "interactions_per_session", "hour_sin", "hour_cos", "peak_hour"])
        #expect(t.users.count == 15 && t.users.allSatisfy { t.values($0).count == t.columns.count - 1 })
        // help and version are used by every group; with K = 6 every command is still shown (each is used by
        // at least 5 users of one group), but K = 16 exceeds the users: no rows.
        #expect(t.applyingMinUsers(16).users.isEmpty)
        let k6 = t.applyingMinUsers(6)
        #expect(k6.columns.contains("share_help") && k6.users.allSatisfy { abs($0.commandShares.reduce(0, +) - 1) < 1e-9 })
    }
}

struct PredictionTests {
    @Test func nextCommandModelLearnsTransitionsAndBeatsTheBaseline() throws {
        // Sessions follow build → test → deploy (90 %) with noise; "status" is the most frequent command overall.
        var rng = TestRNG(state: 9)
        var records: [Interaction] = []
        for s in 0..<400 {
            let t0 = now.microsecondsSinceEpoch - Int64(400 - s) * 3_600_000_000
            var seq = ["build", "test", "deploy"]
            if rng.unit() < 0.1 { seq[2] = "rollback" }
            seq = ["status", "status"] + seq + ["status", "status"]
            for (k, c) in seq.enumerated() {
                records.append(Interaction(
                    timestamp: Timestamp(microsecondsSinceEpoch: t0 + Int64(k) * 1_000_000), interactionType: .cliCommand,
                    command: c, status: .success, durationMs: 1, sessionID: "s\(s)", userHash: "u\(s % 7)"))
            }
        }
        let (an, _) = try analyzer(records)
        let sessions = try an.commandSessions()
        #expect(sessions.sessions.count == 400 && sessions.sessions[0].first == "status")
        let model = NextCommandModel(sessions: sessions.sessions)
        let p = model.predict(after: "build", top: 3)
        #expect(p.first?.command == "test" && p.first!.probability > 0.95)
        #expect(abs(model.predict(after: "build", top: 100).reduce(0) { $0 + $1.probability } - 1) < 1e-9)
        #expect(model.predict(after: "never-seen", top: 1).first?.command == "status")
        let e = NextCommandModel.evaluate(sessions: sessions.sessions)
        print("predict evaluation: top-1 \(e.top1) top-3 \(e.top3) baseline \(e.baselineTop1) / \(e.baselineTop3)")
        #expect(e.trainSessions == 320 && e.testSessions == 80)
        #expect(e.top1 > e.baselineTop1 && e.top3 >= e.baselineTop3)
        #expect(NextCommandModel.evaluate(sessions: []).transitions == 0)
    }

    @Test func failurePredictionFollowsRecentHistory() throws {
        var records: [Interaction] = []
        // 200 runs at 5 % failures, then 10 failures in a row.
        for n in 0..<210 {
            let failed = n >= 200 || n % 20 == 0
            records.append(Interaction(
                timestamp: Timestamp(microsecondsSinceEpoch: now.microsecondsSinceEpoch - Int64(210 - n) * 60_000_000),
                interactionType: .cliCommand, command: "sync", status: failed ? .error : .success, durationMs: 1, userHash: "u"))
        }
        let (an, _) = try analyzer(records)
        let f = try an.failurePrediction(command: "sync")
        #expect(f.runs == 210 && abs(f.longRunFailureRate - 20.0 / 210) < 1e-9)
        #expect(f.probability > 0.4 && f.probability > 3 * f.longRunFailureRate)
        let (steady, _) = try analyzer(Array(records.prefix(200)))
        let g = try steady.failurePrediction(command: "sync")
        #expect(abs(g.probability - g.longRunFailureRate) < 0.05)
        #expect(try an.failurePrediction(command: "none").probability == 0)
    }
}

struct KMeansScaleTests {
    /// 20,000 users in 4 planted groups (16 features): k is searched on a 1,000-point sample, then all are
    /// clustered; the groups are recovered and it stays fast.
    @Test func manyUsersAreClusteredFromASampledKSearch() {
        var rng = TestRNG(state: 77)
        var points: [[Double]] = []
        var truth: [Int] = []
        for _ in 0..<20_000 {
            let g = Int(rng.next() % 4)
            truth.append(g)
            points.append((0..<16).map { d in (d % 4 == g ? 3.0 : 0.0) + 0.5 * gaussian(&rng) })
        }
        let start = ContinuousClock.now
        let r = KMeans.labels(KMeans.standardised(points), k: nil)
        let elapsed = ContinuousClock.now - start
        let ari = adjustedRandIndex(truth, r.labels)
        print("k-means on 20,000 users: k = \(r.k), ARI \(ari), \(elapsed)")
        #expect(r.k == 4 && ari >= 0.9)
        #expect(elapsed < .seconds(60))
    }
}
