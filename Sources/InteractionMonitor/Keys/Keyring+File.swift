internal import MonitorCrypto

#if canImport(Glibc)
import Glibc
#endif

extension Keyring {
    /// The keyring's file name inside the keys directory.
    public static let fileName = "keyring"
    static let header = "interaction-monitor-keyring 1"
    static let maximumFileSize = 1 << 20

    /// Loads the keyring in `directory`.
    ///
    /// - Throws: ``InteractionMonitorError`` `.keyringNotFound` when there is none, `.keyringPermissions` when the
    ///   directory or file is accessible by group or others or owned by another user (as ssh refuses such keys),
    ///   `.keyringMalformed` when the file does not follow the format in `keys/README.md`.
    ///   `.keyringLocked` when the file is sealed (format 2) and `secret` is missing or wrong.
    public static func load(directory: String, secret: KeyringSecret? = nil) throws -> Keyring {
        let path = directory + "/" + fileName
        guard POSIX.exists(path) else {
            throw InteractionMonitorError(
                .keyringNotFound, "no keyring in \(directory); create one with `interaction-monitor keys init`")
        }
        try checkPermissions(directory: directory, file: path)
        var bytes = try POSIX.readFile(path, limit: maximumFileSize, code: .keyringUnavailable)
        defer { secureZero(&bytes) }
        return try decode(bytes, directory: directory, path: path, secret: secret, location: " in \(directory)")
    }

    /// Whether the keyring in `directory` is sealed (format 2: it needs a passphrase or key-encryption key to
    /// open); `false` when it is plain or there is none.
    package static func isSealed(directory: String) -> Bool {
        let path = directory + "/" + fileName
        guard POSIX.existsNoFollow(path), let bytes = try? POSIX.readFile(path, limit: maximumFileSize, code: .keyringUnavailable)
        else { return false }
        return bytes.split(separator: UInt8(ascii: "\n"), maxSplits: 1).first.map {
            String(decoding: $0, as: UTF8.self) == KeyringSealing.header
        } ?? false
    }

    /// Parses a keyring file of either format; format 2 needs `secret`.
    static func decode(
        _ bytes: [UInt8], directory: String?, path: String, secret: KeyringSecret?, location: String
    ) throws -> Keyring {
        let firstLine = bytes.prefix { $0 != UInt8(ascii: "\n") }
        guard String(decoding: firstLine, as: UTF8.self) == KeyringSealing.header else {
            return try parse(bytes, directory: directory, path: path)
        }
        let envelope = try KeyringSealing.parse(bytes, path: path)
        guard let secret else {
            let how: String
            if case .passphrase = envelope.method {
                how = "a passphrase: set INTERACTION_MONITOR_PASSPHRASE or INTERACTION_MONITOR_PASSPHRASE_FILE, or pass --passphrase-file"
            } else {
                how = "a key-encryption key: set INTERACTION_MONITOR_KEK or INTERACTION_MONITOR_KEK_FILE, or pass --kek-file"
            }
            throw InteractionMonitorError(.keyringLocked, "the keyring\(location) is sealed by \(how)")
        }
        let sealing = try KeyringSealing.unlock(envelope.method, secret: secret, where: location)
        var plain = try sealing.open(envelope, location: location)
        defer { secureZero(&plain) }
        let inner = try parse(plain, directory: directory, path: path)
        return try Keyring(entries: inner.entries, directory: directory, sealing: sealing, tenant: inner.tenant)
    }

    /// Creates a new keyring (one data key, one hash key) in `directory`, creating the directory with mode 0700.
    ///
    /// An existing directory that is open to group or others is tightened to 0700 while it holds no keyring.
    /// - Throws: `.keyringExists` when a keyring is already there; never overwrites one.
    /// With `secret`, the new keyring is sealed (format 2) by that passphrase (Argon2id at `strength`) or
    /// key-encryption key. The file records `tenant` (see ``Tenant``).
    @discardableResult
    public static func create(
        directory: String, secret: KeyringSecret? = nil, strength: KeyDerivationStrength = .moderate,
        tenant: Tenant = .default
    ) throws -> Keyring {
        try POSIX.makeDirectories(directory, code: .keyringUnavailable)
        let path = directory + "/" + fileName
        if POSIX.exists(path) {
            throw InteractionMonitorError(.keyringExists, "a keyring already exists in \(directory)")
        }
        if let (mode, _) = POSIX.modeAndOwner(directory), mode & 0o077 != 0 {
            guard chmod(directory, 0o700) == 0 else {
                throw POSIX.fail(.keyringPermissions, "cannot restrict the keys directory", directory)
            }
        }
        var keyring = try generate(directory: directory, tenant: tenant)
        if let secret {
            keyring = try keyring.with(sealing: try KeyringSealing.make(secret: secret, strength: strength))
        }
        try keyring.write(to: path, replacing: false)
        return keyring
    }

    /// Loads the keyring in `directory`, creating one first when there is none (safe when several
    /// processes race to create it: exactly one wins and the others load its keyring).
    /// - Throws: `.configuration` when the keyring there belongs to another tenant than `tenant`.
    public static func loadOrCreate(directory: String, secret: KeyringSecret? = nil, tenant: Tenant = .default) throws
        -> Keyring
    {
        if POSIX.exists(directory + "/" + fileName) {
            return try load(directory: directory, secret: secret).checking(tenant: tenant)
        }
        do {
            return try create(directory: directory, secret: secret, tenant: tenant)
        } catch let error as InteractionMonitorError where error.code == .keyringExists {
            return try load(directory: directory, secret: secret).checking(tenant: tenant)
        }
    }

    /// This keyring, when it belongs to `tenant`.
    /// - Throws: `.configuration` naming both tenants otherwise (a keys directory used for the wrong tenant).
    public func checking(tenant expected: Tenant) throws -> Keyring {
        guard tenant == expected else {
            throw InteractionMonitorError(
                .configuration,
                "the keyring in \(directory ?? "memory") belongs to tenant \(tenant), not tenant \(expected)")
        }
        return self
    }

    static func checkPermissions(directory: String, file: String) throws {
        let me = POSIX.effectiveUserID
        for (what, path) in [("keys directory", directory), ("keyring", file)] {
            guard let (mode, uid) = POSIX.modeAndOwner(path) else {
                throw POSIX.fail(.keyringUnavailable, "cannot stat", path)
            }
            if uid != me {
                throw InteractionMonitorError(
                    .keyringPermissions, "\(what) \(path) is owned by uid \(uid), not by the current user (uid \(me))")
            }
            if mode & 0o077 != 0 {
                let octal = String(mode, radix: 8)
                throw InteractionMonitorError(
                    .keyringPermissions,
                    "\(what) \(path) is accessible by group or others (mode 0\(octal)); run: chmod \(what == "keyring" ? "600" : "700") \(path)"
                )
            }
        }
    }

    /// Serialises and writes the keyring atomically: temp file (0600, fsynced), then `link` (when not replacing,
    /// so an existing keyring is never overwritten) or `rename`.
    func write(to path: String, replacing: Bool) throws {
        var text = try fileBytes()
        defer { secureZero(&text) }
        let dir = POSIX.parentDirectory(of: path)
        let suffix = (try? RandomBytes.generate(6)).map { Hex.encode($0) } ?? String(POSIX.processID)
        let tmp = "\(dir)/.\(Keyring.fileName).tmp-\(POSIX.processID)-\(suffix)"
        let fd = try POSIX.open(tmp, O_WRONLY | O_CREAT | O_EXCL, mode: 0o600, code: .keyringUnavailable)
        do {
            _ = fchmod(fd, 0o600)
            try POSIX.writeAll(fd, text, path: tmp)
            try POSIX.fsync(fd, path: tmp)
            POSIX.close(fd)
        } catch {
            POSIX.close(fd)
            POSIX.unlink(tmp)
            throw InteractionMonitorError(.keyringUnavailable, "cannot write keyring in \(dir): \(error)")
        }
        defer { POSIX.unlink(tmp) }
        if replacing {
            try POSIX.rename(tmp, path)
        } else if link(tmp, path) != 0 {
            let err = errno
            if err == EEXIST { throw InteractionMonitorError(.keyringExists, "a keyring already exists in \(dir)") }
            throw POSIX.fail(.keyringUnavailable, "cannot create keyring", path, err)
        }
        POSIX.fsyncDirectory(dir)
    }

    /// The file's bytes: format 1, or format 2 when sealed (the caller wipes them).
    func fileBytes() throws -> [UInt8] {
        var text = serialize()
        guard let sealing else { return text }
        defer { secureZero(&text) }
        return try sealing.seal(text)
    }

    /// The format-1 text (contains key material: the caller wipes it).
    func serialize() -> [UInt8] {
        var out = Array((Keyring.header + "\n").utf8)
        if !tenant.isDefault { out += Array("tenant \(tenant.name)\n".utf8) }
        for e in entries {
            out += Array("\(e.purpose.rawValue) \(e.id) \(e.created.iso8601) \(e.status.rawValue) ".utf8)
            if let key = e.key {
                var b64 = key.base64EncodedBytes()
                out += b64
                secureZero(&b64)
            } else {
                out.append(UInt8(ascii: "-"))
            }
            out.append(UInt8(ascii: "\n"))
        }
        return out
    }

    /// Parses the v1 text format. Never echoes file content in errors (it holds key material).
    static func parse(_ bytes: [UInt8], directory: String?, path: String) throws -> Keyring {
        let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        guard let first = lines.first, String(decoding: first, as: UTF8.self) == header else {
            throw InteractionMonitorError(
                .keyringMalformed, "\(path) is not an interaction-monitor keyring (expected first line '\(header)')")
        }
        var entries: [KeyringEntry] = []
        var tenant: Tenant? = nil
        for (n, line) in lines.enumerated().dropFirst() {
            if line.isEmpty || line.first == UInt8(ascii: "#") { continue }
            let fields = line.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
            let lineNo = n + 1
            func bad(_ why: String) -> InteractionMonitorError {
                InteractionMonitorError(.keyringMalformed, "\(path) line \(lineNo): \(why)")
            }
            if fields.first.map({ String(decoding: $0, as: UTF8.self) }) == "tenant" {
                guard fields.count == 2, tenant == nil, entries.isEmpty,
                    let t = try? Tenant(String(decoding: fields[1], as: UTF8.self)), !t.isDefault
                else { throw bad("a tenant line is 'tenant NAME', once, before the keys, with a valid non-default name") }
                tenant = t
                continue
            }
            guard fields.count == 5 else { throw bad("expected 5 fields: purpose id created status key") }
            guard let purpose = KeyringEntry.Purpose(rawValue: String(decoding: fields[0], as: UTF8.self)) else {
                throw bad("unknown key purpose (expected data or hash)")
            }
            guard let id = KeyID(String(decoding: fields[1], as: UTF8.self)) else {
                throw bad("key id must be 16 hex digits")
            }
            guard let created = Timestamp(iso8601: String(decoding: fields[2], as: UTF8.self)) else {
                throw bad("creation time is not ISO 8601")
            }
            guard let status = KeyStatus(rawValue: String(decoding: fields[3], as: UTF8.self)) else {
                throw bad("unknown status (expected active, decrypt-only or retired)")
            }
            let keyField = fields[4]
            var key: SecretKey? = nil
            if !(keyField.count == 1 && keyField.first == UInt8(ascii: "-")) {
                let length = purpose == .data ? AEAD.keyLength : KeyedHash.keyLength
                do {
                    key = try keyField.withUnsafeBytes { try SecretKey(base64: $0, expectedCount: length) }
                } catch {
                    throw bad("key \(id) is not \(length) bytes of base64")
                }
            }
            entries.append(KeyringEntry(id: id, purpose: purpose, created: created, status: status, key: key))
        }
        do {
            return try Keyring(entries: entries, directory: directory, tenant: tenant ?? .default)
        } catch let error as InteractionMonitorError {
            throw InteractionMonitorError(error.code, "\(path): \(error.message)")
        }
    }
}
