import InteractionMonitor
import Foundation

/// Something unusual for one command, judged against that command's own history.
public struct Anomaly: Sendable, Hashable {
    /// Anomaly kinds.
    public enum Kind: String, Sendable, Hashable {
        /// The error rate in an hour is far above the command's usual hourly rate.
        case errorRateSpike = "error_rate_spike"
        /// The p95 latency in an hour is far above the command's usual hourly p95.
        case latencyRegression = "latency_regression"
        /// An error template never seen before the detection window.
        case newErrorTemplate = "new_error_template"
    }

    /// The kind.
    public var kind: Kind
    /// The command concerned.
    public var command: String
    /// The observed value (error rate, p95 ms, or occurrences for a new template).
    public var observed: Double
    /// The baseline, defined as the live analyzer defines it: for an error-rate spike the error rate pooled over the
    /// baseline hours; for a latency regression the p95 of all the baseline hours' durations pooled; 0 for a new
    /// template.
    public var baseline: Double
    /// The threshold crossed.
    public var threshold: Double
    /// Start of the hour it happened in.
    public var at: Timestamp
    /// One human sentence.
    public var description: String

    /// JSON: `kind`, `command`, `observed`, `baseline`, `threshold`, `at`, `description`.
    public var json: JSONValue {
        .object([
            "kind": .string(kind.rawValue), "command": .string(command), "observed": .double(observed),
            "baseline": .double(baseline), "threshold": .double(threshold), "at": .string(at.iso8601),
            "description": .string(description),
        ])
    }
}

/// Median and median absolute deviation.
enum RobustStatistics {
    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let s = values.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    /// MAD scaled by 1.4826 (a consistent estimator of σ for normal data).
    static func scaledMAD(_ values: [Double], median m: Double) -> Double {
        1.4826 * median(values.map { abs($0 - m) })
    }

    /// P(X ≥ k) for X ~ Binomial(n, p), computed in log space (exact for the n of one hour's traffic).
    static func binomialUpperTail(k: Int, n: Int, p: Double) -> Double {
        guard k > 0 else { return 1 }
        guard p > 0 else { return 0 }
        guard p < 1, k <= n else { return k <= n ? 1 : 0 }
        let logP = log(p)
        let logQ = log1p(-p)
        var total = 0.0
        for x in k...n {
            let logTerm = lgamma(Double(n + 1)) - lgamma(Double(x + 1)) - lgamma(Double(n - x + 1)) + Double(x) * logP
                + Double(n - x) * logQ
            total += exp(logTerm)
        }
        return min(total, 1)
    }
}

/// One-pass collection of per-command hourly buckets, then robust comparison of the detection window with the
/// command's earlier hours. Memory: commands × hours of data (each hour holds counts and a small sketch).
///
/// An hour is an error-rate spike when its rate exceeds the baseline median by more than `sensitivity` robust
/// standard deviations (1.4826 × MAD) and by at least `minimumErrorRateRise`, *and* its error count is significant
/// under a binomial test at the baseline rate (p < `significance`) — so small hours with one unlucky failure
/// are not flagged. A latency regression is an hour whose p95 exceeds the median of the baseline hours' p95 by
/// more than `sensitivity` robust standard deviations and by at least `minimumLatencyRise` of the median.
struct AnomalyDetector {
    struct Hour {
        var count = 0
        var errors = 0
        var durations = DurationSketch()
    }

    /// Hours with fewer interactions are not judged (nor used as baseline).
    var minimumSamples = 5
    /// How many robust standard deviations above the median count as anomalous.
    var sensitivity = 3.0
    /// The error-rate rise that is always needed, however steady the baseline (absolute).
    var minimumErrorRateRise = 0.10
    /// How unlikely the hour's error count must be under the baseline rate (one-sided binomial test).
    var significance = 0.001
    /// The latency rise that is always needed, as a fraction of the baseline.
    var minimumLatencyRise = 0.5
    /// Baseline hours needed before judging.
    var minimumBaselineHours = 4

    private var buckets: [String: [Int64: Hour]] = [:]
    private var templateFirstSeen: [String: (at: Timestamp, command: String, count: Int)] = [:]

    mutating func add(_ i: Interaction) { add(i, template: i.errorMessage.map(ErrorTemplate.of)) }

    /// Adds `i`, whose error template (when it has an error message) is `template`.
    mutating func add(_ i: Interaction, template: String?) {
        let hour = i.timestamp.microsecondsSinceEpoch.floorDiv(3_600_000_000)
        var h = buckets[i.command, default: [:]][hour] ?? Hour()
        h.count += 1
        if i.status == .failure || i.status == .error { h.errors += 1 }
        h.durations.add(i.durationMs)
        buckets[i.command, default: [:]][hour] = h
        if let t = template {
            if var seen = templateFirstSeen[t] {
                seen.count += 1
                if i.timestamp < seen.at {
                    seen.at = i.timestamp
                    seen.command = i.command
                }
                templateFirstSeen[t] = seen
            } else {
                templateFirstSeen[t] = (i.timestamp, i.command, 1)
            }
        }
    }

    /// Anomalies in hours starting at or after `windowStart`, against each command's hours before it.
    func anomalies(windowStart: Timestamp) -> [Anomaly] {
        let windowHour = windowStart.microsecondsSinceEpoch.floorDiv(3_600_000_000)
        var out: [Anomaly] = []
        for (command, hours) in buckets {
            let baseline = hours.filter { $0.key < windowHour && $0.value.count >= minimumSamples }
            guard baseline.count >= minimumBaselineHours else { continue }
            let rates = baseline.values.map { Double($0.errors) / Double($0.count) }
            let rateMedian = RobustStatistics.median(rates)
            // The baseline rate, as the live analyzer defines it: errors ÷ interactions pooled over the baseline
            // hours (with rare errors most hours have none, so a median of hourly rates would say "usually 0 %").
            let baselineErrors = baseline.values.reduce(0) { $0 + $1.errors }
            let baselineCount = baseline.values.reduce(0) { $0 + $1.count }
            let pooledRate = Double(baselineErrors) / Double(max(baselineCount, 1))
            let rateThreshold = max(
                rateMedian + max(sensitivity * RobustStatistics.scaledMAD(rates, median: rateMedian), minimumErrorRateRise),
                pooledRate + minimumErrorRateRise)
            let expectedRate = max(rateMedian, Double(baselineErrors + 1) / Double(baselineCount + 2))
            let p95s = baseline.values.map { $0.durations.quantile(0.95) }
            let p95Median = RobustStatistics.median(p95s)
            // The baseline p95, as the live analyzer defines it: over all the baseline hours' durations pooled.
            var pooledDurations = DurationSketch()
            for h in baseline.values { pooledDurations.merge(h.durations) }
            let p95Pooled = pooledDurations.quantile(0.95)
            let p95Threshold = max(
                p95Median + max(sensitivity * RobustStatistics.scaledMAD(p95s, median: p95Median), minimumLatencyRise * p95Median),
                p95Pooled * (1 + minimumLatencyRise))
            for (hour, h) in hours.sorted(by: { $0.key < $1.key }) where hour >= windowHour && h.count >= minimumSamples {
                let at = Timestamp(microsecondsSinceEpoch: hour * 3_600_000_000)
                let rate = Double(h.errors) / Double(h.count)
                if rate > rateThreshold,
                    RobustStatistics.binomialUpperTail(k: h.errors, n: h.count, p: expectedRate) < significance
                {
                    out.append(
                        Anomaly(
                            kind: .errorRateSpike, command: command, observed: rate, baseline: pooledRate,
                            threshold: rateThreshold, at: at,
                            description: "'\(command)' failed \(Int((rate * 100).rounded()))% of \(h.count) runs at \(at.iso8601.prefix(13)):00Z; baseline \(String(format: "%.1f", pooledRate * 100))%"))
                }
                let p95 = h.durations.quantile(0.95)
                if p95Median > 0, p95 > p95Threshold {
                    out.append(
                        Anomaly(
                            kind: .latencyRegression, command: command, observed: p95, baseline: p95Pooled,
                            threshold: p95Threshold, at: at,
                            description: "'\(command)' p95 was \(Int(p95.rounded())) ms at \(at.iso8601.prefix(13)):00Z; baseline \(Int(p95Pooled.rounded())) ms"))
                }
            }
        }
        for (template, seen) in templateFirstSeen where seen.at >= windowStart {
            let hasHistory = buckets.values.contains { $0.keys.contains { $0 < windowHour } }
            guard hasHistory else { continue }
            out.append(
                Anomaly(
                    kind: .newErrorTemplate, command: seen.command, observed: Double(seen.count), baseline: 0, threshold: 0,
                    at: Timestamp(microsecondsSinceEpoch: seen.at.microsecondsSinceEpoch.floorDiv(3_600_000_000) * 3_600_000_000),
                    description: "new error '\(template)' (\(seen.count)×), first in '\(seen.command)'"))
        }
        return out.sorted { ($0.at, $0.kind.rawValue, $0.command) < ($1.at, $1.kind.rawValue, $1.command) }
    }
}
