/// Where a key is in its life.
public enum KeyStatus: String, Hashable, Sendable, CaseIterable {
    /// New data is sealed (or hashed) under it. Exactly one data key and one hash key are active.
    case active
    /// Kept to open older data; nothing new uses it.
    case decryptOnly = "decrypt-only"
    /// Its bytes are erased; only its id and dates remain.
    case retired
}
