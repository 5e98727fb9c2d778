import InteractionMonitor
import InteractionMonitorAnalytics

/// The start shared by `watch` and `serve`: days before the baseline are marked seen, the stored data of the last
/// `hours` is decrypted once and learned by the live analyzer, and from then on the follower delivers only
/// segments appended later.
enum LiveBaseline {
    /// Learns the baseline and returns how many interactions it held. Store problems go to `issue`.
    static func load(
        follower: SegmentFollower, analyzer: LiveAnalyzer, hours: Double, now: Timestamp = .now(),
        issue: (StoreIssue) -> Void
    ) throws -> Int {
        let since = Timestamp(microsecondsSinceEpoch: now.microsecondsSinceEpoch - Int64(hours * 3_600_000_000))
        try follower.skip(daysBefore: since.day)
        var batch: [Interaction] = []
        var learned = 0
        try follower.poll(issue: issue) { i in
            guard i.timestamp >= since else { return }
            batch.append(i)
            if batch.count >= 10_000 {
                analyzer.learn(batch)
                learned += batch.count
                batch.removeAll(keepingCapacity: true)
            }
        }
        analyzer.learn(batch)
        return learned + batch.count
    }

    /// Prints each distinct store problem once on stderr.
    final class IssuePrinter {
        private var reported = Set<String>()
        /// Whether a segment sealed with a key the keyring lacks was seen since the last call (reload the keyring).
        private(set) var sawUnknownKey = false

        func report(_ issue: StoreIssue) {
            if issue.message.contains("keyring does not hold") { sawUnknownKey = true }
            let key = "\(issue.file) \(issue.segment.map(String.init) ?? "-") \(issue.message)"
            if reported.insert(key).inserted { printError("\(issue.severity.rawValue): \(issue)") }
        }

        func takeUnknownKey() -> Bool {
            defer { sawUnknownKey = false }
            return sawUnknownKey
        }
    }
}
