/// What a read or verification pass found.
public struct StoreReport: Sendable {
    /// Files (days) examined.
    public var files: [String] = []
    /// Segments that authenticated and were in place.
    public var segmentsVerified = 0
    /// Interactions delivered.
    public var interactionsRead = 0
    /// Problems and notes, in the order found.
    public var issues: [StoreIssue] = []

    /// Whether any issue is an error.
    public var hasErrors: Bool { issues.contains { $0.severity == .error } }

    /// Files with at least one error.
    public var damagedFiles: [String] {
        var seen: [String] = []
        for i in issues where i.severity == .error && !seen.contains(i.file) { seen.append(i.file) }
        return seen
    }
}
