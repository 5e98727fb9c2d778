import Foundation
import Testing

@testable import InteractionMonitor
@testable import InteractionMonitorAnalytics

/// The private releases behind `analyze`, `report`, `experiment` and `segments --epsilon`: contributions are
/// clipped, the noise's spread matches the mechanism's scale, commands are selected by the documented threshold.
struct PrivateReleaseTests {
    func std(scale b: Double) -> Double {
        let p = exp(-1 / b)
        return (2 * p).squareRoot() / (1 - p)
    }

    func interaction(_ command: String, user: String?, status: InteractionStatus = .success) -> Interaction {
        Interaction(
            timestamp: Timestamp(microsecondsSinceEpoch: 1_780_000_000_000_000), interactionType: .cliCommand,
            command: command, status: status, durationMs: 1, userHash: user)
    }

    func observedStd(_ values: [Double]) -> Double {
        let mean = values.reduce(0, +) / Double(values.count)
        return (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)).squareRoot()
    }

    @Test func commandTableClipsRunsPerCommandAndCommandsPerUser() {
        var c = PrivateCommandTable.Clipped(maxContribution: 3, maxCommands: 2)
        // u1: 50 runs of a (10 failed), 4 of b, 1 of c → keeps a (3 runs, 3 failures) and b (3 runs); drops c.
        for n in 0..<50 { c.add(interaction("a", user: "u1", status: n < 10 ? .failure : .success)) }
        for _ in 0..<4 { c.add(interaction("b", user: "u1")) }
        c.add(interaction("c", user: "u1"))
        // u2: one run of c. Two anonymous runs of a, one failed: each its own contributor.
        c.add(interaction("c", user: "u2"))
        c.add(interaction("a", user: nil))
        c.add(interaction("a", user: nil, status: .error))
        let t = c.table()
        #expect(t["a"]?.runs == 5 && t["a"]?.failures == 4 && t["a"]?.users == 3)
        #expect(t["b"]?.runs == 3 && t["b"]?.failures == 0 && t["b"]?.users == 1)
        #expect(t["c"]?.runs == 1 && t["c"]?.users == 1)
    }

    @Test func commandTableNoiseMatchesItsScaleAndPublicCommandsAreReleasedExactlyAsGiven() throws {
        var c = PrivateCommandTable.Clipped(maxContribution: 4, maxCommands: 2)
        for u in 0..<50 { for _ in 0..<6 { c.add(interaction("deploy", user: "u\(u)")) } }
        let eps = try PrivacyAmount(parsing: "2")
        var runs: [Double] = []
        var users: [Double] = []
        for _ in 0..<3_000 {
            let t = try PrivateCommandTable.release(c, epsilon: eps, publicCommands: ["deploy", "unused"])
            #expect(t.rows.map(\.command) == ["deploy", "unused"] && t.threshold == nil && t.delta == nil)
            runs.append(Double(t.rows[0].runs))
            users.append(Double(t.rows[0].users))
        }
        // Clipped true values: 50 × 4 = 200 runs, 50 users; scales 8·K·L/ε = 32 and 8·K/ε = 8.
        let f = Double(PrivateCommandTable.figureCount)
        #expect(abs(observedStd(runs) / std(scale: f * 2 * 4 / 2) - 1) < 0.15, "runs std \(observedStd(runs))")
        #expect(abs(observedStd(users) / std(scale: f * 2 / 2) - 1) < 0.15, "users std \(observedStd(users))")
        #expect(abs(runs.reduce(0, +) / Double(runs.count) - 200) < 3)
    }

    @Test func commandSelectionThresholdHidesACommandOnlyOnePersonUsed() throws {
        let eps = try PrivacyAmount(parsing: "1")
        // b = 8·5/1 = 40, p = e^(−1/40): τ = 1 + ⌈40 · ln(5 / (10⁻⁶ (1 + p)))⌉ = 591.
        #expect(PrivateCommandTable.threshold(epsilon: eps, maxCommands: 5, delta: 1e-6) == 591)
        var c = PrivateCommandTable.Clipped(maxContribution: 10)
        c.add(interaction("secret-admin-tool", user: "lonely"))
        for u in 0..<2_000 { c.add(interaction("deploy", user: "u\(u)")) }
        for _ in 0..<500 {
            let t = try PrivateCommandTable.release(c, epsilon: eps)
            #expect(t.rows.map(\.command) == ["deploy"], "\(t.rows)")
        }
    }

    @Test func experimentClipsAndItsNoiseMatchesTheScale() throws {
        var c = PrivateExperiment.Clipped(variants: ["control", "treatment"], maxContribution: 5)
        c.add(variant: "control", interactions: 100, successes: 100)
        c.add(variant: "control", interactions: 3, successes: 1)
        #expect(c.sums["control"]?.interactions == 8 && c.sums["control"]?.successes == 6 && c.sums["control"]?.users == 2)
        var big = PrivateExperiment.Clipped(variants: ["control", "treatment"], maxContribution: 5)
        for u in 0..<4_000 {
            big.add(variant: "control", interactions: 5, successes: u % 10 < 7 ? 5 : 0)
            big.add(variant: "treatment", interactions: 5, successes: u % 10 < 9 ? 5 : 0)
        }
        let eps = try PrivacyAmount(parsing: "1")
        var users: [Double] = []
        var interactions: [Double] = []
        for _ in 0..<3_000 {
            let r = try PrivateExperiment.release(big, experiment: "x", epsilon: eps)
            users.append(Double(r.variants[0].users))
            interactions.append(Double(r.variants[1].interactions))
            #expect(r.variants.allSatisfy { $0.successes <= $0.interactions })
        }
        #expect(abs(observedStd(users) / std(scale: 3) - 1) < 0.15, "users std \(observedStd(users))")
        #expect(abs(observedStd(interactions) / std(scale: 15) - 1) < 0.15, "interactions std \(observedStd(interactions))")
        // A planted 70 % → 90 % effect is found through the noise; equal splits pass the sample-ratio check.
        let r = try PrivateExperiment.release(big, experiment: "x", epsilon: eps)
        #expect(r.pValueSuccessRate < 0.001 && !r.sampleRatioMismatch)
        #expect(abs((r.variants[1].successRate ?? 0) - 0.9) < 0.02)
    }

    @Test func privateKMeansFindsWellSeparatedGroups() throws {
        // Three groups of 400 users around distinct points of the box.
        let centres: [[Int64]] = [[900, 100, 500, 200, 300], [200, 900, 500, 800, 600], [500, 500, 100, 500, 900]]
        var points: [[Int64]] = []
        for (g, centre) in centres.enumerated() {
            for n in 0..<400 { points.append(centre.map { $0 + Int64((n * 7 + g * 13) % 61) - 30 }) }
        }
        let eps = try PrivacyAmount(parsing: "8")
        var recovered = 0
        for _ in 0..<5 {
            let (s, centroids) = try PrivateSegments.release(points: points, k: 3, epsilon: eps)
            #expect(abs(s.segments.map(\.size).reduce(0, +) - 1_200) < 120)
            let found = centres.filter { centre in
                centroids.contains { c in zip(centre, c).map { pow(Double($0) - $1, 2) }.reduce(0, +).squareRoot() < 150 }
            }
            if found.count == 3 { recovered += 1 }
        }
        // Random, data-independent starts (re-seeded beside the largest segment when empty) find all three groups.
        #expect(recovered >= 4, "\(recovered) of 5 runs recovered the three groups")
    }
}
