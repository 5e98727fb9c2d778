/// How session ids are stored.
public enum SessionIDPolicy: String, Sendable, Hashable, CaseIterable {
    /// Stored as given.
    case keep
    /// Always replaced by a keyed hash (like user ids, with a distinct domain prefix).
    case pseudonymise
    /// Hashed when the value looks like a token (16+ characters mixing letters and digits, no spaces);
    /// short readable ids such as `sess-42` are kept.
    case automatic
}
