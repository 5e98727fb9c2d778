import InteractionMonitor
import Foundation

/// A differentially private experiment comparison (the `experiment --epsilon` release): per variant, noisy
/// exposed users, interactions and successes.
///
/// Variants are public (the experiment's definition: `--variants`), so exactly the given ones are released. Each
/// user is in one variant and adds at most ``maxContribution`` interactions (and successes), so the users count has
/// sensitivity 1 and the two interaction counts `L`; the ``figureCount`` figures share ε by basic composition. The
/// success rates, the z-test against the control and the sample-ratio check are computed from the noisy counts
/// (post-processing): the z-test treats interactions as independent and adds the noise's variance to the
/// sampling variance. Durations are withheld.
public struct PrivateExperiment: Sendable {
    /// Figures the release shares ε between: users, interactions and successes per variant.
    public static let figureCount = 3

    /// One released variant.
    public struct Variant: Sendable, Hashable {
        /// The variant's name.
        public var variant: String
        /// Noisy exposed users.
        public var users: Int64
        /// Noisy interactions after exposure (clipped per user).
        public var interactions: Int64
        /// Noisy successes, at most ``interactions``.
        public var successes: Int64
        /// Successes over interactions; `nil` when no interactions are released.
        public var successRate: Double? { interactions > 0 ? Double(successes) / Double(interactions) : nil }
        /// Two-sided p-value of the success rate against the control (`nil` for the control).
        public var pValueVsControl: Double?
    }

    /// The experiment's name.
    public var experiment: String
    /// The released variants, control first.
    public var variants: [Variant] = []
    /// The smallest p-value against the control, Bonferroni-corrected for the number of comparisons.
    public var pValueSuccessRate: Double = 1
    /// The sample-ratio check's p-value on the noisy user counts.
    public var srmPValue: Double = 1
    /// The privacy loss of the release.
    public var epsilon: PrivacyAmount
    /// Interactions one user adds at most.
    public var maxContribution: Int

    /// Clipped per-variant sums gathered before any noise (never released as such).
    public struct Clipped: Sendable {
        let variants: [String]
        let bound: Int
        var sums: [String: (users: Int64, interactions: Int64, successes: Int64)] = [:]

        /// Whether any exposure of the experiment was read (a release over none would spend budget on pure noise).
        public var isEmpty: Bool { sums.values.allSatisfy { $0.users == 0 } }

        /// Sums for `variants`, each user's interactions and successes capped at `maxContribution`.
        public init(variants: [String], maxContribution: Int) {
            self.variants = variants
            bound = max(maxContribution, 1)
        }

        /// Adds one exposed user.
        public mutating func add(variant: String, interactions: Int, successes: Int) {
            var s = sums[variant] ?? (0, 0, 0)
            s.users += 1
            s.interactions += Int64(min(interactions, bound))
            s.successes += Int64(min(successes, interactions, bound))
            sums[variant] = s
        }
    }

    /// Releases `clipped` for `epsilon` (charge the ledger first); `weights` are the expected shares (equal when
    /// `nil`).
    public static func release(
        _ clipped: Clipped, experiment: String, epsilon: PrivacyAmount, weights: [Double]? = nil
    ) throws -> PrivateExperiment {
        var out = PrivateExperiment(experiment: experiment, epsilon: epsilon, maxContribution: clipped.bound)
        let l = clipped.bound
        for v in clipped.variants {
            let s = clipped.sums[v] ?? (0, 0, 0)
            let users = max(s.users + (try DiscreteLaplace.noise(sensitivity: figureCount, epsilon: epsilon)), 0)
            let n = max(s.interactions + (try DiscreteLaplace.noise(sensitivity: figureCount * l, epsilon: epsilon)), 0)
            let k = s.successes + (try DiscreteLaplace.noise(sensitivity: figureCount * l, epsilon: epsilon))
            out.variants.append(Variant(variant: v, users: users, interactions: n, successes: min(max(k, 0), n)))
        }
        // Noise variance of a count with scale b: 2p/(1−p)² with p = e^(−1/b).
        let b = Double(figureCount * l) / epsilon.value
        let p = exp(-1 / b)
        let noiseVariance = 2 * p / ((1 - p) * (1 - p))
        if let control = out.variants.first {
            for i in out.variants.indices.dropFirst() {
                out.variants[i].pValueVsControl = pValue(control, out.variants[i], noiseVariance: noiseVariance)
            }
        }
        let comparisons = max(out.variants.count - 1, 1)
        let smallest = out.variants.compactMap(\.pValueVsControl).min() ?? 1
        out.pValueSuccessRate = min(smallest * Double(comparisons), 1)
        let w = weights ?? Array(repeating: 1, count: out.variants.count)
        if out.variants.count >= 2, w.count == out.variants.count {
            out.srmPValue = StatisticalTests.chiSquareGoodnessOfFit(
                observed: out.variants.map { Int($0.users) }, weights: w
            ).pValue
        }
        return out
    }

    /// A two-proportion z-test whose variance adds the noise's to the binomial sampling variance.
    static func pValue(_ a: Variant, _ b: Variant, noiseVariance: Double) -> Double? {
        guard a.interactions > 0, b.interactions > 0 else { return nil }
        func variance(_ v: Variant) -> Double {
            let n = Double(v.interactions)
            let r = Double(v.successes) / n
            return r * (1 - r) / n + noiseVariance * (1 + r * r) / (n * n)
        }
        let se = (variance(a) + variance(b)).squareRoot()
        guard se > 0 else { return nil }
        let z = ((b.successRate ?? 0) - (a.successRate ?? 0)) / se
        return StatisticalTests.twoSidedP(z)
    }

    /// The sample-ratio check flags a mismatch below this p-value (as the non-private comparison does).
    public var sampleRatioMismatch: Bool { srmPValue < 0.001 }

    /// JSON: `experiment`, `variants` (`variant`, `users`, `interactions`, `successes`, `success_rate`,
    /// `p_value_vs_control`), `p_value_success_rate`, `srm_p_value`, `sample_ratio_mismatch`, `epsilon`,
    /// `max_contribution`, `mechanism`.
    public var json: JSONValue {
        .object([
            "experiment": .string(experiment),
            "variants": .array(variants.map { v in
                .object([
                    "variant": .string(v.variant), "users": .int(v.users), "interactions": .int(v.interactions),
                    "successes": .int(v.successes), "success_rate": v.successRate.map { .double($0) } ?? .null,
                    "p_value_vs_control": v.pValueVsControl.map { .double($0) } ?? .null,
                ])
            }),
            "p_value_success_rate": .double(pValueSuccessRate), "srm_p_value": .double(srmPValue),
            "sample_ratio_mismatch": .bool(sampleRatioMismatch), "epsilon": .string(epsilon.description),
            "max_contribution": .int(Int64(maxContribution)),
            "mechanism": .string("discrete Laplace, basic composition over \(Self.figureCount) figures; public variant list"),
        ])
    }
}
