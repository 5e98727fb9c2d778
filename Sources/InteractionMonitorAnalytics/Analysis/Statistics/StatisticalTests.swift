import InteractionMonitor
import Foundation

/// The few statistical functions the experiment, segment and prediction analyses need, written out so they can be
/// checked by hand: the normal distribution, the chi-square survival function, the two-proportion z-test and the
/// Mann–Whitney U test. Every function returns a finite number for any input (NaN and empty inputs give a
/// p-value of 1, "no evidence").
public enum StatisticalTests {
    /// The standard normal cumulative distribution Φ(z), via `erfc` (accurate in both tails).
    public static func normalCDF(_ z: Double) -> Double {
        guard !z.isNaN else { return 0.5 }
        return 0.5 * erfc(-z / 2.0.squareRoot())
    }

    /// The two-sided p-value of a standard normal statistic: 2·(1 − Φ(|z|)); 1 for NaN.
    public static func twoSidedP(_ z: Double) -> Double {
        guard !z.isNaN else { return 1 }
        return min(1, erfc(abs(z) / 2.0.squareRoot()))
    }

    /// P(X ≥ x) for a chi-square variable with `df` degrees of freedom (df ≥ 1), in closed form: for even df
    /// e^(−x/2)·Σ_{k<df/2} (x/2)^k/k!; for odd df erfc(√(x/2)) plus the matching odd-term series.
    public static func chiSquareSurvival(_ x: Double, df: Int) -> Double {
        guard df >= 1, !x.isNaN else { return 1 }
        guard x > 0 else { return 1 }
        guard x.isFinite else { return 0 }
        let half = x / 2
        if df % 2 == 0 {
            var term = 1.0
            var sum = 1.0
            for k in 1..<max(df / 2, 1) {
                term *= half / Double(k)
                sum += term
            }
            return min(1, max(0, exp(-half) * sum))
        }
        // Odd df: Q(x; k) = Q(x; k−2) + (x/2)^((k−2)/2)·e^(−x/2)/Γ(k/2), starting from Q(x; 1) = erfc(√(x/2)).
        var sum = 0.0
        var term = (half / Double.pi).squareRoot() * 2 * exp(-half)  // 2·φ(√x)·√x = √(2x/π)·e^(−x/2)
        for j in stride(from: 1, through: (df - 1) / 2, by: 1) {
            if j > 1 { term *= x / Double(2 * j - 1) }
            sum += term
        }
        return min(1, max(0, erfc(half.squareRoot()) + sum))
    }

    /// Chi-square goodness of fit of `observed` counts against `weights` (expected shares, any positive scale):
    /// the statistic and its p-value with `observed.count − 1` degrees of freedom. Categories with zero weight
    /// are left out (an observation there makes the p-value 0). Fewer than two categories: p = 1.
    public static func chiSquareGoodnessOfFit(observed: [Int], weights: [Double]) -> (statistic: Double, pValue: Double) {
        guard observed.count == weights.count, observed.count >= 2 else { return (0, 1) }
        let total = Double(observed.reduce(0, +))
        let wsum = weights.filter { $0 > 0 && $0.isFinite }.reduce(0, +)
        guard total > 0, wsum > 0 else { return (0, 1) }
        var stat = 0.0
        var categories = 0
        for (o, w) in zip(observed, weights) {
            guard w > 0, w.isFinite else {
                if o > 0 { return (.infinity, 0) }
                continue
            }
            let e = total * w / wsum
            stat += (Double(o) - e) * (Double(o) - e) / e
            categories += 1
        }
        guard categories >= 2 else { return (stat, 1) }
        return (stat, chiSquareSurvival(stat, df: categories - 1))
    }

    /// Mann–Whitney U test of `a` against `b`, two-sided, with the normal approximation, a continuity correction
    /// and the tie correction of the variance. Returns U for `a` and the p-value (1 when either side is empty or
    /// every value is tied). NaN values are dropped.
    public static func mannWhitney(_ a: [Double], _ b: [Double]) -> (u: Double, pValue: Double) {
        let a = a.filter { !$0.isNaN }
        let b = b.filter { !$0.isNaN }
        let n1 = Double(a.count)
        let n2 = Double(b.count)
        guard !a.isEmpty, !b.isEmpty else { return (0, 1) }
        let all = (a.map { ($0, true) } + b.map { ($0, false) }).sorted { $0.0 < $1.0 }
        var rankSumA = 0.0
        var tieTerm = 0.0
        var i = 0
        while i < all.count {
            var j = i
            while j + 1 < all.count && all[j + 1].0 == all[i].0 { j += 1 }
            let rank = Double(i + j + 2) / 2  // ranks are 1-based: average of i+1 … j+1
            let t = Double(j - i + 1)
            if t > 1 { tieTerm += t * t * t - t }
            for k in i...j where all[k].1 { rankSumA += rank }
            i = j + 1
        }
        let u = rankSumA - n1 * (n1 + 1) / 2
        let n = n1 + n2
        let variance = n1 * n2 / 12 * ((n + 1) - tieTerm / (n * (n - 1)))
        guard variance > 0, variance.isFinite else { return (u, 1) }
        let diff = u - n1 * n2 / 2
        let corrected = max(abs(diff) - 0.5, 0)
        return (u, twoSidedP(corrected / variance.squareRoot()))
    }

    /// The median of `values` (NaN dropped); `nil` when empty.
    public static func median(_ values: [Double]) -> Double? {
        let v = values.filter { !$0.isNaN }.sorted()
        guard !v.isEmpty else { return nil }
        return v.count % 2 == 1 ? v[v.count / 2] : (v[v.count / 2 - 1] + v[v.count / 2]) / 2
    }
}
