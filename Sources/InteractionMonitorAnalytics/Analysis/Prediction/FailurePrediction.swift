import InteractionMonitor
import Foundation

/// How likely a command's next run is to fail, from its recent runs, against its long-run rate.
///
/// Method: every run that is not a success counts as a failure. The long-run rate p₀ is failures / runs over all
/// stored runs. Recent history is an exponentially weighted failure rate (weight 0.5^(age / 10) for the run
/// `age` runs back, so the last ten runs carry about half the weight), shrunk toward p₀ with the weight of
/// five runs:
///
///     p = (5·p₀ + Σ wᵢ·failedᵢ) / (5 + Σ wᵢ)
///
/// so a command with little history stays near its long-run rate and a burst of recent failures moves it up.
/// Also given: the rate after a failed run and after a successful one (how failures cluster).
public struct FailurePrediction: Sendable {
    /// Half-life in runs of the recent weighting.
    public static let halfLife = 10.0
    /// Prior weight (in runs) of the long-run rate.
    public static let priorRuns = 5.0
    /// How many recent runs are kept.
    public static let window = 100

    /// The command.
    public var command: String
    /// Runs seen.
    public var runs: Int
    /// Failures / runs over all runs (0 without runs).
    public var longRunFailureRate: Double
    /// The predicted probability that the next run fails.
    public var probability: Double
    /// Outcomes of the last (at most 20) runs, oldest first: `true` for a failure.
    public var recent: [Bool]
    /// Failure rate of runs right after a failed run (`nil` when none).
    public var failureRateAfterFailure: Double?
    /// Failure rate of runs right after a successful run (`nil` when none).
    public var failureRateAfterSuccess: Double?

    /// JSON.
    public var json: JSONValue {
        func num(_ d: Double?) -> JSONValue { d.map { .double($0) } ?? .null }
        return [
            "command": .string(command), "runs": .int(Int64(runs)), "probability": .double(probability),
            "long_run_failure_rate": .double(longRunFailureRate),
            "recent": .array(recent.suffix(20).map { .string($0 ? "fail" : "ok") }),
            "failure_rate_after_failure": num(failureRateAfterFailure),
            "failure_rate_after_success": num(failureRateAfterSuccess),
        ]
    }

    /// The prediction from `outcomes` (oldest first, `true` = failed).
    public static func predict(command: String, runs: Int, failures: Int, recent: [Bool], afterFailure: (Int, Int), afterSuccess: (Int, Int)) -> FailurePrediction {
        let p0 = runs > 0 ? Double(failures) / Double(runs) : 0
        var weight = 0.0
        var failed = 0.0
        for (age, f) in recent.reversed().enumerated() {
            let w = pow(2, -Double(age) / halfLife)
            weight += w
            if f { failed += w }
        }
        let p = (priorRuns * p0 + failed) / (priorRuns + weight)
        return FailurePrediction(
            command: command, runs: runs, longRunFailureRate: p0, probability: min(max(p, 0), 1),
            recent: Array(recent.suffix(20)),
            failureRateAfterFailure: afterFailure.1 > 0 ? Double(afterFailure.0) / Double(afterFailure.1) : nil,
            failureRateAfterSuccess: afterSuccess.1 > 0 ? Double(afterSuccess.0) / Double(afterSuccess.1) : nil)
    }
}

extension InteractionAnalyzer {
    /// The failure prediction for `command` (runs ordered by time; see ``FailurePrediction``).
    public func failurePrediction(command: String) throws -> FailurePrediction {
        var runs: [(Int64, Bool)] = []
        var count = 0
        var failures = 0
        var afterFailure = (0, 0)
        var afterSuccess = (0, 0)
        var last: (Int64, Bool)?
        // Runs arrive roughly in time order; transitions use arrival order, the recent window is re-sorted.
        try forEach { i in
            guard i.command == command, i.interactionType != .experimentExposure else { return }
            let f = i.status != .success
            count += 1
            if f { failures += 1 }
            if let l = last {
                if l.1 { afterFailure.1 += 1; if f { afterFailure.0 += 1 } } else { afterSuccess.1 += 1; if f { afterSuccess.0 += 1 } }
            }
            last = (i.timestamp.microsecondsSinceEpoch, f)
            runs.append((i.timestamp.microsecondsSinceEpoch, f))
            if runs.count > 4 * FailurePrediction.window {
                runs = Array(runs.sorted { $0.0 < $1.0 }.suffix(FailurePrediction.window))
            }
        }
        let recent = runs.sorted { $0.0 < $1.0 }.suffix(FailurePrediction.window).map { $0.1 }
        return FailurePrediction.predict(
            command: command, runs: count, failures: failures, recent: recent, afterFailure: afterFailure,
            afterSuccess: afterSuccess)
    }
}
