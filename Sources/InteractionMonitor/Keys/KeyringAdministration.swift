internal import MonitorCrypto

/// Administrative operations on the keyring file of a keys directory. Each runs under the keys directory's lock
/// and replaces the file atomically; monitors that load from that directory pick the change up at their next
/// flush tick.
package enum KeyringAdministration {
    /// Makes a new key of `purpose` active; the previously active one becomes decrypt-only.
    /// - Returns: the new key and the one it replaced.
    @discardableResult
    package static func rotate(directory: String, secret: KeyringSecret?, purpose: KeyringEntry.Purpose) throws
        -> (new: KeyringEntry, previous: KeyringEntry)
    {
        var result: (KeyringEntry, KeyringEntry)? = nil
        try Keyring.update(directory: directory, secret: secret) { current in
            let previous = purpose == .data ? current.activeData : current.activeHash
            let (next, fresh) = try current.rotating(purpose)
            result = (fresh, previous)
            return next
        }
        return result!
    }

    /// Retires key `id`: refused (`.keyInUse`) while it is active or while any segment, blob (manifest, opt-out
    /// registry, derived file) or — for a hash key — any day's pseudonyms or opt-out entry still uses it in
    /// `store`. Once retired, the key's bytes are gone from the keyring file.
    ///
    /// Every other store registered in the keys directory (``StoreRegister``) is checked the same way: the retire
    /// is refused, naming the store, while any of them still needs the key. A registered store that cannot be
    /// reached (a data directory that is gone, a database this process cannot open) blocks the retire unless its
    /// id is in `unreachable` — the operator naming it explicitly.
    @discardableResult
    package static func retire(
        directory: String, secret: KeyringSecret?, keyID id: KeyID, store: any SegmentStore,
        unreachable: Set<String> = []
    ) throws -> KeyringEntry {
        var retired: KeyringEntry? = nil
        try Keyring.update(directory: directory, secret: secret) { current in
            guard let entry = current.entry(id) else {
                throw InteractionMonitorError(.configuration, "the keyring has no key \(id)")
            }
            let next = try current.retiring(id)  // refuses active and retired keys first
            let reasons = try KeyUsage.scan(store: store, keyring: current).reasons(keeping: id, purpose: entry.purpose)
            guard reasons.isEmpty else {
                throw InteractionMonitorError(
                    .keyInUse, "\(entry.purpose.rawValue) key \(id) is still in use: \(reasons.joined(separator: "; "))")
            }
            let here = StoreRegister.describe(store)
            for other in try StoreRegister.load(directory: directory).entries
            where !(other.kind == here.kind && other.location == here.location) {
                guard other.kind == "file", POSIX.isDirectory(other.location) else {
                    guard unreachable.contains(other.id) else {
                        throw InteractionMonitorError(
                            .keyInUse,
                            "the keys directory is also used by store \(other.id) (\(other.kind) \(other.location)), which cannot be checked from here; run the retire against it, or name it with --allow-unreachable \(other.id)")
                    }
                    continue
                }
                let reasons = try KeyUsage.scan(store: FileSegmentStore(directory: other.location), keyring: current)
                    .reasons(keeping: id, purpose: entry.purpose)
                guard reasons.isEmpty else {
                    throw InteractionMonitorError(
                        .keyInUse,
                        "\(entry.purpose.rawValue) key \(id) is still in use by the store in \(other.location) (\(other.id)), which shares this keyring: \(reasons.joined(separator: "; "))")
                }
            }
            retired = next.entry(id)
            return next
        }
        return retired!
    }

    /// Seals the keyring with `newSecret` (a passphrase, stretched with Argon2id at `strength`, or a
    /// key-encryption key), or writes it plain (format 1, permissions only) when `newSecret` is `nil`.
    /// `secret` opens the current file. Changing a passphrase is sealing with a new one.
    package static func protect(
        directory: String, secret: KeyringSecret?, with newSecret: KeyringSecret?,
        strength: KeyDerivationStrength = .moderate
    ) throws {
        let sealing = try newSecret.map { try KeyringSealing.make(secret: $0, strength: strength) }
        try Keyring.update(directory: directory, secret: secret) { try $0.with(sealing: sealing) }
    }

    /// Writes a backup of the keyring to `path` (which must not exist), always sealed by `passphrase`.
    package static func export(
        directory: String, secret: KeyringSecret?, to path: String, passphrase: KeyringSecret,
        strength: KeyDerivationStrength = .moderate
    ) throws -> Keyring {
        guard passphrase.isPassphrase else {
            throw InteractionMonitorError(.configuration, "a keyring backup is sealed by a passphrase, not a key-encryption key")
        }
        let keyring = try Keyring.load(directory: directory, secret: secret)
        let backup = try keyring.with(sealing: try KeyringSealing.make(secret: passphrase, strength: strength))
        do {
            try backup.write(to: path, replacing: false)
        } catch let error as InteractionMonitorError where error.code == .keyringExists {
            throw InteractionMonitorError(.keyringExists, "\(path) already exists; a backup never overwrites a file (choose another --output)")
        }
        return keyring
    }

    /// Restores a backup made by ``export(directory:secret:to:passphrase:strength:)``. Without a keyring in
    /// `directory`, the backup becomes it (sealed by `secret` when given, else plain). With one, the backup's keys
    /// that it lacks are added as decrypt-only; active keys stay as they are.
    /// A backup restores only into its own tenant's keys (refused, `.configuration`, when `tenant` is given and
    /// differs, or when the keyring in `directory` is another tenant's).
    /// - Returns: whether a keyring was created, and how many keys were added.
    package static func importBackup(
        from path: String, passphrase: KeyringSecret, into directory: String, secret: KeyringSecret?,
        tenant: Tenant? = nil
    ) throws -> (created: Bool, added: Int) {
        var bytes = try POSIX.readFile(path, limit: Keyring.maximumFileSize, code: .configuration)
        defer { secureZero(&bytes) }
        let backup = try Keyring.decode(bytes, directory: nil, path: path, secret: passphrase, location: " backup \(path)")
        if let tenant, backup.tenant != tenant {
            throw InteractionMonitorError(
                .configuration, "the backup holds tenant \(backup.tenant)'s keys, not tenant \(tenant)'s")
        }
        let file = directory + "/" + Keyring.fileName
        if !POSIX.exists(file) {
            _ = try POSIX.makeDirectories(directory, code: .keyringUnavailable)
            let sealing = try secret.map { try KeyringSealing.make(secret: $0, strength: .moderate) }
            let restored = try Keyring(
                entries: backup.entries, directory: directory, sealing: sealing, tenant: backup.tenant)
            do {
                try Keyring.withLock(directory: directory) { try restored.write(to: file, replacing: false) }
                return (true, backup.entries.count)
            } catch let error as InteractionMonitorError where error.code == .keyringExists {
                // Created meanwhile by someone else: merge instead.
            }
        }
        var added = 0
        try Keyring.update(directory: directory, secret: secret) { current in
            let (merged, n) = try current.merging(backup)
            added = n
            return merged
        }
        return (false, added)
    }
}
