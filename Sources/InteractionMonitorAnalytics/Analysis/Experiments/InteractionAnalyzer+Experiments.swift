import InteractionMonitor
extension InteractionAnalyzer {
    /// Analyses experiment `name` in two passes: first every `experiment_exposure` of it (a user's variant and
    /// time are those of their first exposure), then each exposed user's interactions from that time on (only
    /// `command`'s when given; exposures themselves excluded), matched by `user_hash`.
    ///
    /// `variants` fixes the order (the first is the control) and names variants nobody was exposed to; variants
    /// seen but not named follow, sorted. `weights` (in that order; equal when `nil`) are the expected shares for
    /// the sample-ratio check. Throws when the weights do not match the variants.
    public func experiment(
        _ name: String, command: String? = nil, variants: [String]? = nil, weights: [Double]? = nil
    ) throws -> ExperimentResult {
        let (order, groups, several) = try experimentGroups(name, command: command, variants: variants)
        if let weights {
            guard weights.count == order.count else {
                throw InteractionMonitorError(
                    .invalidInput, "\(weights.count) weight(s) for \(order.count) variant(s) (\(order.joined(separator: ", ")))")
            }
            guard weights.allSatisfy({ $0 >= 0 && $0.isFinite }), weights.contains(where: { $0 > 0 }) else {
                throw InteractionMonitorError(.invalidInput, "weights must be non-negative and not all zero")
            }
        }
        var result = ExperimentStatistics.compare(
            experiment: name, command: command, variants: order, groups: groups, weights: weights)
        result.usersInSeveralVariants = several
        return result
    }

    /// The variants in order and each variant's exposed users' outcomes (sorted by user hash), and how many users
    /// were exposed to several variants.
    func experimentGroups(_ name: String, command: String?, variants: [String]?) throws
        -> (order: [String], groups: [[ExperimentUserOutcome]], several: Int)
    {
        var first: [String: (variant: String, at: Timestamp)] = [:]
        var several: Set<String> = []
        try forEach { i in
            guard i.interactionType == .experimentExposure, let u = i.userHash,
                case .string(let e)? = i.metadata["experiment"], e == name,
                case .string(let v)? = i.metadata["variant"]
            else { return }
            if let f = first[u] {
                if f.variant != v { several.insert(u) }
                if i.timestamp < f.at { first[u] = (v, i.timestamp) }
            } else {
                first[u] = (v, i.timestamp)
            }
        }
        var order = variants ?? []
        order += Set(first.values.map { $0.variant }).subtracting(order).sorted()
        var outcomes: [String: ExperimentUserOutcome] = first.mapValues { _ in ExperimentUserOutcome(interactions: 0, successes: 0) }
        if !first.isEmpty {
            try forEach { i in
                guard i.interactionType != .experimentExposure, let u = i.userHash, let f = first[u], i.timestamp >= f.at,
                    command == nil || i.command == command
                else { return }
                outcomes[u, default: ExperimentUserOutcome(interactions: 0, successes: 0)].interactions += 1
                if i.status == .success { outcomes[u]?.successes += 1 }
                outcomes[u]?.durationsMs.append(i.durationMs)
            }
        }
        let index = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($0.element, $0.offset) })
        var groups = Array(repeating: [ExperimentUserOutcome](), count: order.count)
        for (u, f) in first.sorted(by: { $0.key < $1.key }) {
            guard let g = index[f.variant], let o = outcomes[u] else { continue }
            groups[g].append(o)
        }
        return (order, groups, several.count)
    }

    /// Gathers experiment `name` for a private release (``PrivateExperiment``): each exposed user's interactions
    /// and successes clipped to `maxContribution`, for exactly the given `variants` (the public list; users in
    /// other variants are left out).
    public func privateExperiment(
        _ name: String, command: String? = nil, variants: [String], maxContribution: Int
    ) throws -> PrivateExperiment.Clipped {
        let (order, groups, _) = try experimentGroups(name, command: command, variants: variants)
        var clipped = PrivateExperiment.Clipped(variants: variants, maxContribution: maxContribution)
        for (variant, users) in zip(order, groups) where variants.contains(variant) {
            for u in users { clipped.add(variant: variant, interactions: u.interactions, successes: u.successes) }
        }
        return clipped
    }
}
