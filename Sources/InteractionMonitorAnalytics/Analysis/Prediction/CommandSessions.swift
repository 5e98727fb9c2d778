import InteractionMonitor
/// Sessions as command sequences, oldest first: a session is the interactions sharing a `session_id`, or without
/// one, a user's interactions split at 30 idle minutes (the same rule as the pattern analysis). Experiment
/// exposures are left out. Holds every session's commands, so memory grows with the interactions read.
public struct CommandSessions: Sendable {
    /// Each session's commands in time order, sessions ordered by their first interaction.
    public var sessions: [[String]]

    /// Sessions built from `interactions` (any order).
    public init(_ interactions: some Sequence<Interaction>) {
        var b = Builder()
        for i in interactions { b.add(i) }
        sessions = b.finish()
    }

    init(sessions: [[String]]) { self.sessions = sessions }

    struct Builder {
        var open: [String: (start: Int64, last: Int64, items: [(Int64, String)])] = [:]
        var closed: [(start: Int64, commands: [String])] = []

        mutating func add(_ i: Interaction) {
            guard i.interactionType != .experimentExposure else { return }
            let t = i.timestamp.microsecondsSinceEpoch
            let key: String
            if let s = i.sessionID { key = "s:" + s } else if let u = i.userHash { key = "u:" + u } else { return }
            if i.sessionID == nil, let o = open[key], t - o.last > PatternDetector.idleGap {
                close(key)
            }
            var o: (start: Int64, last: Int64, items: [(Int64, String)]) = open[key] ?? (start: t, last: t, items: [])
            o.start = min(o.start, t)
            o.last = max(o.last, t)
            o.items.append((t, i.command))
            open[key] = o
        }

        mutating func close(_ key: String) {
            guard let o = open.removeValue(forKey: key) else { return }
            closed.append((o.start, o.items.sorted { $0.0 < $1.0 }.map { $0.1 }))
        }

        mutating func finish() -> [[String]] {
            for k in open.keys.sorted() { close(k) }
            return closed.sorted { $0.start < $1.start }.map { $0.commands }
        }
    }
}

extension InteractionAnalyzer {
    /// Every session's commands, oldest session first (one pass).
    public func commandSessions() throws -> CommandSessions {
        var b = CommandSessions.Builder()
        try forEach { b.add($0) }
        return CommandSessions(sessions: b.finish())
    }
}
