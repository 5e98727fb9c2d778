import InteractionMonitor
/// What ``InteractionAnalyzer/analyzeRecent(hours:)`` found in a time window.
public struct RecentAnalysis: Sendable {
    /// Window length in hours.
    public var hours: Int
    /// Window start (inclusive) and end.
    public var from: Timestamp
    /// Window end.
    public var to: Timestamp
    /// Interactions in the window.
    public var total = 0
    /// Runs per command.
    public var commandFrequency: [String: Int] = [:]
    /// Count per status.
    public var statusCounts: [InteractionStatus: Int] = [:]
    /// Error messages grouped by template, with counts.
    public var errorTemplates: [String: Int] = [:]
    /// Interactions per hour of day (UTC), index 0–23.
    public var hourlyDistribution = [Int](repeating: 0, count: 24)
    /// Duration p50 and p95 per command (ms, within 1 %).
    public var commandDurations: [String: (p50: Double, p95: Double)] = [:]
    /// Commands by p95 duration, slowest first (at most 10).
    public var slowestCommands: [(command: String, p95: Double)] = []
    /// Failures (failure, error, timeout) per command.
    public var commandFailures: [String: Int] = [:]
    /// Commands by failures (failure, error, timeout), most first (at most 10).
    public var mostFailingCommands: [(command: String, failures: Int, rate: Double)] = []
    /// Distinct users.
    public var uniqueUsers = 0
    /// Distinct sessions.
    public var uniqueSessions = 0
    /// Groups hidden because fewer than k users were seen (when `minUsers` is set).
    public var suppressedGroups = 0

    /// Successful / total.
    public var successRate: Double { total == 0 ? 0 : Double(statusCounts[.success] ?? 0) / Double(total) }

    /// JSON keys: `window_hours`, `total_interactions`, `command_frequency`, `success_rate`,
    /// `status_counts`, `error_templates`, `hourly_distribution`, `command_durations`, `slowest_commands`,
    /// `most_failing_commands`, `unique_users`, `unique_sessions`, `suppressed_groups`.
    public var json: JSONValue {
        .object([
            "window_hours": .int(Int64(hours)),
            "from": .string(from.iso8601),
            "to": .string(to.iso8601),
            "total_interactions": .int(Int64(total)),
            "command_frequency": .object(commandFrequency.mapValues { .int(Int64($0)) }),
            "success_rate": .double(successRate),
            "status_counts": .object(
                Dictionary(uniqueKeysWithValues: InteractionStatus.allCases.map { ($0.rawValue, JSONValue.int(Int64(statusCounts[$0] ?? 0))) })),
            "error_templates": .object(errorTemplates.mapValues { .int(Int64($0)) }),
            "hourly_distribution": .array(hourlyDistribution.map { .int(Int64($0)) }),
            "command_durations": .object(
                commandDurations.mapValues { .object(["p50_ms": .double($0.p50), "p95_ms": .double($0.p95)]) }),
            "slowest_commands": .array(slowestCommands.map { .object(["command": .string($0.command), "p95_ms": .double($0.p95)]) }),
            "most_failing_commands": .array(
                mostFailingCommands.map {
                    .object(["command": .string($0.command), "failures": .int(Int64($0.failures)), "failure_rate": .double($0.rate)])
                }),
            "unique_users": .int(Int64(uniqueUsers)),
            "unique_sessions": .int(Int64(uniqueSessions)),
            "suppressed_groups": .int(Int64(suppressedGroups)),
        ])
    }
}

/// One-pass accumulator for ``RecentAnalysis``; memory bounded by distinct commands, templates, users, sessions.
/// Commands, templates, users and sessions are counted by number (``StringInterner``), not by hashing their text
/// for every record.
struct RecentAccumulator {
    var result: RecentAnalysis
    private struct CommandTally {
        var runs = 0
        var failures = 0
        var durations = DurationSketch()
    }
    private var commands = StringInterner()
    private var tallies: [CommandTally] = []
    private var statusCounts = [Int](repeating: 0, count: InteractionStatus.allCases.count)
    private var templates = StringInterner()
    private var templateCounts: [Int] = []
    private var messages = ErrorTemplates()
    private var users = StringInterner()
    private var sessions = StringInterner()
    private var groups: GroupUsers

    init(hours: Int, from: Timestamp, to: Timestamp, minUsers: Int?) {
        result = RecentAnalysis(hours: hours, from: from, to: to)
        groups = GroupUsers(minUsers: minUsers)
    }

    mutating func add(_ i: Interaction) {
        guard i.timestamp >= result.from, i.timestamp <= result.to else { return }
        add(i, template: messages.template(of: i))
    }

    /// Adds `i`, whose error template (when it has an error message) is `template`.
    mutating func add(_ i: Interaction, template: String?) {
        guard i.timestamp >= result.from, i.timestamp <= result.to else { return }
        result.total += 1
        let c = commands.id(i.command)
        if c == tallies.count { tallies.append(CommandTally()) }
        tallies[c].runs += 1
        tallies[c].durations.add(i.durationMs)
        if i.status != .success { tallies[c].failures += 1 }
        switch i.status {
        case .success: statusCounts[0] += 1
        case .failure: statusCounts[1] += 1
        case .error: statusCounts[2] += 1
        case .timeout: statusCounts[3] += 1
        }
        let hour = Int(i.timestamp.microsecondsSinceEpoch.floorMod(86_400_000_000) / 3_600_000_000)
        result.hourlyDistribution[hour] += 1
        if let template {
            let t = templates.id(template)
            if t == templateCounts.count { templateCounts.append(0) }
            templateCounts[t] += 1
            if groups.minUsers != nil { groups.note("template:" + template, user: i.userHash) }
        }
        if let u = i.userHash { _ = users.id(u) }
        if let s = i.sessionID { _ = sessions.id(s) }
        if groups.minUsers != nil {
            groups.note("command:" + i.command, user: i.userHash)
            groups.note("hour:\(hour)", user: i.userHash)
        }
    }

    func finish() -> RecentAnalysis {
        var r = result
        r.uniqueUsers = users.count
        r.uniqueSessions = sessions.count
        for (k, s) in InteractionStatus.allCases.enumerated() where statusCounts[k] > 0 { r.statusCounts[s] = statusCounts[k] }
        for (t, n) in templateCounts.enumerated() where n > 0 { r.errorTemplates[templates.strings[t], default: 0] += n }
        var failures: [String: Int] = [:]
        for (command, tally) in zip(commands.strings, tallies) {
            r.commandFrequency[command] = tally.runs
            r.commandDurations[command] = (tally.durations.quantile(0.5), tally.durations.quantile(0.95))
            if tally.failures > 0 { failures[command] = tally.failures }
        }
        r.commandFailures = failures
        r.slowestCommands = r.commandDurations.map { ($0.key, $0.value.p95) }
            .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }.prefix(10).map { (command: $0.0, p95: $0.1) }
        r.mostFailingCommands = failures.map { c, f in (command: c, failures: f, rate: Double(f) / Double(r.commandFrequency[c] ?? 1)) }
            .sorted { $0.failures != $1.failures ? $0.failures > $1.failures : $0.command < $1.command }.prefix(10).map { $0 }
        // k-anonymity: hide groups seen from fewer than k users.
        if groups.minUsers != nil {
            var hidden = 0
            for c in r.commandFrequency.keys where !groups.allows("command:" + c) {
                r.commandFrequency[c] = nil
                r.commandDurations[c] = nil
                r.commandFailures[c] = nil
                hidden += 1
            }
            r.slowestCommands.removeAll { r.commandFrequency[$0.command] == nil }
            r.mostFailingCommands.removeAll { r.commandFrequency[$0.command] == nil }
            for t in r.errorTemplates.keys where !groups.allows("template:" + t) {
                r.errorTemplates[t] = nil
                hidden += 1
            }
            for h in 0..<24 where r.hourlyDistribution[h] > 0 && !groups.allows("hour:\(h)") {
                r.hourlyDistribution[h] = 0
                hidden += 1
            }
            r.suppressedGroups = hidden
        }
        return r
    }
}
