import InteractionMonitor
/// Distinct users of a group, remembered only up to a cap: enough to decide "seen from at least k users"
/// in memory bounded by k per group.
struct CappedUserSet: Sendable {
    private(set) var users: Set<String> = []
    let cap: Int

    init(cap: Int) { self.cap = cap }

    mutating func insert(_ user: String?) {
        guard let user, users.count < cap else { return }
        users.insert(user)
    }

    var count: Int { users.count }
}

/// Tracks distinct users per group key for k-anonymity suppression (`--min-users K`).
struct GroupUsers: Sendable {
    let minUsers: Int?
    private var groups: [String: CappedUserSet] = [:]

    init(minUsers: Int?) { self.minUsers = minUsers }

    mutating func note(_ group: String, user: String?) {
        guard let k = minUsers else { return }
        groups[group, default: CappedUserSet(cap: k)].insert(user)
    }

    /// Whether a group may be shown: always without a threshold, else when seen from at least k users.
    func allows(_ group: String) -> Bool {
        guard let k = minUsers else { return true }
        return (groups[group]?.count ?? 0) >= k
    }
}
