internal import MonitorCrypto

/// One key of a keyring: its id, purpose, creation time, status and (unless retired) its bytes.
/// The bytes are never printed: `description` shows the id and status only.
public struct KeyringEntry: Sendable, CustomStringConvertible {
    /// What a key is for.
    public enum Purpose: String, Sendable, Hashable {
        /// Seals segments and derived files (XChaCha20-Poly1305, 32 bytes).
        case data
        /// Pseudonymises user ids (keyed BLAKE2b, 32 bytes).
        case hash
    }

    /// The key's id.
    public let id: KeyID
    /// What the key is for.
    public let purpose: Purpose
    /// When the key was created.
    public let created: Timestamp
    /// Its status.
    public let status: KeyStatus
    let key: SecretKey?

    init(id: KeyID, purpose: Purpose, created: Timestamp, status: KeyStatus, key: SecretKey?) {
        self.id = id
        self.purpose = purpose
        self.created = created
        self.status = status
        self.key = key
    }

    public var description: String { "\(purpose) key \(id) (\(status.rawValue), created \(created))" }
}
