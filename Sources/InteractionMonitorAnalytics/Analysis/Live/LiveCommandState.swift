import InteractionMonitor
import Foundation

/// Counts of one slot (or one merged window) of a command.
struct LiveSlot: Sendable {
    var count = 0
    var errors = 0
    var durations = DurationSketch()
    /// Part of a window that raised an alert: kept out of the baseline when it expires.
    var anomalous = false

    mutating func add(_ i: Interaction) {
        count += 1
        if i.status == .failure || i.status == .error { errors += 1 }
        durations.add(i.durationMs)
    }

    mutating func merge(_ other: LiveSlot) {
        count += other.count
        errors += other.errors
        durations.merge(other.durations)
    }
}

/// A bounded ring of the most recent values.
struct LiveRing: Sendable {
    private(set) var values: [Double] = []
    private var next = 0
    let capacity: Int

    init(capacity: Int) { self.capacity = max(capacity, 1) }

    mutating func append(_ v: Double) {
        if values.count < capacity {
            values.append(v)
        } else {
            values[next] = v
            next = (next + 1) % capacity
        }
    }
}

/// What the analyzer holds for one command: the slots of the current window, the pooled baseline and a bounded
/// history of per-window values. Memory is bounded: `slots` sketches, one pooled sketch, two rings.
struct LiveCommandState: Sendable {
    /// Slots of the window, by slot number (at most `slots` entries).
    var slots: [Int64: LiveSlot] = [:]
    /// Pooled baseline: stored data plus expired, non-anomalous slots.
    var baselineCount = 0
    var baselineErrors = 0
    var baselineDurations = DurationSketch()
    /// Per-window error rates and p95s (windows with enough samples), for the median/MAD term.
    var rateHistory: LiveRing
    var p95History: LiveRing
    /// Expired slots gathered into the next history window.
    var pending = LiveSlot()
    var pendingSlots = 0
    /// The baseline pass's open window (stored data arrives roughly in time order).
    var seedWindow: (index: Int64, slot: LiveSlot)?
    /// The last slot this command was seen in.
    var lastSeen: Int64
    /// Per kind, the slot until which a repeat alert is held back.
    var quietUntil: [LiveAlert.Kind: Int64] = [:]

    init(history: Int, seen: Int64) {
        rateHistory = LiveRing(capacity: history)
        p95History = LiveRing(capacity: history)
        lastSeen = seen
    }

    /// Adds a finished window to the history when it has enough samples.
    mutating func remember(window w: LiveSlot, minimumSamples: Int) {
        guard w.count >= minimumSamples else { return }
        rateHistory.append(Double(w.errors) / Double(w.count))
        p95History.append(w.durations.quantile(0.95))
    }

    mutating func addToBaseline(_ s: LiveSlot) {
        baselineCount += s.count
        baselineErrors += s.errors
        baselineDurations.merge(s.durations)
    }

    /// The window ending at slot `now`: the merge of its live slots.
    func window(now: Int64, slots n: Int) -> LiveSlot {
        var w = LiveSlot()
        for (k, s) in slots where k > now - Int64(n) && k <= now { w.merge(s) }
        return w
    }
}

extension RobustStatistics {
    /// Upper end of the Wilson score interval for `k` successes in `n` trials at normal quantile `z`.
    static func wilsonUpper(k: Int, n: Int, z: Double) -> Double {
        guard n > 0 else { return 1 }
        let nn = Double(n)
        let p = Double(k) / nn
        let z2 = z * z
        let centre = p + z2 / (2 * nn)
        let spread = z * ((p * (1 - p) / nn + z2 / (4 * nn * nn)).squareRoot())
        return min((centre + spread) / (1 + z2 / nn), 1)
    }

    /// P(X ≥ k) for X ~ Binomial(n, p), summed from k upwards until the terms stop mattering: O(terms needed),
    /// not O(n), when k is above the mean (the only case the live analyzer asks about).
    static func binomialTail(k: Int, n: Int, p: Double) -> Double {
        guard k > 0 else { return 1 }
        guard k <= n else { return 0 }
        guard p > 0 else { return 0 }
        guard p < 1 else { return 1 }
        if Double(k) <= Double(n) * p { return binomialUpperTail(k: k, n: n, p: p) }
        let logP = log(p)
        let logQ = log1p(-p)
        let base: Double = lgamma(Double(n + 1))
        var total = 0.0
        for x in k...n {
            let term = exp(base - lgamma(Double(x + 1)) - lgamma(Double(n - x + 1)) + Double(x) * logP + Double(n - x) * logQ)
            total += term
            if term < total * 1e-12 || total > 1 { break }
        }
        return min(total, 1)
    }
}
