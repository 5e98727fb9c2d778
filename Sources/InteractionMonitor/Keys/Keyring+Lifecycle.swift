internal import MonitorCrypto

#if canImport(Glibc)
import Glibc
#endif

extension Keyring {
    /// The same keys under another sealing (`nil`: plain format 1).
    func with(sealing: KeyringSealing?) throws -> Keyring {
        try Keyring(entries: entries, directory: directory, sealing: sealing, tenant: tenant)
    }

    /// A keyring where a new random key of `purpose` is active and the previously active one is decrypt-only.
    func rotating(_ purpose: KeyringEntry.Purpose, now: Timestamp = .now()) throws -> (Keyring, KeyringEntry) {
        let length = purpose == .data ? AEAD.keyLength : KeyedHash.keyLength
        var id = try KeyID.random()
        while entries.contains(where: { $0.id == id }) { id = try KeyID.random() }
        let key: SecretKey
        do {
            key = try SecretKey(randomCount: length)
        } catch {
            throw InteractionMonitorError(.cryptoFailure, "cannot generate a key")
        }
        let fresh = KeyringEntry(id: id, purpose: purpose, created: now, status: .active, key: key)
        var updated = entries.map { e in
            e.purpose == purpose && e.status == .active
                ? KeyringEntry(id: e.id, purpose: e.purpose, created: e.created, status: .decryptOnly, key: e.key) : e
        }
        updated.append(fresh)
        return (try Keyring(entries: updated, directory: directory, sealing: sealing, tenant: tenant), fresh)
    }

    /// A keyring where key `id` is retired: status `retired`, bytes dropped (and wiped when released).
    /// - Throws: `.keyInUse` for an active key, `.invalidInput`-free `.configuration` for an unknown or retired one.
    func retiring(_ id: KeyID) throws -> Keyring {
        guard let e = entry(id) else {
            throw InteractionMonitorError(.configuration, "the keyring has no key \(id)")
        }
        switch e.status {
        case .active:
            throw InteractionMonitorError(
                .keyInUse, "key \(id) is the active \(e.purpose.rawValue) key; rotate first (`keys rotate\(e.purpose == .hash ? " --hash-key" : "")`)")
        case .retired:
            throw InteractionMonitorError(.configuration, "key \(id) is already retired")
        case .decryptOnly:
            break
        }
        let updated = entries.map { x in
            x.id == id ? KeyringEntry(id: x.id, purpose: x.purpose, created: x.created, status: .retired, key: nil) : x
        }
        return try Keyring(entries: updated, directory: directory, sealing: sealing, tenant: tenant)
    }

    /// Adds the keys of `other` that this keyring lacks (by id), as decrypt-only (retired ones stay retired).
    /// Active keys here stay active. Returns the merged keyring and how many keys were added.
    func merging(_ other: Keyring) throws -> (Keyring, added: Int) {
        guard other.tenant == tenant else {
            throw InteractionMonitorError(
                .configuration, "the backup holds tenant \(other.tenant)'s keys, not tenant \(tenant)'s")
        }
        var merged = entries
        var added = 0
        for e in other.entries where entry(e.id) == nil {
            let status: KeyStatus = e.status == .retired ? .retired : .decryptOnly
            merged.append(KeyringEntry(id: e.id, purpose: e.purpose, created: e.created, status: status, key: e.key))
            added += 1
        }
        return (try Keyring(entries: merged, directory: directory, sealing: sealing, tenant: tenant), added)
    }

    /// Loads the keyring in `directory`, lets `change` produce a new one and writes it atomically, all under the
    /// keys directory's lock (`.keyring.lock`), so concurrent administrative commands never lose each other's
    /// changes. Monitors pick the new file up at their next flush.
    @discardableResult
    static func update(
        directory: String, secret: KeyringSecret?, _ change: (Keyring) throws -> Keyring
    ) throws -> Keyring {
        try withLock(directory: directory) {
            let current = try load(directory: directory, secret: secret)
            let updated = try change(current)
            try updated.write(to: directory + "/" + fileName, replacing: true)
            return updated
        }
    }

    /// Runs `body` holding the keys directory's exclusive lock.
    static func withLock<R>(directory: String, _ body: () throws -> R) throws -> R {
        let lockPath = directory + "/.keyring.lock"
        let fd = try POSIX.open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, mode: 0o600, code: .keyringUnavailable)
        defer { POSIX.close(fd) }
        try POSIX.lock(fd, exclusive: true, path: lockPath)
        defer { POSIX.unlock(fd) }
        return try body()
    }

    /// Identifies the keyring file's current version (device, inode, size, modification time), so a monitor can
    /// cheaply notice that another process rotated keys. `nil` when the file cannot be examined.
    static func fileStamp(directory: String) -> [Int64]? {
        var st = stat()
        guard stat(directory + "/" + fileName, &st) == 0 else { return nil }
        return [
            Int64(st.st_dev), Int64(st.st_ino), Int64(st.st_size), Int64(st.st_mtim.tv_sec), Int64(st.st_mtim.tv_nsec),
        ]
    }
}
