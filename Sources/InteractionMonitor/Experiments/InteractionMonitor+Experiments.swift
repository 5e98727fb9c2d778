extension InteractionType {
    /// An experiment exposure (`experiment_exposure`), recorded by ``InteractionMonitor/variant(experiment:userID:variants:weights:assignment:)``.
    public static let experimentExposure = InteractionType("experiment_exposure")
}

extension InteractionMonitor {
    /// The variant of `userID` in `experiment` (deterministic: the same in every process, after restarts and after
    /// a key rotation; see ``ExperimentAssignment``), recording an exposure: an interaction of type
    /// `experiment_exposure`, command `experiment_exposure`, with metadata `experiment` and `variant`, stored under
    /// the user's pseudonym like every other record.
    ///
    /// ```swift
    /// let v = try monitor.variant(experiment: "checkout-button", userID: user, variants: ["control", "green"])
    /// ```
    /// Throws for bad arguments (no variants, duplicates, weights that do not match) or a malformed
    /// `INTERACTION_MONITOR_EXPERIMENT_KEY`.
    @discardableResult
    public func variant(
        experiment: String, userID: String, variants: [String], weights: [Int]? = nil,
        assignment: ExperimentAssignment? = nil
    ) throws -> String {
        let a = try assignment ?? ExperimentAssignment.fromEnvironment()
        let v = try a.variant(experiment: experiment, userID: userID, variants: variants, weights: weights)
        _ = record(
            .experimentExposure, command: InteractionType.experimentExposure.rawValue, status: .success, durationMs: 0,
            userID: userID, metadata: ["experiment": .string(experiment), "variant": .string(v)])
        return v
    }
}
