import InteractionMonitor
/// A first-order Markov model of the next command within a session, with additive (Laplace/Lidstone) smoothing:
///
///     P(next = b | current = a) = (count(a → b) + α) / (count(a → ·) + α·V)
///
/// where V is the number of distinct commands seen as a next command and α = 0.1. For a command never seen
/// followed by anything, the model falls back to how often each command is a next command overall (the baseline).
public struct NextCommandModel: Sendable {
    /// The smoothing constant α.
    public static let alpha = 0.1
    private var transitions: [String: [String: Int]] = [:]
    private var targets: [String: Int] = [:]

    /// A model trained on `sessions`.
    public init(sessions: [[String]]) {
        for s in sessions where s.count >= 2 {
            for (a, b) in zip(s, s.dropFirst()) {
                transitions[a, default: [:]][b, default: 0] += 1
                targets[b, default: 0] += 1
            }
        }
    }

    /// Transitions seen after `command`.
    public func observations(after command: String) -> Int { transitions[command]?.values.reduce(0, +) ?? 0 }

    /// The `top` likeliest next commands after `command`, most likely first (ties by name).
    public func predict(after command: String, top: Int) -> [(command: String, probability: Double)] {
        let v = Double(targets.count)
        guard v > 0, top > 0 else { return [] }
        let row = transitions[command] ?? [:]
        let n = Double(row.values.reduce(0, +))
        let scored: [(String, Double)]
        if n > 0 {
            scored = targets.keys.map { ($0, (Double(row[$0] ?? 0) + Self.alpha) / (n + Self.alpha * v)) }
        } else {
            scored = Self.frequencies(targets)
        }
        return scored.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }.prefix(top).map { (command: $0.0, probability: $0.1) }
    }

    /// The baseline: the `top` most frequent next commands regardless of the current one.
    public func baseline(top: Int) -> [String] {
        Self.frequencies(targets).sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }.prefix(max(top, 0)).map { $0.0 }
    }

    static func frequencies(_ d: [String: Int]) -> [(String, Double)] {
        let total = Double(d.values.reduce(0, +))
        return d.map { ($0.key, total > 0 ? Double($0.value) / total : 0) }
    }

    /// Accuracy of the model against the baseline on held-out data.
    public struct Evaluation: Sendable {
        /// Sessions trained on (the older ones).
        public var trainSessions: Int
        /// Sessions tested on (the newer ones).
        public var testSessions: Int
        /// Transitions predicted.
        public var transitions: Int
        /// The true next command was the model's first guess.
        public var top1: Double
        /// … among its first three.
        public var top3: Double
        /// The same for the most-frequent-command baseline.
        public var baselineTop1: Double
        /// … top 3.
        public var baselineTop3: Double

        /// JSON.
        public var json: JSONValue {
            [
                "train_sessions": .int(Int64(trainSessions)), "test_sessions": .int(Int64(testSessions)),
                "transitions": .int(Int64(transitions)), "top1_accuracy": .double(top1), "top3_accuracy": .double(top3),
                "baseline_top1_accuracy": .double(baselineTop1), "baseline_top3_accuracy": .double(baselineTop3),
            ]
        }
    }

    /// Trains on the older `trainShare` of `sessions` (in time order) and tests on the rest.
    public static func evaluate(sessions: [[String]], trainShare: Double = 0.8) -> Evaluation {
        let share = trainShare.isFinite ? min(max(trainShare, 0), 1) : 0.8
        let cut = Int((Double(sessions.count) * share).rounded(.down))
        let model = NextCommandModel(sessions: Array(sessions.prefix(cut)))
        let base = model.baseline(top: 3)
        var n = 0
        var h1 = 0
        var h3 = 0
        var b1 = 0
        var b3 = 0
        for s in sessions.dropFirst(cut) where s.count >= 2 {
            for (a, b) in zip(s, s.dropFirst()) {
                n += 1
                let p = model.predict(after: a, top: 3).map { $0.command }
                if p.first == b { h1 += 1 }
                if p.contains(b) { h3 += 1 }
                if base.first == b { b1 += 1 }
                if base.contains(b) { b3 += 1 }
            }
        }
        func rate(_ x: Int) -> Double { n == 0 ? 0 : Double(x) / Double(n) }
        return Evaluation(
            trainSessions: cut, testSessions: sessions.count - cut, transitions: n, top1: rate(h1), top3: rate(h3),
            baselineTop1: rate(b1), baselineTop3: rate(b3))
    }
}
