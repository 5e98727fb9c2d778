import InteractionMonitor
import Foundation

/// One pseudonymous user's behaviour as numbers: the features `segments` clusters on and `export --features`
/// writes. Never holds a raw user id. Experiment exposures are not behaviour and are left out.
public struct UserFeatures: Sendable, Hashable {
    /// The user's keyed hash.
    public var userHash: String
    /// Interactions.
    public var interactions: Int
    /// Successful / all.
    public var successRate: Double
    /// Sessions (by `session_id`, otherwise split at 30 idle minutes).
    public var sessions: Int
    /// Mean session length in minutes (first start to last end).
    public var avgSessionMinutes: Double
    /// Interactions per session.
    public var interactionsPerSession: Double
    /// Mean of sin(2π·hour/24) over the user's interactions (UTC): with `hourCos`, where in the day they are active.
    public var hourSin: Double
    /// Mean of cos(2π·hour/24).
    public var hourCos: Double
    /// The busiest hour of the day (UTC).
    public var peakHour: Int
    /// Share of the user's interactions per command, for the vocabulary's commands (`other` for the rest).
    public var commandShares: [Double]
    /// Command counts (all commands), for describing segments.
    var commandCounts: [String: Int]
}

/// The features of every user, with the command vocabulary their `commandShares` follow.
public struct UserFeatureTable: Sendable {
    /// The most used commands overall (at most ``maxCommands``), then `other`.
    public var commands: [String]
    /// One row per user, sorted by hash.
    public var users: [UserFeatures]
    /// The vocabulary size.
    public static let maxCommands = 12

    /// Column names, in order, for exports: `user_hash`, the numeric features, then `share_<command>` with the
    /// command reduced to a column-safe name (letters, digits and `_`; `GET /users/:id` → `share_get_users_id`).
    public var columns: [String] {
        var seen = Set<String>()
        let shares = commands.map { command -> String in
            var name = "share_" + Self.columnSafe(command)
            while !seen.insert(name).inserted { name += "_" }
            return name
        }
        return ["user_hash", "interactions", "success_rate", "sessions", "avg_session_minutes", "interactions_per_session",
         "hour_sin", "hour_cos", "peak_hour"] + shares
    }

    /// Lowercase ASCII letters and digits, every other run of characters one `_`, no `_` at either end.
    static func columnSafe(_ text: String) -> String {
        var out = ""
        var pendingUnderscore = false
        for u in text.unicodeScalars {
            if u.isASCII, u.properties.isAlphabetic || ("0"..."9").contains(u) {
                if pendingUnderscore, !out.isEmpty { out.append("_") }
                pendingUnderscore = false
                out.unicodeScalars.append(u.properties.lowercaseMapping.unicodeScalars.first ?? u)
            } else {
                pendingUnderscore = true
            }
        }
        return out.isEmpty ? "command" : out
    }

    /// A user's values in ``columns`` order (after the hash).
    public func values(_ u: UserFeatures) -> [Double] {
        [Double(u.interactions), u.successRate, Double(u.sessions), u.avgSessionMinutes, u.interactionsPerSession,
         u.hourSin, u.hourCos, Double(u.peakHour)] + u.commandShares
    }

    /// The vectors k-means uses (before standardising): command shares, success rate, the hour on the circle and
    /// log(1 + session minutes).
    func clusteringVector(_ u: UserFeatures) -> [Double] {
        u.commandShares + [u.successRate, u.hourSin, u.hourCos, log1p(max(u.avgSessionMinutes, 0))]
    }

    init(builder: ProfileBuilder) {
        var totals: [String: Int] = [:]
        for a in builder.users.values { for (c, n) in a.commands { totals[c, default: 0] += n } }
        let top = totals.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .prefix(Self.maxCommands).map(\.key)
        commands = top + (totals.count > top.count ? ["other"] : [])
        let index = Dictionary(uniqueKeysWithValues: top.enumerated().map { ($0.element, $0.offset) })
        let vocabulary = commands.count
        users = builder.users.sorted { $0.key < $1.key }.map { hash, a in
            let sessions = a.closedSessions + a.open.count
            let minutes = a.closedMinutes + a.open.values.reduce(0) { $0 + Double($1.end - $1.start) / 60_000_000 }
            let total = Double(max(a.total, 1))
            var sinSum = 0.0
            var cosSum = 0.0
            for (h, n) in a.hours.enumerated() {
                sinSum += Double(n) * sin(2 * Double.pi * Double(h) / 24)
                cosSum += Double(n) * cos(2 * Double.pi * Double(h) / 24)
            }
            var shares = [Double](repeating: 0, count: vocabulary)
            for (c, n) in a.commands { shares[index[c] ?? (vocabulary - 1)] += Double(n) / total }
            let peak = a.hours.enumerated().max { $0.element != $1.element ? $0.element < $1.element : $0.offset > $1.offset }?.offset ?? 0
            return UserFeatures(
                userHash: hash, interactions: a.total, successRate: Double(a.successes) / total, sessions: sessions,
                avgSessionMinutes: sessions == 0 ? 0 : minutes / Double(sessions),
                interactionsPerSession: sessions == 0 ? 0 : Double(a.total) / Double(sessions),
                hourSin: sinSum / total, hourCos: cosSum / total, peakHour: peak, commandShares: shares,
                commandCounts: a.commands)
        }
    }
}

extension InteractionAnalyzer {
    /// Every user's behaviour features over interactions from `since` on (default all; one pass; exposures left
    /// out).
    public func userFeatures(since: Timestamp? = nil) throws -> UserFeatureTable {
        var b = ProfileBuilder(expertKey: expertKey)
        try forEach(from: since?.day) { i in
            if i.interactionType != .experimentExposure, since.map({ i.timestamp >= $0 }) ?? true { b.add(i) }
        }
        return UserFeatureTable(builder: b)
    }
}

extension UserFeatureTable {
    /// The table with `--min-users K` applied: commands used by fewer than `k` distinct users are folded into
    /// `other` (a rare command can single a user out), and no rows at all when fewer than `k` users remain.
    public func applyingMinUsers(_ k: Int?) -> UserFeatureTable {
        guard let k, k > 1 else { return self }
        guard users.count >= k else { return UserFeatureTable(commands: commands, users: []) }
        var usersPerCommand: [String: Int] = [:]
        for u in users { for c in u.commandCounts.keys { usersPerCommand[c, default: 0] += 1 } }
        let kept = commands.filter { $0 != "other" && (usersPerCommand[$0] ?? 0) >= k }
        let newCommands = kept + (kept.count < usersPerCommand.count ? ["other"] : [])
        let index = Dictionary(uniqueKeysWithValues: kept.enumerated().map { ($0.element, $0.offset) })
        let rows = users.map { u -> UserFeatures in
            var v = u
            var shares = [Double](repeating: 0, count: newCommands.count)
            let total = Double(max(u.interactions, 1))
            for (c, n) in u.commandCounts { shares[index[c] ?? (newCommands.count - 1)] += Double(n) / total }
            v.commandShares = shares
            return v
        }
        return UserFeatureTable(commands: newCommands, users: rows)
    }

    init(commands: [String], users: [UserFeatures]) {
        self.commands = commands
        self.users = users
    }
}
