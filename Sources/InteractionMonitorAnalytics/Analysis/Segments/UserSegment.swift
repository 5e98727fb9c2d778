import InteractionMonitor
import Foundation

/// A group of users with similar behaviour, found by ``KMeans`` over ``UserFeatures``.
public struct UserSegment: Sendable, Hashable {
    /// 0 for the largest segment, then by size.
    public var segmentID: Int
    /// Users in it.
    public var size: Int
    /// Its most used commands (at most 3).
    public var topCommands: [String]
    /// Successful / all interactions of its users.
    public var successRate: Double
    /// Mean session length of its users (minutes).
    public var avgSessionMinutes: Double
    /// The hour of day (UTC) its users are most active around (circular mean).
    public var typicalHour: Int
    /// One line describing it.
    public var description: String
    /// Its users' hashes (sorted).
    public var members: [String]

    /// JSON with `segment_id`, `size`, `top_commands`, `success_rate`, `avg_session_minutes`, `typical_hour_utc`,
    /// `description`, and `members` when `includeMembers`.
    public func json(includeMembers: Bool) -> JSONValue {
        var o: [String: JSONValue] = [
            "segment_id": .int(Int64(segmentID)), "size": .int(Int64(size)),
            "top_commands": .array(topCommands.map { .string($0) }), "success_rate": .double(successRate),
            "avg_session_minutes": .double(avgSessionMinutes), "typical_hour_utc": .int(Int64(typicalHour)),
            "description": .string(description),
        ]
        if includeMembers { o["members"] = .array(members.map { .string($0) }) }
        return .object(o)
    }
}

/// The result of segmentation: the segments shown and what was hidden.
public struct Segmentation: Sendable {
    /// Segments of at least `minUsers` users, largest first.
    public var segments: [UserSegment]
    /// The k used.
    public var k: Int
    /// Mean silhouette of the clustering (−1 … 1; 0 with one segment).
    public var silhouette: Double
    /// Users clustered.
    public var users: Int
    /// Segments hidden for having fewer than `minUsers` users.
    public var hiddenSegments: Int
}

extension InteractionAnalyzer {
    /// Groups users by behaviour: k-means over standardised ``UserFeatures`` (command mix, success rate, active
    /// hours, session length), k-means++ seeding from a fixed seed, k chosen by silhouette when `k` is `nil`.
    /// Segments smaller than the analyzer's `minUsers` are hidden.
    public func segments(k: Int? = nil) throws -> Segmentation {
        let table = try userFeatures()
        return Self.segment(table, k: k, minUsers: minUsers)
    }

    /// Segmentation of a feature table (see ``segments(k:)``).
    public static func segment(_ table: UserFeatureTable, k: Int?, minUsers: Int?) -> Segmentation {
        let points = KMeans.standardised(table.users.map(table.clusteringVector))
        let (labels, chosenK, silhouette) = KMeans.labels(points, k: k)
        var groups: [Int: [UserFeatures]] = [:]
        for (i, u) in table.users.enumerated() { groups[labels[i], default: []].append(u) }
        let overall = table.users.reduce(0) { $0 + $1.interactions }
        let overallSuccess = table.users.reduce(0.0) { $0 + $1.successRate * Double($1.interactions) } / Double(max(overall, 1))
        var segments = groups.values.sorted { $0.count != $1.count ? $0.count > $1.count : $0[0].userHash < $1[0].userHash }
            .map { members -> UserSegment in
                var commands: [String: Int] = [:]
                for m in members { for (c, n) in m.commandCounts { commands[c, default: 0] += n } }
                let top = commands.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(3).map(\.key)
                let n = members.reduce(0) { $0 + $1.interactions }
                let success = members.reduce(0.0) { $0 + $1.successRate * Double($1.interactions) } / Double(max(n, 1))
                let minutes = members.reduce(0.0) { $0 + $1.avgSessionMinutes } / Double(members.count)
                let s = members.reduce(0.0) { $0 + $1.hourSin * Double($1.interactions) }
                let c = members.reduce(0.0) { $0 + $1.hourCos * Double($1.interactions) }
                var angle = atan2(s, c)
                if angle < 0 { angle += 2 * Double.pi }
                let hour = Int((angle / (2 * Double.pi) * 24).rounded()) % 24
                let quality = success > overallSuccess + 0.05 ? "above" : success < overallSuccess - 0.05 ? "below" : "near"
                let description =
                    "\(members.count) user\(members.count == 1 ? "" : "s") mostly running \(top.prefix(2).joined(separator: " and ")), "
                    + "success \(Int((success * 100).rounded())) % (\(quality) average), active around \(hour):00 UTC, "
                    + "sessions of about \(minutes < 10 ? String(Double(Int(minutes * 10)) / 10) : String(Int(minutes.rounded()))) min"
                return UserSegment(
                    segmentID: 0, size: members.count, topCommands: top, successRate: success, avgSessionMinutes: minutes,
                    typicalHour: hour, description: description, members: members.map(\.userHash).sorted())
            }
        for i in segments.indices { segments[i].segmentID = i }
        let shown = segments.filter { $0.size >= (minUsers ?? 1) }
        return Segmentation(
            segments: shown, k: chosenK, silhouette: silhouette, users: table.users.count,
            hiddenSegments: segments.count - shown.count)
    }
}
