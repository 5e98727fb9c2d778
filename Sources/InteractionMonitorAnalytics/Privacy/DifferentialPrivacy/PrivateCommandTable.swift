import InteractionMonitor
import Foundation

/// A differentially private per-command table (the `analyze --epsilon` and `report --epsilon` release): for each
/// command, noisy runs, failures and users, plus the overall totals of ``NoisyStatistics``.
///
/// Contributions are bounded per user: at most ``maxCommands`` commands (the user's most used ones) and at most
/// ``maxContribution`` runs (and failures) per command. With those bounds, one user moves the table's runs, and
/// its failures, by at most `K·L` in total (L1) and its user counts by at most `K`; the release's
/// ``figureCount`` figures (5 totals + 3 per-command figures) share ε by basic composition, each noised with
/// discrete Laplace noise of scale `figureCount · Δ / ε`.
///
/// Which commands appear is itself data. With a public list of commands (`--public-commands`) exactly those rows
/// are released and the table is ε-DP. Otherwise a command is released only when its noisy user count reaches the
/// ``threshold``, chosen so that a command used by a single person appears with probability at most δ in total —
/// the release is then (ε, δ)-DP (the partition selection of Google's differential-privacy library). The threshold
/// is large for small ε and is reported with the table.
public struct PrivateCommandTable: Sendable {
    /// Figures the release shares ε between: the 5 of ``NoisyStatistics`` and runs, failures, users per command.
    public static let figureCount = NoisyStatistics.figureCount + 3
    /// The default number of commands one user contributes to.
    public static let defaultMaxCommands = 5
    /// The default δ of the partition selection.
    public static let defaultDelta = 1e-6

    /// One released command.
    public struct Row: Sendable, Hashable {
        /// The command.
        public var command: String
        /// Noisy runs (clipped per user).
        public var runs: Int64
        /// Noisy failures (every status but success), at most ``runs``.
        public var failures: Int64
        /// Noisy distinct users.
        public var users: Int64
        /// `1 − failures / runs` from the noisy counts; `nil` when no runs are released.
        public var successRate: Double? { runs > 0 ? 1 - Double(failures) / Double(runs) : nil }
    }

    /// The released commands, most runs first.
    public var rows: [Row] = []
    /// The overall totals, from the same release.
    public var overall: NoisyStatistics
    /// The privacy loss of the whole release.
    public var epsilon: PrivacyAmount
    /// δ of the partition selection; `nil` when the commands were given (pure ε-DP).
    public var delta: Double?
    /// The noisy user count a command needed to be released; `nil` with a public command list.
    public var threshold: Int64?
    /// Runs one user adds to each command at most.
    public var maxContribution: Int
    /// Commands one user contributes to at most.
    public var maxCommands: Int

    /// Exact, clipped counts gathered in one pass (never released as such).
    public struct Clipped: Sendable {
        var perUser: [String: [String: (runs: Int, failures: Int)]] = [:]
        var anonymous: [String: (runs: Int, failures: Int)] = [:]
        var overall: NoisyStatistics.Clipped
        let bound: Int
        let maxCommands: Int

        /// Counts bounded to `maxContribution` runs per user per command and `maxCommands` commands per user.
        public init(maxContribution: Int, maxCommands: Int = PrivateCommandTable.defaultMaxCommands) {
            bound = max(maxContribution, 1)
            self.maxCommands = max(maxCommands, 1)
            overall = NoisyStatistics.Clipped(maxContribution: maxContribution)
        }

        /// Adds one stored interaction.
        public mutating func add(_ i: Interaction) {
            overall.add(i)
            let failed = i.status == .success ? 0 : 1
            if let user = i.userHash {
                perUser[user, default: [:]][i.command, default: (0, 0)].runs += 1
                perUser[user]![i.command]!.failures += failed
            } else {
                // A record without a user is its own contributor: one run of one command.
                anonymous[i.command, default: (0, 0)].runs += 1
                anonymous[i.command]!.failures += failed
            }
        }

        /// Clipped runs, failures and users per command.
        func table() -> [String: (runs: Int64, failures: Int64, users: Int64)] {
            var out: [String: (runs: Int64, failures: Int64, users: Int64)] = [:]
            for (command, a) in anonymous { out[command] = (Int64(a.runs), Int64(a.failures), Int64(a.runs)) }
            for (_, commands) in perUser {
                let kept = commands.sorted { $0.value.runs != $1.value.runs ? $0.value.runs > $1.value.runs : $0.key < $1.key }
                    .prefix(maxCommands)
                for (command, c) in kept {
                    var row = out[command] ?? (0, 0, 0)
                    row.runs += Int64(min(c.runs, bound))
                    row.failures += Int64(min(c.failures, bound))
                    row.users += 1
                    out[command] = row
                }
            }
            return out
        }
    }

    /// The noisy user count a command needs so that, across the `maxCommands` commands one person can add,
    /// a command only they used is released with probability at most `delta`: with `p = e^(−1/b)` and the users
    /// figure's scale `b`, `P(noise ≥ k) = p^k / (1 + p)`, so `τ = 1 + ⌈b · ln(K / (δ (1 + p)))⌉`.
    public static func threshold(epsilon: PrivacyAmount, maxCommands: Int, delta: Double) -> Int64 {
        let b = Double(figureCount * maxCommands) / epsilon.value
        let p = exp(-1 / b)
        return 1 + Int64((b * log(Double(maxCommands) / (delta * (1 + p)))).rounded(.up))
    }

    /// Releases `clipped` for `epsilon` (charge the ledger first). With `publicCommands`, exactly those rows (in
    /// that order); otherwise the commands whose noisy user count reaches ``threshold(epsilon:maxCommands:delta:)``.
    public static func release(
        _ clipped: Clipped, epsilon: PrivacyAmount, publicCommands: [String]? = nil, delta: Double = defaultDelta
    ) throws -> PrivateCommandTable {
        let k = clipped.maxCommands
        let l = clipped.bound
        var out = PrivateCommandTable(
            overall: try NoisyStatistics.release(clipped.overall, epsilon: epsilon, figures: figureCount),
            epsilon: epsilon, delta: publicCommands == nil ? delta : nil,
            threshold: publicCommands == nil ? threshold(epsilon: epsilon, maxCommands: k, delta: delta) : nil,
            maxContribution: l, maxCommands: k)
        let table = clipped.table()
        let candidates = publicCommands ?? table.keys.sorted()
        for command in candidates {
            let exact = table[command] ?? (0, 0, 0)
            let users = exact.users + (try DiscreteLaplace.noise(sensitivity: figureCount * k, epsilon: epsilon))
            let runs = exact.runs + (try DiscreteLaplace.noise(sensitivity: figureCount * k * l, epsilon: epsilon))
            let failures = exact.failures + (try DiscreteLaplace.noise(sensitivity: figureCount * k * l, epsilon: epsilon))
            if let tau = out.threshold, users < tau { continue }
            let r = max(runs, 0)
            out.rows.append(Row(command: command, runs: r, failures: min(max(failures, 0), r), users: max(users, 0)))
        }
        if publicCommands == nil { out.rows.sort { $0.runs != $1.runs ? $0.runs > $1.runs : $0.command < $1.command } }
        return out
    }

    /// The standard deviation of the noise on each command's runs and failures (scale `8·K·L/ε`), so a reader can
    /// tell a figure from its noise.
    public var runsNoiseStandardDeviation: Double {
        DiscreteLaplace.standardDeviation(scale: Double(Self.figureCount * maxCommands * maxContribution) / epsilon.value)
    }

    /// The standard deviation of the noise on each command's user count (scale `8·K/ε`).
    public var usersNoiseStandardDeviation: Double {
        DiscreteLaplace.standardDeviation(scale: Double(Self.figureCount * maxCommands) / epsilon.value)
    }

    /// JSON: `overall` (as ``NoisyStatistics/json``), `commands` (`command`, `runs`, `failures`, `users`,
    /// `success_rate`), `epsilon`, `delta`, `threshold`, `max_contribution`, `max_commands`, `noise_std_runs`,
    /// `noise_std_users`, `mechanism`.
    public var json: JSONValue {
        .object([
            "overall": overall.json,
            "commands": .array(rows.map { r in
                .object([
                    "command": .string(r.command), "runs": .int(r.runs), "failures": .int(r.failures),
                    "users": .int(r.users), "success_rate": r.successRate.map { .double($0) } ?? .null,
                ])
            }),
            "epsilon": .string(epsilon.description), "delta": delta.map { .double($0) } ?? .null,
            "threshold": threshold.map { .int($0) } ?? .null, "max_contribution": .int(Int64(maxContribution)),
            "max_commands": .int(Int64(maxCommands)),
            "noise_std_runs": .double(runsNoiseStandardDeviation), "noise_std_users": .double(usersNoiseStandardDeviation),
            "mechanism": .string("discrete Laplace, basic composition over \(Self.figureCount) figures" + (delta == nil ? "; public command list" : "; commands selected by a noisy user-count threshold")),
        ])
    }
}
