import InteractionMonitor
/// Totals over a stream of interactions, computed in one pass in memory bounded by the number of distinct
/// users and types.
///
/// ```swift
/// var stats = InteractionStatistics()
/// try reader.read { stats.add($0) }
/// print(stats.successRate)
/// ```
public struct InteractionStatistics: Sendable, Hashable {
    /// Interactions seen.
    public private(set) var total = 0
    /// Count per status.
    public var byStatus: [InteractionStatus: Int] {
        var out: [InteractionStatus: Int] = [:]
        for (k, s) in InteractionStatus.allCases.enumerated() where statusCounts[k] > 0 { out[s] = statusCounts[k] }
        return out
    }
    /// Count per interaction type.
    public var byType: [String: Int] {
        Dictionary(uniqueKeysWithValues: zip(types.strings, typeCounts))
    }
    /// Distinct `user_hash` values.
    public var userHashes: Set<String> { Set(users.strings) }
    /// Sum of durations (ms).
    public private(set) var totalDurationMs = 0.0
    /// Duration distribution (quantiles within 1 % relative error).
    public private(set) var durations = DurationSketch()
    /// Earliest timestamp seen.
    public private(set) var first: Timestamp?
    /// Latest timestamp seen.
    public private(set) var last: Timestamp?

    // Counted by number, not by hashing the same strings for every record.
    private var statusCounts = [Int](repeating: 0, count: InteractionStatus.allCases.count)
    private var types = StringInterner()
    private var typeCounts: [Int] = []
    private var users = StringInterner()

    /// Empty statistics.
    public init() {}

    /// The text fields ``add(_:)`` reads (for readers that build only those).
    package static let fields: InteractionFields = [.userHash]

    /// Adds one interaction.
    public mutating func add(_ i: Interaction) {
        total += 1
        statusCounts[Self.index(i.status)] += 1
        let t = types.id(i.interactionType.rawValue)
        if t == typeCounts.count { typeCounts.append(0) }
        typeCounts[t] += 1
        if let u = i.userHash { _ = users.id(u) }
        totalDurationMs += i.durationMs
        durations.add(i.durationMs)
        if first.map({ i.timestamp < $0 }) ?? true { first = i.timestamp }
        if last.map({ i.timestamp > $0 }) ?? true { last = i.timestamp }
    }

    @inline(__always)
    private static func index(_ status: InteractionStatus) -> Int {
        switch status {
        case .success: 0
        case .failure: 1
        case .error: 2
        case .timeout: 3
        }
    }

    public static func == (a: InteractionStatistics, b: InteractionStatistics) -> Bool {
        a.total == b.total && a.statusCounts == b.statusCounts && a.byType == b.byType && a.userHashes == b.userHashes
            && a.totalDurationMs == b.totalDurationMs && a.durations == b.durations && a.first == b.first
            && a.last == b.last
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(total)
        hasher.combine(statusCounts)
        hasher.combine(byType)
        hasher.combine(userHashes)
        hasher.combine(totalDurationMs)
        hasher.combine(durations)
        hasher.combine(first)
        hasher.combine(last)
    }

    /// Count of one status.
    public func count(_ status: InteractionStatus) -> Int { statusCounts[Self.index(status)] }
    /// Distinct users.
    public var uniqueUsers: Int { users.count }
    /// Successful / total, 0 when empty.
    public var successRate: Double { total == 0 ? 0 : Double(count(.success)) / Double(total) }
    /// Mean duration in ms, 0 when empty.
    public var meanDurationMs: Double { total == 0 ? 0 : totalDurationMs / Double(total) }

    /// The JSON shape (`stats --json`): `total_interactions`, `successful_interactions`, `failed_interactions`,
    /// `error_interactions`, `timeout_interactions`, `success_rate`, `unique_users`, `interactions_by_type`,
    /// `avg_duration_ms`, `duration_p50_ms`, `duration_p95_ms`, `duration_p99_ms`, `first_interaction`, `last_interaction`.
    public var json: JSONValue {
        var o: [String: JSONValue] = [
            "total_interactions": .int(Int64(total)),
            "successful_interactions": .int(Int64(count(.success))),
            "failed_interactions": .int(Int64(count(.failure))),
            "error_interactions": .int(Int64(count(.error))),
            "timeout_interactions": .int(Int64(count(.timeout))),
            "success_rate": .double(successRate),
            "unique_users": .int(Int64(uniqueUsers)),
            "avg_duration_ms": .double(meanDurationMs),
            "duration_p50_ms": .double(durations.quantile(0.50)),
            "duration_p95_ms": .double(durations.quantile(0.95)),
            "duration_p99_ms": .double(durations.quantile(0.99)),
            "interactions_by_type": .object(byType.mapValues { .int(Int64($0)) }),
        ]
        o["first_interaction"] = first.map { .string($0.iso8601) } ?? .null
        o["last_interaction"] = last.map { .string($0.iso8601) } ?? .null
        return .object(o)
    }
}
