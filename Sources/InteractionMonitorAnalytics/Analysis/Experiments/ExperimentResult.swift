import InteractionMonitor
/// The analysis of one experiment (see ``ExperimentStatistics`` for the methods).
public struct ExperimentResult: Sendable {
    /// One variant's users and outcomes.
    public struct Variant: Sendable {
        /// The variant name.
        public var variant: String
        /// Exposed users.
        public var users: Int
        /// Their interactions after first exposure.
        public var interactions: Int
        /// Of which successful.
        public var successes: Int
        /// Successes / interactions (`nil` without interactions).
        public var successRate: Double?
        /// Lower end of the 95 % confidence interval of the success rate (`nil` with fewer than two users).
        public var ciLow: Double?
        /// Upper end of the 95 % confidence interval.
        public var ciHigh: Double?
        /// Median duration of the interactions (ms).
        public var medianDurationMs: Double?
        /// p-value of the success-rate difference against the first variant (`nil` for the first).
        public var pValueSuccessRateVsControl: Double?
        /// p-value of the duration difference against the first variant (`nil` for the first).
        public var pValueDurationVsControl: Double?
    }

    /// The experiment.
    public var experiment: String
    /// The command analysed (`nil`: all interactions after exposure).
    public var command: String?
    /// Variants, the control (first) first.
    public var variants: [Variant]
    /// p-value of the success-rate difference (two variants: between them; more: Bonferroni-adjusted minimum of
    /// each against the control).
    public var pValueSuccessRate: Double
    /// p-value of the duration difference (same rule).
    public var pValueDuration: Double
    /// Chi-square p-value of the user counts against the weights.
    public var srmPValue: Double
    /// Whether `srmPValue` < 0.001.
    public var sampleRatioMismatch: Bool
    /// The weights the counts were checked against.
    public var expectedWeights: [Double]
    /// Users exposed to more than one variant (kept in their first).
    public var usersInSeveralVariants = 0

    /// JSON with the documented keys.
    public var json: JSONValue {
        func num(_ d: Double?) -> JSONValue { d.map { $0.isFinite ? .double($0) : .null } ?? .null }
        var o: [String: JSONValue] = [
            "experiment": .string(experiment),
            "variants": .array(variants.map { v in
                var x: [String: JSONValue] = [
                    "variant": .string(v.variant), "users": .int(Int64(v.users)),
                    "interactions": .int(Int64(v.interactions)), "success_rate": num(v.successRate),
                    "ci_low": num(v.ciLow), "ci_high": num(v.ciHigh), "median_duration_ms": num(v.medianDurationMs),
                ]
                if let p = v.pValueSuccessRateVsControl { x["p_value_success_rate_vs_control"] = num(p) }
                if let p = v.pValueDurationVsControl { x["p_value_duration_vs_control"] = num(p) }
                return .object(x)
            }),
            "p_value_success_rate": num(pValueSuccessRate), "p_value_duration": num(pValueDuration),
            "srm_p_value": num(srmPValue), "sample_ratio_mismatch": .bool(sampleRatioMismatch),
            "expected_weights": .array(expectedWeights.map { .double($0) }),
            "users_in_several_variants": .int(Int64(usersInSeveralVariants)),
        ]
        o["command"] = command.map { .string($0) } ?? .null
        return .object(o)
    }
}
