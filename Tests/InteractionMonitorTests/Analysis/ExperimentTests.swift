import Foundation
import InteractionMonitorTestKit
import Testing

@testable import InteractionMonitor
@testable import InteractionMonitorAnalytics

/// A standard normal draw (Box–Muller) from the seeded test generator.
func gaussian(_ rng: inout TestRNG) -> Double {
    let u1 = max(rng.unit(), 1e-9)
    let u2 = rng.unit()
    return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
}

/// Simulated users of one variant: heterogeneous per-user success probabilities around `rate`, 1–20
/// interactions each, log-normal durations scaled by `durationFactor`.
func simulatedUsers(_ n: Int, rate: Double, durationFactor: Double = 1, rng: inout TestRNG) -> [ExperimentUserOutcome] {
    (0..<n).map { _ in
        let p = min(0.99, max(0.01, rate + 0.1 * gaussian(&rng)))
        let k = 1 + Int(rng.next() % 20)
        var s = 0
        var d: [Double] = []
        for _ in 0..<k {
            if rng.unit() < p { s += 1 }
            d.append(durationFactor * 100 * exp(0.5 * gaussian(&rng)))
        }
        return ExperimentUserOutcome(interactions: k, successes: s, durationsMs: d)
    }
}

struct ExperimentAssignmentTests {
    /// Scheme v1 test vectors (also in SECURITY.md), computed independently with Python's hashlib.blake2b.
    @Test func testVectorsAreFixed() throws {
        let a = ExperimentAssignment.standard
        let vectors: [(String, String, Int)] = [
            ("checkout-button", "user-1", 6151), ("checkout-button", "user-2", 8674),
            ("checkout-button", "user-3", 4040), ("checkout-button", "user-4", 2537),
            ("checkout-button", "alice@example.com", 9649), ("search-ranking", "user-1", 5173), ("", "", 5410),
            ("zürich-test", "ユーザー", 6522),
        ]
        for (e, u, b) in vectors { #expect(try a.bucket(experiment: e, userID: u) == b, "\(e) \(u)") }
        let secret = try ExperimentAssignment(key: Array(0..<32))
        #expect(try secret.bucket(experiment: "checkout-button", userID: "user-1") == 9465)
        #expect(!secret.usesPublicKey && a.usesPublicKey)
        let v = ["a", "b", "c"]
        #expect(try a.variant(experiment: "checkout-button", userID: "user-4", variants: v, weights: [30, 20, 50]) == "a")
        #expect(try a.variant(experiment: "checkout-button", userID: "user-3", variants: v, weights: [30, 20, 50]) == "b")
        #expect(try a.variant(experiment: "checkout-button", userID: "user-1", variants: v, weights: [30, 20, 50]) == "c")
        #expect(try a.variant(experiment: "checkout-button", userID: "user-1", variants: ["control", "treatment"]) == "treatment")
    }

    @Test func distributionMatchesWeightsAndExperimentsAreIndependent() throws {
        let a = ExperimentAssignment.standard
        let n = 40_000
        var counts = [String: Int]()
        var joint = [String: Int]()
        for i in 0..<n {
            let v = try a.variant(experiment: "e1", userID: "user-\(i)", variants: ["a", "b", "c"], weights: [10, 30, 60])
            let w = try a.variant(experiment: "e2", userID: "user-\(i)", variants: ["x", "y"])
            counts[v, default: 0] += 1
            joint[v + w, default: 0] += 1
        }
        let fit = StatisticalTests.chiSquareGoodnessOfFit(
            observed: ["a", "b", "c"].map { counts[$0] ?? 0 }, weights: [10, 30, 60])
        #expect(fit.pValue > 0.001, "\(counts)")
        // Independence: the e2 split is 50/50 within each e1 variant.
        for v in ["a", "b", "c"] {
            let x = Double(joint[v + "x"] ?? 0)
            let y = Double(joint[v + "y"] ?? 0)
            #expect(abs(x / (x + y) - 0.5) < 0.03, "\(v): \(x) vs \(y)")
        }
        // Zero weight: never assigned.
        for i in 0..<1000 {
            #expect(try a.variant(experiment: "e3", userID: "u\(i)", variants: ["off", "on"], weights: [0, 1]) == "on")
        }
    }

    @Test func badArgumentsThrowInsteadOfCrashing() {
        let a = ExperimentAssignment.standard
        #expect(throws: InteractionMonitorError.self) { try a.variant(experiment: "e", userID: "u", variants: []) }
        #expect(throws: InteractionMonitorError.self) { try a.variant(experiment: "e", userID: "u", variants: ["a", "a"]) }
        #expect(throws: InteractionMonitorError.self) { try a.variant(experiment: "e", userID: "u", variants: ["a"], weights: [1, 2]) }
        #expect(throws: InteractionMonitorError.self) { try a.variant(experiment: "e", userID: "u", variants: ["a", "b"], weights: [0, 0]) }
        #expect(throws: InteractionMonitorError.self) { try a.variant(experiment: "e", userID: "u", variants: ["a", "b"], weights: [-1, 2]) }
        #expect(throws: InteractionMonitorError.self) { try ExperimentAssignment(key: [1, 2, 3]) }
    }

    @Test func monitorVariantRecordsAnExposureAndSurvivesAHashKeyRotation() async throws {
        let dir = TemporaryDirectory()
        var config = InteractionMonitor.Configuration(dataDirectory: dir.data, keysDirectory: dir.keys)
        config.retentionDays = nil
        let monitor = try InteractionMonitor(configuration: config)
        let before = try monitor.variant(experiment: "checkout-button", userID: "user-1", variants: ["control", "treatment"])
        #expect(before == "treatment")
        try await monitor.flush()
        let stored = try monitor.storedInteractions()
        let exposure = try #require(stored.first)
        #expect(exposure.interactionType == .experimentExposure)
        #expect(exposure.metadata["experiment"] == .string("checkout-button") && exposure.metadata["variant"] == .string("treatment"))
        #expect(exposure.userHash != nil && exposure.userHash != "user-1")
        await monitor.stop()
        // A rotated hash key changes pseudonyms, never assignments.
        _ = try KeyringAdministration.rotate(directory: dir.keys, secret: nil, purpose: .hash)
        let again = try InteractionMonitor(configuration: config)
        #expect(try again.variant(experiment: "checkout-button", userID: "user-1", variants: ["control", "treatment"]) == before)
        await again.stop()
    }
}

struct ExperimentStatisticsTests {
    @Test func statisticalFunctionsMatchKnownValues() {
        #expect(abs(StatisticalTests.normalCDF(1.959963984540054) - 0.975) < 1e-9)
        #expect(abs(StatisticalTests.chiSquareSurvival(3.841458820694124, df: 1) - 0.05) < 1e-9)
        #expect(abs(StatisticalTests.chiSquareSurvival(5.991464547107979, df: 2) - 0.05) < 1e-9)
        #expect(abs(StatisticalTests.chiSquareSurvival(7.814727903251178, df: 3) - 0.05) < 1e-9)
        #expect(abs(StatisticalTests.chiSquareSurvival(9.487729036781154, df: 4) - 0.05) < 1e-9)
        #expect(StatisticalTests.chiSquareSurvival(.nan, df: 1) == 1 && StatisticalTests.twoSidedP(.nan) == 1)
        // scipy.stats.mannwhitneyu([1,2,3,4,5],[6,7,8,9,10], method="asymptotic") → p = 0.012186
        let mw = StatisticalTests.mannWhitney([1, 2, 3, 4, 5], [6, 7, 8, 9, 10])
        #expect(mw.u == 0 && abs(mw.pValue - 0.012186) < 1e-5)
        #expect(StatisticalTests.mannWhitney([], [1]).pValue == 1 && StatisticalTests.mannWhitney([2, 2], [2, 2]).pValue == 1)
        #expect(StatisticalTests.median([]) == nil && StatisticalTests.median([3, 1, 2, .nan]) == 2)
    }

    @Test func aPlantedEffectIsFound() {
        var rng = TestRNG(state: 7)
        let control = simulatedUsers(400, rate: 0.70, rng: &rng)
        let treatment = simulatedUsers(400, rate: 0.80, durationFactor: 0.8, rng: &rng)
        let r = ExperimentStatistics.compare(
            experiment: "e", command: nil, variants: ["control", "treatment"], groups: [control, treatment], weights: nil)
        #expect(r.pValueSuccessRate < 0.001 && r.pValueDuration < 0.001)
        #expect(!r.sampleRatioMismatch)
        let t = r.variants[1]
        #expect(t.ciLow! < 0.8 && t.ciHigh! > 0.8 && t.ciLow! > r.variants[0].ciHigh!)
    }

    /// A/A simulations: the false-positive rate at α = 0.05 must lie within 2–8 % for both tests.
    @Test func falsePositiveRateWithoutAnEffectIsNominal() {
        var rng = TestRNG(state: 2024)
        let runs = 1000
        var successFP = 0
        var durationFP = 0
        var srm = 0
        for _ in 0..<runs {
            let a = simulatedUsers(200, rate: 0.75, rng: &rng)
            let b = simulatedUsers(200, rate: 0.75, rng: &rng)
            let r = ExperimentStatistics.compare(experiment: "e", command: nil, variants: ["a", "b"], groups: [a, b], weights: nil)
            if r.pValueSuccessRate < 0.05 { successFP += 1 }
            if r.pValueDuration < 0.05 { durationFP += 1 }
            if r.sampleRatioMismatch { srm += 1 }
        }
        let fpS = Double(successFP) / Double(runs)
        let fpD = Double(durationFP) / Double(runs)
        print("A/A false-positive rate over \(runs) simulations: success \(fpS), duration \(fpD)")
        #expect((0.02...0.08).contains(fpS), "success-rate FP \(fpS)")
        #expect((0.02...0.08).contains(fpD), "duration FP \(fpD)")
        #expect(srm == 0)
    }

    @Test func aPlantedImbalanceTripsTheSampleRatioCheck() {
        var rng = TestRNG(state: 3)
        let a = simulatedUsers(1000, rate: 0.7, rng: &rng)
        let b = simulatedUsers(820, rate: 0.7, rng: &rng)
        let r = ExperimentStatistics.compare(experiment: "e", command: nil, variants: ["a", "b"], groups: [a, b], weights: nil)
        #expect(r.sampleRatioMismatch && r.srmPValue < 0.001)
        // The same counts are fine against weights that expect them.
        let w = ExperimentStatistics.compare(experiment: "e", command: nil, variants: ["a", "b"], groups: [a, b], weights: [1000, 820])
        #expect(!w.sampleRatioMismatch)
    }

    @Test func emptyAndDegenerateInputsDoNotCrash() {
        let empty = ExperimentStatistics.compare(experiment: "e", command: nil, variants: [], groups: [], weights: nil)
        #expect(empty.variants.isEmpty && empty.pValueSuccessRate == 1)
        let one = [ExperimentUserOutcome(interactions: 1, successes: 1, durationsMs: [.nan])]
        let r = ExperimentStatistics.compare(experiment: "e", command: nil, variants: ["a", "b"], groups: [one, []], weights: nil)
        #expect(r.variants.count == 2 && r.variants[1].successRate == nil && r.pValueSuccessRate == 1)
        _ = r.json.jsonText
    }

    @Test func analyzerMatchesExposuresByPseudonymAfterFirstExposure() throws {
        var records: [Interaction] = []
        let t0 = now.microsecondsSinceEpoch - 3_600_000_000
        var rng = TestRNG(state: 11)
        for u in 0..<200 {
            let variant = u % 2 == 0 ? "control" : "treatment"
            let hash = "h\(u)"
            // Before exposure: failures only (must be ignored).
            records.append(Interaction(
                timestamp: Timestamp(microsecondsSinceEpoch: t0 + Int64(u)), interactionType: .cliCommand, command: "pay",
                status: .failure, durationMs: 1, userHash: hash))
            records.append(Interaction(
                timestamp: Timestamp(microsecondsSinceEpoch: t0 + 1_000_000 + Int64(u)), interactionType: .experimentExposure,
                command: "experiment_exposure", status: .success, durationMs: 0,
                metadata: ["experiment": .string("checkout"), "variant": .string(variant)], userHash: hash))
            for k in 0..<5 {
                let p = variant == "control" ? 0.5 : 0.9
                records.append(Interaction(
                    timestamp: Timestamp(microsecondsSinceEpoch: t0 + 2_000_000 + Int64(u * 10 + k)), interactionType: .cliCommand,
                    command: k == 0 ? "browse" : "pay", status: rng.unit() < p ? .success : .failure, durationMs: 10,
                    userHash: hash))
            }
        }
        let (an, _) = try analyzer(records)
        let r = try an.experiment("checkout", command: "pay")
        #expect(r.variants.map(\.variant) == ["control", "treatment"])
        #expect(r.variants.map(\.users) == [100, 100] && r.variants.map(\.interactions) == [400, 400])
        #expect(r.pValueSuccessRate < 0.001 && !r.sampleRatioMismatch)
        #expect(throws: InteractionMonitorError.self) { try an.experiment("checkout", weights: [1, 2, 3]) }
        #expect(try an.experiment("none").variants.isEmpty)
    }
}
