internal import MonitorCrypto
import Synchronization

/// Turns raw user ids into `user_hash` values: keyed BLAKE2b under the keyring's active hash key, 16 bytes
/// (128 bits), hex-encoded. Results are cached (bounded) so repeated ids do not pay for the hash again.
final class Pseudonymiser: Sendable {
    static let outputLength = 16
    /// Distinct ids remembered (about 100 bytes each): a server's active users, not just one flush's.
    static let cacheLimit = 16_384

    private let key: SecretKey
    private let cache = Locked<[String: String]>([:])

    init(key: SecretKey) { self.key = key }

    func hash(_ id: String) -> String {
        if let hit = cache.withLock({ $0[id] }) { return hit }
        // The key length is checked when the keyring loads, so this cannot fail; fall back to a marker anyway.
        guard let digest = try? KeyedHash.hash(id, key: key, outputLength: Self.outputLength) else {
            return "unhashable"
        }
        let value = Hex.encode(digest)
        cache.withLock { c in
            if c.count >= Self.cacheLimit { c.removeAll(keepingCapacity: true) }
            c[id] = value
        }
        return value
    }
}
