/// Profiles and patterns persisted like the seed's `user_profiles.json` and `patterns.json` — sealed in the
/// segment envelope (kind 3) as `user_profiles.enc` and `patterns.enc`, readable with `decrypt --derived NAME`.
public enum DerivedFiles {
    /// The derived file names (without extension) and their blob names.
    public static let names = ["user_profiles": "user_profiles.enc", "patterns": "patterns.enc"]

    /// Writes all profiles (a JSON array) sealed.
    public static func save(profiles: [UserProfile], store: any SegmentStore, keyring: Keyring) throws {
        try write(.array(profiles.map(\.json)), name: "user_profiles.enc", store: store, keyring: keyring)
    }

    /// Writes patterns (a JSON array) sealed.
    public static func save(patterns: [InteractionPattern], store: any SegmentStore, keyring: Keyring) throws {
        try write(.array(patterns.map(\.json)), name: "patterns.enc", store: store, keyring: keyring)
    }

    static func write(_ value: JSONValue, name: String, store: any SegmentStore, keyring: Keyring) throws {
        let sealed = try SealedBlob.seal(Array(value.jsonText.utf8), keyring: keyring)
        try store.updateBlob(named: name) { _ in sealed }
    }

    /// The decrypted JSON text of a derived file (`user_profiles` or `patterns`), `nil` when absent.
    public static func read(_ name: String, store: any SegmentStore, keyring: Keyring) throws -> String? {
        guard let blob = names[name] else {
            throw InteractionMonitorError(.invalidInput, "unknown derived file '\(name)' (expected user_profiles or patterns)")
        }
        guard let bytes = try store.readBlob(named: blob) else { return nil }
        return String(decoding: try SealedBlob.open(bytes, keyring: keyring, what: blob), as: UTF8.self)
    }

    /// Removes one user's profile (erasure).
    static func removeProfile(userHashes: Set<String>, store: any SegmentStore, keyring: Keyring) throws -> Bool {
        var removed = false
        try store.updateBlob(named: "user_profiles.enc") { current in
            guard let current else { return nil }
            let plain = try SealedBlob.open(current, keyring: keyring, what: "user_profiles.enc")
            guard case .array(let all) = try JSONValue(parsing: plain) else { return nil }
            let kept = all.filter { p in
                guard case .object(let o) = p, case .string(let u)? = o["user_hash"] else { return true }
                return !userHashes.contains(u)
            }
            guard kept.count < all.count else { return nil }
            removed = true
            return try SealedBlob.seal(Array(JSONValue.array(kept).jsonText.utf8), keyring: keyring)
        }
        return removed
    }

    /// Removes both derived files (retention: they are rebuilt from what remains by the next analysis).
    static func removeAll(store: any SegmentStore) throws {
        for blob in names.values { try store.removeBlob(named: blob) }
    }
}
