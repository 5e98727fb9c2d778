import InteractionMonitor
/// Differentially private totals (the `stats --epsilon` release): counts per status and unique users, each
/// user's contribution to each count clipped to ``maxContribution`` interactions, with discrete Laplace noise.
///
/// The release holds ``figureCount`` figures, each given ε / ``figureCount`` (basic composition), so the whole
/// release costs ε. A status count has sensitivity `L` (one user moves it by at most `L` after clipping); the
/// unique-user count has sensitivity 1. The total and the success rate are computed from the noisy counts
/// (post-processing, no extra cost); negative noisy counts are shown as 0. Duration percentiles are withheld.
/// Records without a user are each treated as a different person (they cannot be linked, so cannot be clipped).
public struct NoisyStatistics: Sendable {
    /// Figures released: one count per status plus unique users.
    public static let figureCount = InteractionStatus.allCases.count + 1
    /// The default per-user, per-figure contribution bound.
    public static let defaultMaxContribution = 10

    /// Noisy count per status.
    public var byStatus: [InteractionStatus: Int64] = [:]
    /// Noisy number of distinct users.
    public var uniqueUsers: Int64 = 0
    /// The privacy loss of the whole release.
    public var epsilon: PrivacyAmount
    /// The contribution bound used.
    public var maxContribution: Int
    /// How many figures the release these totals belong to shares ε between.
    public var figures: Int = figureCount

    /// The sum of the noisy status counts.
    public var total: Int64 { byStatus.values.reduce(0, +) }
    /// Noisy successes over the noisy total (0 when the total is 0).
    public var successRate: Double { total > 0 ? Double(byStatus[.success] ?? 0) / Double(total) : 0 }

    /// Exact, clipped counts gathered in one pass, before any noise (never released as such).
    public struct Clipped: Sendable {
        var perUser: [String: [Int]] = [:]
        var anonymous: [Int] = Array(repeating: 0, count: InteractionStatus.allCases.count)
        let bound: Int

        /// Counts with each user's contribution to each status capped at `maxContribution`.
        public init(maxContribution: Int) { bound = max(maxContribution, 1) }

        /// Adds one stored interaction.
        public mutating func add(_ i: Interaction) {
            let s = InteractionStatus.allCases.firstIndex(of: i.status) ?? 0
            if let user = i.userHash {
                perUser[user, default: Array(repeating: 0, count: InteractionStatus.allCases.count)][s] += 1
            } else {
                anonymous[s] += 1
            }
        }

        /// The clipped count per status and the number of users (anonymous records count as one each).
        var counts: (byStatus: [Int64], users: Int64) {
            var sums = anonymous.map { Int64($0) }
            for (_, c) in perUser { for k in 0..<c.count { sums[k] += Int64(min(c[k], bound)) } }
            return (sums, Int64(perUser.count) + Int64(anonymous.reduce(0, +)))
        }
    }

    /// Releases `clipped` with noise for `epsilon` (charge the ledger first). `figures` is the number of figures
    /// the whole release shares ε between (basic composition): ``figureCount`` when these totals are released
    /// alone, more when they are part of a larger release (`analyze`, `report`).
    public static func release(_ clipped: Clipped, epsilon: PrivacyAmount, figures: Int = figureCount) throws -> NoisyStatistics {
        var out = NoisyStatistics(epsilon: epsilon, maxContribution: clipped.bound, figures: figures)
        let (byStatus, users) = clipped.counts
        for (k, status) in InteractionStatus.allCases.enumerated() {
            let noisy = byStatus[k] + (try DiscreteLaplace.noise(sensitivity: figures * clipped.bound, epsilon: epsilon))
            out.byStatus[status] = max(noisy, 0)
        }
        out.uniqueUsers = max(users + (try DiscreteLaplace.noise(sensitivity: figures, epsilon: epsilon)), 0)
        return out
    }

    /// The standard deviation of the noise on each status count (and so the spread of the total's parts).
    public var countNoiseStandardDeviation: Double {
        DiscreteLaplace.standardDeviation(scale: Double(figures * maxContribution) / epsilon.value)
    }
    /// The standard deviation of the noise on the unique-user count.
    public var usersNoiseStandardDeviation: Double {
        DiscreteLaplace.standardDeviation(scale: Double(figures) / epsilon.value)
    }
    /// Whether the noise is about as large as what it hides: the noisy total is less than ten noise standard
    /// deviations of one count, so the rates and shares are unreliable.
    public var noiseDominates: Bool { Double(total) < 10 * countNoiseStandardDeviation }

    /// JSON with the same keys as the exact `stats --json` (`total_interactions`, `successful_interactions`,
    /// `failed_interactions`, `error_interactions`, `timeout_interactions`, `success_rate`, `unique_users`), plus
    /// `epsilon` (a number), `max_contribution`, `mechanism`, `count_noise_sd`, `users_noise_sd` and
    /// `noise_dominates`. Durations are withheld.
    public var json: JSONValue {
        .object([
            "total_interactions": .int(total),
            "successful_interactions": .int(byStatus[.success] ?? 0),
            "failed_interactions": .int(byStatus[.failure] ?? 0),
            "error_interactions": .int(byStatus[.error] ?? 0),
            "timeout_interactions": .int(byStatus[.timeout] ?? 0),
            "success_rate": .double(successRate), "unique_users": .int(uniqueUsers),
            "epsilon": .double(epsilon.value), "max_contribution": .int(Int64(maxContribution)),
            "mechanism": .string("discrete Laplace, basic composition over \(figures) figures"),
            "count_noise_sd": .double(countNoiseStandardDeviation), "users_noise_sd": .double(usersNoiseStandardDeviation),
            "noise_dominates": .bool(noiseDominates),
        ])
    }
}
