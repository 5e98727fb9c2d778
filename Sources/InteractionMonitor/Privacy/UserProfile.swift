/// One user's behaviour, by pseudonym. Never holds a raw user id.
public struct UserProfile: Sendable, Hashable {
    /// The user's keyed hash.
    public var userHash: String
    /// Interactions of the user.
    public var totalInteractions: Int
    /// Successful / total.
    public var successRate: Double
    /// Mean session length in minutes: sessions by `session_id`, otherwise split at 30 idle minutes; a session
    /// lasts from its first interaction's start to its last interaction's end.
    public var avgSessionDurationMinutes: Double
    /// Busiest hours of the day (UTC), busiest first (at most 3).
    public var peakUsageHours: [Int]
    /// Most used commands, most first (at most 5).
    public var commonCommands: [String]
    /// Most frequent error templates, most first (at most 5).
    public var commonErrors: [String]
    /// Most frequent values of the expert metadata key, most first (at most 3).
    public var preferredExperts: [String]
    /// When the profile was computed.
    public var lastUpdated: Timestamp

    /// JSON with snake_case keys, as `profile --json` prints it.
    public var json: JSONValue {
        .object([
            "user_hash": .string(userHash), "total_interactions": .int(Int64(totalInteractions)),
            "success_rate": .double(successRate), "avg_session_duration_minutes": .double(avgSessionDurationMinutes),
            "peak_usage_hours": .array(peakUsageHours.map { .int(Int64($0)) }),
            "common_commands": .array(commonCommands.map { .string($0) }),
            "common_errors": .array(commonErrors.map { .string($0) }),
            "preferred_experts": .array(preferredExperts.map { .string($0) }),
            "last_updated": .string(lastUpdated.iso8601),
        ])
    }

    init?(json: JSONValue) {
        guard case .object(let o) = json, case .string(let u)? = o["user_hash"] else { return nil }
        func int(_ k: String) -> Int { if case .int(let i)? = o[k] { return Int(i) } else { return 0 } }
        func double(_ k: String) -> Double {
            switch o[k] {
            case .double(let d)?: d
            case .int(let i)?: Double(i)
            default: 0
            }
        }
        func strings(_ k: String) -> [String] { if case .array(let a)? = o[k] { return a.compactMap(\.stringValue) } else { return [] } }
        userHash = u
        totalInteractions = int("total_interactions")
        successRate = double("success_rate")
        avgSessionDurationMinutes = double("avg_session_duration_minutes")
        if case .array(let a)? = o["peak_usage_hours"] {
            peakUsageHours = a.compactMap { if case .int(let i) = $0 { Int(i) } else { nil } }
        } else {
            peakUsageHours = []
        }
        commonCommands = strings("common_commands")
        commonErrors = strings("common_errors")
        preferredExperts = strings("preferred_experts")
        lastUpdated = o["last_updated"]?.stringValue.flatMap { Timestamp(iso8601: $0) } ?? Timestamp(microsecondsSinceEpoch: 0)
    }

    init(
        userHash: String, totalInteractions: Int, successRate: Double, avgSessionDurationMinutes: Double,
        peakUsageHours: [Int], commonCommands: [String], commonErrors: [String], preferredExperts: [String],
        lastUpdated: Timestamp
    ) {
        self.userHash = userHash
        self.totalInteractions = totalInteractions
        self.successRate = successRate
        self.avgSessionDurationMinutes = avgSessionDurationMinutes
        self.peakUsageHours = peakUsageHours
        self.commonCommands = commonCommands
        self.commonErrors = commonErrors
        self.preferredExperts = preferredExperts
        self.lastUpdated = lastUpdated
    }
}

/// One-pass profile building for every user (or one); memory bounded by users × their distinct commands,
/// templates and experts.
package struct ProfileBuilder {
    /// A gap without interactions longer than this ends an implicit session (records without a session id); the
    /// analytics library's pattern and session code use the same rule.
    package static let idleGap: Int64 = 30 * 60 * 1_000_000

    package struct Accumulator {
        package var total = 0
        package var successes = 0
        package var hours = [Int](repeating: 0, count: 24)
        package var commands: [String: Int] = [:]
        package var errors: [String: Int] = [:]
        package var experts: [String: Int] = [:]
        // Sessions: closed durations plus the open ones (by session id, or the implicit idle-split session).
        package var closedSessions = 0
        package var closedMinutes = 0.0
        package var open: [String: (start: Int64, end: Int64)] = [:]
    }

    let only: String?
    let expertKey: String
    package private(set) var users: [String: Accumulator] = [:]

    package init(only: String? = nil, expertKey: String = "expert") {
        self.only = only
        self.expertKey = expertKey
    }

    package mutating func add(_ i: Interaction) { add(i, template: i.errorMessage.map(ErrorTemplate.of)) }

    /// Adds `i`, whose error template (when it has an error message) is `template`.
    package mutating func add(_ i: Interaction, template: String?) {
        guard let u = i.userHash, only == nil || only == u else { return }
        var a = users[u] ?? Accumulator()
        a.total += 1
        if i.status == .success { a.successes += 1 }
        a.hours[Int(i.timestamp.microsecondsSinceEpoch.floorMod(86_400_000_000) / 3_600_000_000)] += 1
        a.commands[i.command, default: 0] += 1
        if let t = template { a.errors[t, default: 0] += 1 }
        if case .string(let e)? = i.metadata[expertKey] { a.experts[e, default: 0] += 1 }
        let start = i.timestamp.microsecondsSinceEpoch
        let end = start + Int64(max(i.durationMs, 0) * 1000)
        let key = i.sessionID.map { "s:" + $0 } ?? "idle"
        if var s = a.open[key] {
            if i.sessionID == nil, start - s.end > Self.idleGap {
                a.closedSessions += 1
                a.closedMinutes += Double(s.end - s.start) / 60_000_000
                s = (start, end)
            } else {
                s = (min(s.start, start), max(s.end, end))
            }
            a.open[key] = s
        } else {
            a.open[key] = (start, end)
        }
        users[u] = a
    }

    package func profiles(now: Timestamp) -> [UserProfile] {
        func top<K: Comparable>(_ d: [K: Int], _ n: Int) -> [K] {
            d.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(n).map(\.key)
        }
        return users.sorted { $0.key < $1.key }.map { u, a in
            let sessions = a.closedSessions + a.open.count
            let minutes = a.closedMinutes + a.open.values.reduce(0) { $0 + Double($1.end - $1.start) / 60_000_000 }
            let hourCounts = Dictionary(uniqueKeysWithValues: a.hours.enumerated().filter { $0.element > 0 }.map { ($0.offset, $0.element) })
            return UserProfile(
                userHash: u, totalInteractions: a.total, successRate: Double(a.successes) / Double(max(a.total, 1)),
                avgSessionDurationMinutes: sessions == 0 ? 0 : minutes / Double(sessions),
                peakUsageHours: top(hourCounts, 3), commonCommands: top(a.commands, 5), commonErrors: top(a.errors, 5),
                preferredExperts: top(a.experts, 3), lastUpdated: now)
        }
    }
}
