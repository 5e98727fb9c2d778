/// Profiles and patterns, sealed in the segment envelope (kind 3) as `user_profiles.enc` and `patterns.enc`,
/// readable with `decrypt --derived NAME`.
package enum DerivedFiles {
    /// The derived file names (without extension) and their blob names.
    package static let names = ["user_profiles": "user_profiles.enc", "patterns": "patterns.enc"]

    /// Writes all profiles (a JSON array) sealed.
    package static func save(profiles: [UserProfile], store: any SegmentStore, keyring: Keyring) throws {
        try write(.array(profiles.map(\.json)), name: "user_profiles.enc", store: store, keyring: keyring)
    }

    /// Writes `value` as the derived file `name`, sealed (the analytics library writes `patterns.enc` through it).
    package static func write(_ value: JSONValue, name: String, store: any SegmentStore, keyring: Keyring) throws {
        let plain = Array(value.jsonText.utf8)
        // A derived file is rebuilt from the data: the copy it replaces is not needed, whatever its state.
        try SealedBlob.update(store: store, name: name, keyring: keyring, what: name, trustingCurrent: true) { _ in plain }
    }

    /// The decrypted JSON text of a derived file (`user_profiles` or `patterns`), `nil` when absent.
    package static func read(_ name: String, store: any SegmentStore, keyring: Keyring) throws -> String? {
        guard let blob = names[name] else {
            throw InteractionMonitorError(.configuration, "unknown derived file '\(name)' (expected user_profiles or patterns)")
        }
        guard let plain = try SealedBlob.read(store: store, name: blob, keyring: keyring, what: blob) else { return nil }
        return String(decoding: plain, as: UTF8.self)
    }

    /// Removes one user's profile (erasure).
    static func removeProfile(userHashes: Set<String>, store: any SegmentStore, keyring: Keyring) throws -> Bool {
        var removed = false
        try SealedBlob.update(store: store, name: "user_profiles.enc", keyring: keyring, what: "user_profiles.enc") { plain in
            guard let plain, case .array(let all) = try JSONValue(parsing: plain) else { return nil }
            let kept = all.filter { p in
                guard case .object(let o) = p, case .string(let u)? = o["user_hash"] else { return true }
                return !userHashes.contains(u)
            }
            guard kept.count < all.count else { return nil }
            removed = true
            return Array(JSONValue.array(kept).jsonText.utf8)
        }
        return removed
    }

    /// Removes both derived files (retention: they are rebuilt from what remains by the next analysis).
    static func removeAll(store: any SegmentStore, keyring: Keyring) throws {
        for blob in names.values.sorted() { try SealedBlob.remove(store: store, name: blob, keyring: keyring) }
    }
}
