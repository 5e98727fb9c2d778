import InteractionMonitor
/// A recurring behaviour found in the data.
public struct InteractionPattern: Sendable, Hashable {
    /// Pattern kinds.
    public struct Kind: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        /// A command that makes up a large share of the traffic (confidence: its share of all interactions).
        public static let repetitiveCommand = Kind(rawValue: "repetitive_command")
        /// Command B run right after A in the same session (confidence: P(B | A)).
        public static let commandSequence = Kind(rawValue: "command_sequence")
        /// A recurring error template (confidence: its share of all errors).
        public static let errorPattern = Kind(rawValue: "error_pattern")
        /// A command re-run within 5 minutes after it failed (confidence: how often the retry succeeded).
        public static let retryAfterFailure = Kind(rawValue: "retry_after_failure")
        /// A busy hour of the day, UTC (confidence: its share of all interactions).
        public static let peakUsage = Kind(rawValue: "peak_usage")
        public var description: String { rawValue }
    }

    /// Stable id: the kind and key, hashed (FNV-1a, 64 bits, hex).
    public var patternID: String
    /// The kind.
    public var patternType: Kind
    /// How often it occurred.
    public var frequency: Int
    /// First occurrence.
    public var firstSeen: Timestamp
    /// Last occurrence.
    public var lastSeen: Timestamp
    /// Strength in [0, 1], as defined per kind.
    public var confidence: Double
    /// One human sentence.
    public var description: String
    /// Up to 3 examples (commands, templates or messages — never user ids).
    public var examples: [String]
    /// For a command sequence A → B: how much likelier B is right after A than overall, P(B | A) ÷ P(B) (1: no
    /// more than chance); `nil` for other kinds.
    public var lift: Double? = nil
    /// Whether this is a command sequence of a command with itself (A → A: a re-run).
    public var isSelfLoop: Bool {
        guard patternType == .commandSequence, let pair = examples.first else { return false }
        let parts = pair.split(separator: " → ")
        return parts.count == 2 && parts[0] == parts[1]
    }

    static func id(_ kind: Kind, _ key: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in (kind.rawValue + "\u{0}" + key).utf8 {
            h ^= UInt64(b)
            h &*= 0x100_0000_01b3
        }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// JSON with snake_case keys, as `patterns --json` prints it.
    public var json: JSONValue {
        .object([
            "pattern_id": .string(patternID), "pattern_type": .string(patternType.rawValue),
            "frequency": .int(Int64(frequency)), "first_seen": .string(firstSeen.iso8601),
            "last_seen": .string(lastSeen.iso8601), "confidence": .double(confidence),
            "description": .string(description), "examples": .array(examples.map { .string($0) }),
            "lift": lift.map { .double($0) } ?? .null,
        ])
    }
}

/// One-pass pattern detection; memory bounded by distinct commands, command pairs, templates and open sessions.
struct PatternDetector {
    struct Seen {
        var count = 0
        var first = Timestamp(microsecondsSinceEpoch: .max)
        var last = Timestamp(microsecondsSinceEpoch: .min)
        var examples: [String] = []

        mutating func note(_ t: Timestamp, example: String? = nil) {
            count += 1
            if t < first { first = t }
            if t > last { last = t }
            if let example, examples.count < 3, !examples.contains(example) { examples.append(example) }
        }
    }

    static let idleGap = ProfileBuilder.idleGap
    static let retryWindow: Int64 = 5 * 60 * 1_000_000

    private var total = 0
    private var totalErrors = 0
    private var commands: [String: Seen] = [:]
    private var pairs: [String: Seen] = [:]
    private var followed: [String: Int] = [:]
    private var templates: [String: Seen] = [:]
    private var retries: [String: Seen] = [:]
    private var retrySuccesses: [String: Int] = [:]
    private var hours = [Seen](repeating: Seen(), count: 24)
    private var previous: [String: (command: String, at: Timestamp, failed: Bool)] = [:]
    private var groups: GroupUsers

    init(minUsers: Int?) { groups = GroupUsers(minUsers: minUsers) }

    /// The session a record belongs to: its session id, else its user (sessions split at 30 idle minutes).
    static func sessionKey(_ i: Interaction) -> String? {
        if let s = i.sessionID { return "s:" + s }
        if let u = i.userHash { return "u:" + u }
        return nil
    }

    mutating func add(_ i: Interaction) { add(i, template: i.errorMessage.map(ErrorTemplate.of)) }

    /// Adds `i`, whose error template (when it has an error message) is `template`.
    mutating func add(_ i: Interaction, template: String?) {
        total += 1
        commands[i.command, default: Seen()].note(i.timestamp, example: i.command)
        groups.note("command:" + i.command, user: i.userHash)
        let hour = Int(i.timestamp.microsecondsSinceEpoch.floorMod(86_400_000_000) / 3_600_000_000)
        hours[hour].note(i.timestamp)
        groups.note("hour:\(hour)", user: i.userHash)
        if let m = i.errorMessage, let t = template {
            totalErrors += 1
            templates[t, default: Seen()].note(i.timestamp, example: m)
            groups.note("template:" + t, user: i.userHash)
        }
        guard let key = Self.sessionKey(i) else { return }
        if let p = previous[key], i.timestamp.microsecondsSinceEpoch - p.at.microsecondsSinceEpoch <= Self.idleGap,
            i.timestamp >= p.at
        {
            let pair = p.command + " → " + i.command
            pairs[pair, default: Seen()].note(i.timestamp, example: pair)
            groups.note("pair:" + pair, user: i.userHash)
            followed[p.command, default: 0] += 1
            if p.failed, p.command == i.command,
                i.timestamp.microsecondsSinceEpoch - p.at.microsecondsSinceEpoch <= Self.retryWindow
            {
                retries[i.command, default: Seen()].note(i.timestamp, example: i.command)
                if i.status == .success { retrySuccesses[i.command, default: 0] += 1 }
            }
        }
        previous[key] = (i.command, i.timestamp, i.status != .success)
    }

    func patterns(minFrequency: Int) -> [InteractionPattern] {
        var out: [InteractionPattern] = []
        func pct(_ x: Double) -> String { "\(Int((x * 100).rounded()))%" }
        func make(_ kind: InteractionPattern.Kind, _ key: String, _ s: Seen, _ confidence: Double, _ text: String)
            -> InteractionPattern
        {
            InteractionPattern(
                patternID: InteractionPattern.id(kind, key), patternType: kind, frequency: s.count, firstSeen: s.first,
                lastSeen: s.last, confidence: min(max(confidence, 0), 1), description: text, examples: s.examples)
        }
        for (c, s) in commands where s.count >= minFrequency && groups.allows("command:" + c) {
            let share = Double(s.count) / Double(max(total, 1))
            out.append(make(.repetitiveCommand, c, s, share, "'\(c)' ran \(s.count) times (\(pct(share)) of all interactions)"))
        }
        for (p, s) in pairs where s.count >= minFrequency && groups.allows("pair:" + p) {
            let parts = p.split(separator: " → ")
            let a = parts.first.map(String.init) ?? "", b = parts.last.map(String.init) ?? ""
            let conf = Double(s.count) / Double(max(followed[a] ?? 1, 1))
            let base = Double(commands[b]?.count ?? 0) / Double(max(total, 1))
            let lift = base > 0 ? conf / base : nil
            var pattern = make(
                .commandSequence, p, s, conf,
                "\(p) happened \(s.count) times; P(next | first) = \(pct(conf))"
                    + (lift.map { ", \(Double(Int(($0 * 10).rounded())) / 10)× chance" } ?? ""))
            pattern.lift = lift
            out.append(pattern)
        }
        for (t, s) in templates where s.count >= minFrequency && groups.allows("template:" + t) {
            let share = Double(s.count) / Double(max(totalErrors, 1))
            out.append(make(.errorPattern, t, s, share, "error '\(t)' occurred \(s.count) times (\(pct(share)) of errors)"))
        }
        for (c, s) in retries where s.count >= minFrequency && groups.allows("command:" + c) {
            let rate = Double(retrySuccesses[c] ?? 0) / Double(s.count)
            out.append(
                make(.retryAfterFailure, c, s, rate, "'\(c)' was re-run \(s.count) times within 5 minutes of failing; \(pct(rate)) of retries succeeded"))
        }
        let active = hours.filter { $0.count > 0 }
        let mean = Double(active.reduce(0) { $0 + $1.count }) / Double(max(active.count, 1))
        var peaks = hours.indices.filter { hours[$0].count >= minFrequency && Double(hours[$0].count) >= 1.5 * mean }
        if peaks.isEmpty, let busiest = hours.indices.max(by: { hours[$0].count < hours[$1].count }),
            hours[busiest].count >= minFrequency
        {
            peaks = [busiest]
        }
        for h in peaks where groups.allows("hour:\(h)") {
            let share = Double(hours[h].count) / Double(max(total, 1))
            var s = hours[h]
            s.examples = [String(format2(h)) + ":00–" + String(format2((h + 1) % 24)) + ":00 UTC"]
            out.append(make(.peakUsage, "\(h)", s, share, "busy hour \(format2(h)):00 UTC: \(s.count) interactions (\(pct(share)))"))
        }
        return out.sorted { ($0.patternType.rawValue, -$0.frequency, $0.patternID) < ($1.patternType.rawValue, -$1.frequency, $1.patternID) }
    }

    private func format2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
