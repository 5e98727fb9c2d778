import InteractionMonitor
import Synchronization

/// Answers questions about stored (and optionally still-buffered) interactions, reading only through the
/// decrypting reader. Each question is one streaming pass; memory is bounded by distinct commands, users and
/// templates, never by the number of interactions.
///
/// ```swift
/// let analyzer = monitor.analysis()             // stored + buffered
/// let stats = try analyzer.statistics()
/// let recent = try analyzer.analyzeRecent(hours: 24)
/// let patterns = try analyzer.patterns(minFrequency: 3)
/// ```
/// Problems found while reading (damaged segments) are kept in ``lastReport``; results cover the good data.
public final class InteractionAnalyzer: Sendable {
    /// The reader over the store.
    public let reader: DecryptingReader
    /// Records not yet flushed, included after the stored ones.
    public let buffered: [Interaction]
    /// "Now" for windows and `last_updated`.
    public let now: Timestamp
    /// Suppress groups seen from fewer than this many distinct users (`nil`: off).
    public let minUsers: Int?
    /// Only read days from here on (`nil`: everything).
    public let from: Day?
    /// The metadata key holding the "expert" for profiles.
    public let expertKey: String
    private let report = Locked<StoreReport?>(nil)

    /// An analyzer over `reader`'s store plus `buffered` records.
    public init(
        reader: DecryptingReader, buffered: [Interaction] = [], now: Timestamp = .now(), minUsers: Int? = nil,
        from: Day? = nil, expertKey: String = "expert"
    ) {
        self.reader = reader
        self.buffered = buffered
        self.now = now
        self.minUsers = minUsers.flatMap { $0 > 1 ? $0 : nil }
        self.from = from
        self.expertKey = expertKey
    }

    /// What the last pass's reader found (damaged files, notes).
    public var lastReport: StoreReport? { report.withLock { $0 } }

    /// Streams every interaction (stored from `from` on, then buffered) to `body`.
    public func forEach(from start: Day? = nil, _ body: (Interaction) throws -> Void) throws {
        try forEach(from: start, fields: .all, body)
    }

    /// As ``forEach(from:_:)``; stored records come with only `fields` built (the others checked, left empty).
    func forEach(from start: Day? = nil, fields: InteractionFields, _ body: (Interaction) throws -> Void) throws {
        let first = [start, from].compactMap { $0 }.max()
        var reader = self.reader
        reader.fields = fields
        let r = try reader.read(from: first) { try body($0) }
        report.withLock { $0 = r }
        for i in buffered where first.map({ i.timestamp.day >= $0 }) ?? true { try body(i) }
    }

    /// Totals by status and type, success rate, unique users, duration mean and p50/p95/p99, first and last.
    public func statistics() throws -> InteractionStatistics {
        var s = InteractionStatistics()
        try forEach(fields: InteractionStatistics.fields) { s.add($0) }
        return s
    }

    /// Activity in the last `hours` hours.
    public func analyzeRecent(hours: Int) throws -> RecentAnalysis {
        let from = Timestamp(microsecondsSinceEpoch: now.microsecondsSinceEpoch - Int64(hours) * 3_600_000_000)
        var acc = RecentAccumulator(hours: hours, from: from, to: now, minUsers: minUsers)
        try forEach(from: from.day, fields: InteractionFields.all.subtracting(.metadata)) { acc.add($0) }
        return acc.finish()
    }

    /// Patterns occurring at least `minFrequency` times.
    public func patterns(minFrequency: Int = 3) throws -> [InteractionPattern] {
        var d = PatternDetector(minUsers: minUsers)
        var templates = ErrorTemplates()
        try forEach { d.add($0, template: templates.template(of: $0)) }
        return d.patterns(minFrequency: max(minFrequency, 1))
    }

    /// The profile of the user with this hash, or `nil` when they have no interactions.
    public func userProfile(forHash userHash: String) throws -> UserProfile? {
        var b = ProfileBuilder(only: userHash, expertKey: expertKey)
        var templates = ErrorTemplates()
        try forEach { b.add($0, template: templates.template(of: $0)) }
        return b.profiles(now: now).first
    }

    /// Every user's profile, by hash.
    public func userProfiles() throws -> [UserProfile] {
        var b = ProfileBuilder(expertKey: expertKey)
        var templates = ErrorTemplates()
        try forEach { b.add($0, template: templates.template(of: $0)) }
        return b.profiles(now: now)
    }

    /// Error-rate spikes, latency regressions and new error templates in the last `windowHours` hours, each
    /// command judged against its own earlier hours (median and MAD).
    public func anomalies(windowHours: Int = 24) throws -> [Anomaly] {
        var d = AnomalyDetector()
        var templates = ErrorTemplates()
        try forEach { d.add($0, template: templates.template(of: $0)) }
        let start = Timestamp(microsecondsSinceEpoch: now.microsecondsSinceEpoch - Int64(windowHours) * 3_600_000_000)
        return d.anomalies(windowStart: start)
    }

    /// Everything at once in one pass (for reports): statistics, recent activity, patterns, anomalies, profiles.
    public func overview(hours: Int = 24, minFrequency: Int = 3, windowHours: Int = 24) throws -> Overview {
        var s = InteractionStatistics()
        let from = Timestamp(microsecondsSinceEpoch: now.microsecondsSinceEpoch - Int64(hours) * 3_600_000_000)
        var recent = RecentAccumulator(hours: hours, from: from, to: now, minUsers: minUsers)
        var patterns = PatternDetector(minUsers: minUsers)
        var anomalies = AnomalyDetector()
        var profiles = ProfileBuilder(expertKey: expertKey)
        var hourly: [Int64: Int] = [:]
        var templates = ErrorTemplates()
        try forEach { i in
            let template = templates.template(of: i)  // once per record, for every question
            s.add(i)
            recent.add(i, template: template)
            patterns.add(i, template: template)
            anomalies.add(i, template: template)
            profiles.add(i, template: template)
            hourly[i.timestamp.microsecondsSinceEpoch.floorDiv(3_600_000_000), default: 0] += 1
        }
        let start = Timestamp(microsecondsSinceEpoch: now.microsecondsSinceEpoch - Int64(windowHours) * 3_600_000_000)
        return Overview(
            statistics: s, recent: recent.finish(), patterns: patterns.patterns(minFrequency: minFrequency),
            anomalies: anomalies.anomalies(windowStart: start), profiles: profiles.profiles(now: now),
            interactionsPerHour: hourly.sorted { $0.key < $1.key }.map {
                (Timestamp(microsecondsSinceEpoch: $0.key * 3_600_000_000), $0.value)
            })
    }

    /// The results of ``overview(hours:minFrequency:windowHours:)``.
    public struct Overview: Sendable {
        /// Totals.
        public var statistics: InteractionStatistics
        /// The recent window.
        public var recent: RecentAnalysis
        /// Patterns.
        public var patterns: [InteractionPattern]
        /// Anomalies.
        public var anomalies: [Anomaly]
        /// Every user's profile.
        public var profiles: [UserProfile]
        /// Interactions per hour over the whole range.
        public var interactionsPerHour: [(hour: Timestamp, count: Int)]
    }
}

extension InteractionMonitor {
    /// An analyzer over everything stored plus what is still buffered.
    public func analysis(minUsers: Int? = nil) -> InteractionAnalyzer {
        InteractionAnalyzer(
            reader: DecryptingReader(store: store, keyring: keyring), buffered: bufferedSnapshot(),
            now: configuration.now(), minUsers: minUsers)
    }

    /// The profile of a user given by raw id (hashed here, never stored).
    public func userProfile(forUserID userID: String) throws -> UserProfile? {
        try analysis().userProfile(forHash: pseudonym(of: userID))
    }
}
