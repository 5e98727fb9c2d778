import InteractionMonitor
/// What one exposed user did after their first exposure: the unit of analysis of an experiment (users, not
/// interactions, are randomised, so users are what the tests treat as independent).
public struct ExperimentUserOutcome: Sendable, Hashable {
    /// Interactions after first exposure (of the chosen command, if one was chosen).
    public var interactions: Int
    /// Of which successful.
    public var successes: Int
    /// Their durations (ms).
    public var durationsMs: [Double]

    /// An outcome.
    public init(interactions: Int, successes: Int, durationsMs: [Double] = []) {
        self.interactions = max(interactions, 0)
        self.successes = min(max(successes, 0), max(interactions, 0))
        self.durationsMs = durationsMs
    }
}

/// Per-variant summaries and the tests between variants.
///
/// - Success rate: interactions that succeeded over all interactions of the variant's users, with a 95 %
///   confidence interval. Because one user's interactions are not independent, the variance of that ratio is
///   computed over users (the delta method); with one interaction per user it is the classic unpooled
///   two-proportion z-test, which is what the p-value is.
/// - Duration: Mann–Whitney U (normal approximation, tie-corrected) over each user's median duration.
/// - Sample-ratio mismatch: chi-square of user counts against the expected weights, flagged at p < 0.001.
public enum ExperimentStatistics {
    /// The SRM threshold.
    public static let srmAlpha = 0.001

    /// Success rate, its delta-method variance, over `users`.
    public static func ratio(_ users: [ExperimentUserOutcome]) -> (rate: Double, variance: Double) {
        let n = Double(users.count)
        let totalN = Double(users.reduce(0) { $0 + $1.interactions })
        let totalS = Double(users.reduce(0) { $0 + $1.successes })
        guard n >= 2, totalN > 0 else { return (totalN > 0 ? totalS / totalN : .nan, .nan) }
        let r = totalS / totalN
        let meanN = totalN / n
        let meanS = totalS / n
        var vS = 0.0
        var vN = 0.0
        var cov = 0.0
        for u in users {
            let dn = Double(u.interactions) - meanN
            let ds = Double(u.successes) - meanS
            vS += ds * ds
            vN += dn * dn
            cov += ds * dn
        }
        vS /= n - 1
        vN /= n - 1
        cov /= n - 1
        let v = max(0, (vS - 2 * r * cov + r * r * vN) / (n * meanN * meanN))
        return (r, v)
    }

    /// Two-sided p-value of the success-rate difference between `a` and `b` (z-test, delta-method variance).
    public static func successRatePValue(_ a: [ExperimentUserOutcome], _ b: [ExperimentUserOutcome]) -> Double {
        let ra = ratio(a)
        let rb = ratio(b)
        guard !ra.rate.isNaN, !rb.rate.isNaN, !ra.variance.isNaN, !rb.variance.isNaN else { return 1 }
        let diff = rb.rate - ra.rate
        let se = (ra.variance + rb.variance).squareRoot()
        guard se > 0 else { return diff == 0 ? 1 : 0 }
        return StatisticalTests.twoSidedP(diff / se)
    }

    /// Two-sided Mann–Whitney p-value between the users' median durations of `a` and `b`.
    public static func durationPValue(_ a: [ExperimentUserOutcome], _ b: [ExperimentUserOutcome]) -> Double {
        StatisticalTests.mannWhitney(
            a.compactMap { StatisticalTests.median($0.durationsMs) }, b.compactMap { StatisticalTests.median($0.durationsMs) }
        ).pValue
    }

    /// The full comparison: `groups[i]` are the users of `variants[i]`; the first variant is the control.
    public static func compare(
        experiment: String, command: String?, variants: [String], groups: [[ExperimentUserOutcome]], weights: [Double]?
    ) -> ExperimentResult {
        let k = min(variants.count, groups.count)
        var rows: [ExperimentResult.Variant] = []
        for i in 0..<k {
            let g = groups[i]
            let (r, v) = ratio(g)
            let half = v.isNaN ? Double.nan : 1.959963984540054 * v.squareRoot()
            rows.append(
                ExperimentResult.Variant(
                    variant: variants[i], users: g.count, interactions: g.reduce(0) { $0 + $1.interactions },
                    successes: g.reduce(0) { $0 + $1.successes }, successRate: r.isNaN ? nil : r,
                    ciLow: half.isNaN ? nil : max(0, r - half), ciHigh: half.isNaN ? nil : min(1, r + half),
                    medianDurationMs: StatisticalTests.median(g.flatMap(\.durationsMs)),
                    pValueSuccessRateVsControl: i == 0 ? nil : successRatePValue(groups[0], g),
                    pValueDurationVsControl: i == 0 ? nil : durationPValue(groups[0], g)))
        }
        // More than two variants: each against the control, Bonferroni-adjusted minimum.
        func overall(_ ps: [Double?]) -> Double {
            let p = ps.compactMap { $0 }
            guard let m = p.min() else { return 1 }
            return min(1, m * Double(p.count))
        }
        let w = weights ?? Array(repeating: 1, count: k)
        let srm = StatisticalTests.chiSquareGoodnessOfFit(observed: rows.map(\.users), weights: Array(w.prefix(k)))
        return ExperimentResult(
            experiment: experiment, command: command, variants: rows,
            pValueSuccessRate: overall(rows.map(\.pValueSuccessRateVsControl)),
            pValueDuration: overall(rows.map(\.pValueDurationVsControl)),
            srmPValue: srm.pValue, sampleRatioMismatch: srm.pValue < srmAlpha, expectedWeights: Array(w.prefix(k)))
    }
}
