import ArgumentParser
import InteractionMonitor

#if canImport(Glibc)
import Glibc
#endif

struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Manage the keyring: create, list, rotate, retire, protect, back up.",
        subcommands: [
            KeysInitCommand.self, KeysListCommand.self, KeysRotateCommand.self, KeysRetireCommand.self,
            KeysProtectCommand.self, KeysPassphraseCommand.self, KeysExportCommand.self, KeysImportCommand.self,
        ])
}

/// How to seal a keyring: `--passphrase`, `--kek` or neither.
struct SealingOptions: ParsableArguments {
    @Flag(help: "Seal with a passphrase (Argon2id). Read from --new-passphrase-file, INTERACTION_MONITOR_NEW_PASSPHRASE or the terminal.")
    var passphrase = false

    @Flag(help: "Seal with a 32-byte key-encryption key from --new-kek-file or INTERACTION_MONITOR_NEW_KEK.")
    var kek = false

    @Option(help: "File whose first line is the new passphrase.") var newPassphraseFile: String?
    @Option(help: "File holding the new key-encryption key (base64, 64 hex digits, or 32 raw bytes).") var newKekFile: String?

    @Option(help: "Argon2id cost: interactive (64 MiB), moderate (256 MiB, default) or sensitive (1 GiB).")
    var strength: KeyDerivationStrength = .moderate

    func validate() throws {
        if passphrase && kek { throw ValidationError("choose one of --passphrase and --kek") }
    }

    /// The new secret, or `nil` for a plain keyring.
    func newSecret() throws -> KeyringSecret? {
        if passphrase {
            return try Terminal.newPassphrase(
                file: newPassphraseFile, flag: "--new-passphrase-file", variable: "INTERACTION_MONITOR_NEW_PASSPHRASE",
                what: "passphrase")
        }
        if kek {
            if let newKekFile { return try KeyringSecret.keyEncryptionKey(file: newKekFile) }
            if let text = InteractionMonitorCLIEnvironment.value("INTERACTION_MONITOR_NEW_KEK") {
                return try KeyringSecret.keyEncryptionKey(encoded: text)
            }
            throw InteractionMonitorError(
                .configuration, "no key-encryption key given: pass --new-kek-file or set INTERACTION_MONITOR_NEW_KEK")
        }
        return nil
    }
}

extension KeyDerivationStrength: ExpressibleByArgument {}

struct KeysInitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create a keyring (one data key, one hash key) in the keys directory.")

    @OptionGroup var store: StoreOptions
    @OptionGroup var sealing: SealingOptions

    func run() async throws {
        let dir = try store.resolvedKeysDirectory
        try await journaled(store, "keys init") {
            // A new keyring over data sealed under other keys would make all of it unreadable.
            let needed = try KeyUsage.sealingKeys(of: try store.store)
            guard needed.isEmpty else {
                throw InteractionMonitorError(
                    .configuration,
                    "\(store.storeDescription) holds data sealed under key(s) \(needed.sorted().map(\.description).joined(separator: ", ")), which a new keyring would not hold; point --keys-dir at the keyring that made them (or restore its backup with `keys import`) instead of creating a new one")
            }
            let tenant = try store.tenant
            let keyring = try Keyring.create(
                directory: dir, secret: try sealing.newSecret(), strength: sealing.strength, tenant: tenant)
            print("created keyring in \(dir)" + (tenant.isDefault ? "" : " for tenant \(tenant)"))
            print("  data key \(keyring.activeDataKeyID) (active)")
            print("  hash key \(keyring.activeHashKeyID) (active)")
            switch keyring.protection {
            case .permissions:
                print("The keyring is protected by file permissions only (0600 in a 0700 directory); `keys protect` seals it.")
            case .passphrase: print("The keyring is sealed by a passphrase (Argon2id, \(sealing.strength.rawValue)).")
            case .keyEncryptionKey: print("The keyring is sealed by a key-encryption key.")
            }
            print("Back it up (`keys export`): without it no data can be read.")
            return (
                (),
                [
                    "data_key": keyring.activeDataKeyID.description, "hash_key": keyring.activeHashKeyID.description,
                    "protection": keyring.protection.rawValue,
                ]
            )
        }
    }
}

struct KeysListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List keys: id, purpose, created, status, and what stored data uses each.")

    @OptionGroup var store: StoreOptions
    @Flag(help: "One JSON array of objects.") var json = false

    func run() async throws {
        let keyring = try store.loadKeyring()
        let usage = try KeyUsage.scan(store: try store.store, keyring: keyring)
        var rows: [JSONValue] = []
        if !json {
            print("purpose  id                status        created                      segments  use")
        }
        for e in keyring.entries {
            let segments = e.purpose == .data ? usage.segments[e.id] ?? 0 : 0
            let blobs = e.purpose == .data ? usage.blobs[e.id] ?? [] : []
            let days = e.purpose == .hash ? usage.hashKeyDays[e.id] ?? 0 : 0
            let optOuts = e.purpose == .hash ? usage.registryEntries[e.id] ?? 0 : 0
            if json {
                var o: [String: JSONValue] = [
                    "id": .string(e.id.description), "purpose": .string(e.purpose.rawValue),
                    "created": .string(e.created.iso8601), "status": .string(e.status.rawValue),
                    "segments": .int(Int64(segments)),
                ]
                if e.purpose == .data {
                    o["bytes"] = .int(usage.bytes[e.id] ?? 0)
                    o["blobs"] = .array(blobs.map { .string($0) })
                } else {
                    o["days"] = .int(Int64(days))
                    o["opt_out_entries"] = .int(Int64(optOuts))
                }
                rows.append(.object(o))
            } else {
                let use =
                    e.purpose == .data
                    ? (blobs.isEmpty ? "" : blobs.joined(separator: ", "))
                    : "\(days) day(s), \(optOuts) opt-out entr\(optOuts == 1 ? "y" : "ies")"
                let status = e.status.rawValue.padding(12)
                print("\(e.purpose.rawValue.padding(7))  \(e.id)  \(status)  \(e.created.iso8601)  \(String(segments).leftPadding(8))  \(use)")
            }
        }
        if json {
            print(JSONValue.array(rows).jsonText)
        } else {
            print("keyring protection: \(keyring.protection.rawValue)")
            if !usage.daysWithUnknownHashKeys.isEmpty {
                print("note: \(usage.daysWithUnknownHashKeys.count) day file(s) have unknown hash keys (written before manifest format 2)")
            }
            for p in usage.problems { print("note: \(p)") }
        }
    }
}

struct KeysRotateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate",
        abstract: "Make a new data key (or, with --hash-key, hash key) active; the old one becomes decrypt-only.",
        discussion: """
            Running monitors switch at their next flush tick (within one flush interval), without a restart. \
            Then run `reencrypt` to reseal older data and `keys retire` to erase the old data key. A new hash \
            key starts a new pseudonym epoch: the same user gets a different user_hash from now on.
            """)

    @OptionGroup var store: StoreOptions
    @Flag(help: "Rotate the hash key (pseudonym epoch) instead of the data key.") var hashKey = false

    func run() async throws {
        let purpose: KeyringEntry.Purpose = hashKey ? .hash : .data
        let dir = try store.resolvedKeysDirectory
        let secret = try store.secret(prompting: true)
        try await journaled(store, hashKey ? "keys rotate --hash-key" : "keys rotate") {
            let (new, previous) = try KeyringAdministration.rotate(directory: dir, secret: secret, purpose: purpose)
            print("\(purpose.rawValue) key \(new.id) is now active; \(previous.id) is decrypt-only")
            if purpose == .data {
                print("next: wait one flush interval, run `interaction-monitor reencrypt`, then `keys retire \(previous.id)`")
            } else {
                print("new pseudonym epoch: users get new user_hash values from now on; profiles and patterns split at this point")
            }
            return ((), ["purpose": purpose.rawValue, "new_key": new.id.description, "previous_key": previous.id.description])
        }
    }
}

struct KeysRetireCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retire",
        abstract: "Erase a decrypt-only key's bytes; refused while any segment, derived file or registry uses it.")

    @OptionGroup var store: StoreOptions
    @Argument(help: "The key id (16 hex digits).", transform: { text in
        guard let id = KeyID(text) else { throw ValidationError("'\(text)' is not a key id (16 hex digits)") }
        return id
    })
    var keyID: KeyID
    @Option(help: "A registered store (its id, from the keys directory's `stores` file) that cannot be checked from here and is known not to need the key; repeatable.")
    var allowUnreachable: [String] = []

    func run() async throws {
        let dir = try store.resolvedKeysDirectory
        let secret = try store.secret(prompting: true)
        try await journaled(store, "keys retire") {
            let entry = try KeyringAdministration.retire(
                directory: dir, secret: secret, keyID: keyID, store: try store.store,
                unreachable: Set(allowUnreachable))
            print("retired \(entry.purpose.rawValue) key \(entry.id): its bytes are erased from the keyring")
            return ((), ["key": keyID.description, "purpose": entry.purpose.rawValue])
        }
    }
}

struct KeysProtectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "protect",
        abstract: "Seal the keyring with a passphrase or key-encryption key, or (with neither) store it plain.",
        discussion: "The current secret comes from --passphrase-file/--kek-file, the environment or the terminal.")

    @OptionGroup var store: StoreOptions
    @OptionGroup var sealing: SealingOptions
    @Flag(help: "Store the keyring unsealed (format 1, permissions only).") var none = false

    func validate() throws {
        if none == (sealing.passphrase || sealing.kek) {
            throw ValidationError("choose exactly one of --passphrase, --kek and --none")
        }
    }

    func run() async throws {
        let dir = try store.resolvedKeysDirectory
        let secret = try store.secret(prompting: true)
        let newSecret = try sealing.newSecret()
        let mode = none ? "permissions" : sealing.passphrase ? "passphrase" : "kek"
        try await journaled(store, "keys protect") {
            try KeyringAdministration.protect(directory: dir, secret: secret, with: newSecret, strength: sealing.strength)
            print(none ? "keyring in \(dir) is now plain (file permissions only)" : "keyring in \(dir) is now sealed by a \(mode == "kek" ? "key-encryption key" : "passphrase")")
            return ((), ["protection": mode])
        }
    }
}

struct KeysPassphraseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "passphrase", abstract: "Change the keyring's passphrase (or seal a plain keyring with one).")

    @OptionGroup var store: StoreOptions
    @Option(help: "File whose first line is the new passphrase (else INTERACTION_MONITOR_NEW_PASSPHRASE or the terminal).")
    var newPassphraseFile: String?
    @Option(help: "Argon2id cost: interactive, moderate (default) or sensitive.")
    var strength: KeyDerivationStrength = .moderate

    func run() async throws {
        let dir = try store.resolvedKeysDirectory
        let secret = try store.secret(prompting: true)
        let newSecret = try Terminal.newPassphrase(
            file: newPassphraseFile, flag: "--new-passphrase-file", variable: "INTERACTION_MONITOR_NEW_PASSPHRASE",
            what: "passphrase")
        try await journaled(store, "keys passphrase") {
            try KeyringAdministration.protect(directory: dir, secret: secret, with: newSecret, strength: strength)
            print("passphrase changed for the keyring in \(dir)")
            return ((), ["strength": strength.rawValue])
        }
    }
}

struct KeysExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write a passphrase-sealed backup of the keyring to a new file.")

    @OptionGroup var store: StoreOptions
    @Option(help: "The backup file to create (must not exist).") var output: String
    @Option(help: "File whose first line is the backup passphrase (else INTERACTION_MONITOR_BACKUP_PASSPHRASE or the terminal).")
    var backupPassphraseFile: String?
    @Option(help: "Argon2id cost: interactive, moderate (default) or sensitive.")
    var strength: KeyDerivationStrength = .moderate

    func run() async throws {
        let dir = try store.resolvedKeysDirectory
        let secret = try store.secret(prompting: true)
        let passphrase = try Terminal.newPassphrase(
            file: backupPassphraseFile, flag: "--backup-passphrase-file", variable: "INTERACTION_MONITOR_BACKUP_PASSPHRASE",
            what: "backup passphrase")
        try await journaled(store, "keys export") {
            let keyring = try KeyringAdministration.export(
                directory: dir, secret: secret, to: output, passphrase: passphrase, strength: strength)
            print("exported \(keyring.entries.count) key(s) to \(output) (sealed by the backup passphrase, Argon2id \(strength.rawValue))")
            return ((), ["keys": String(keyring.entries.count), "output": output])
        }
    }
}

struct KeysImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Restore a backup: becomes the keyring when there is none, else adds its missing keys as decrypt-only.")

    @OptionGroup var store: StoreOptions
    @Argument(help: "The backup file made by `keys export`.") var file: String
    @Option(help: "File whose first line is the backup passphrase (else INTERACTION_MONITOR_BACKUP_PASSPHRASE or the terminal).")
    var backupPassphraseFile: String?

    func run() async throws {
        let dir = try store.resolvedKeysDirectory
        let secret = try store.secret(prompting: false)
        let passphrase: KeyringSecret
        if let backupPassphraseFile {
            passphrase = try KeyringSecret.passphrase(file: backupPassphraseFile)
        } else if let text = InteractionMonitorCLIEnvironment.value("INTERACTION_MONITOR_BACKUP_PASSPHRASE") {
            passphrase = try KeyringSecret.passphrase(text)
        } else if Terminal.isInteractive {
            passphrase = try KeyringSecret.passphrase(Terminal.readSecret(prompt: "Backup passphrase: "))
        } else {
            throw InteractionMonitorError(
                .configuration, "no backup passphrase given: pass --backup-passphrase-file or set INTERACTION_MONITOR_BACKUP_PASSPHRASE")
        }
        try await journaled(store, "keys import") {
            let (created, added) = try KeyringAdministration.importBackup(
                from: file, passphrase: passphrase, into: dir, secret: secret, tenant: try store.tenant)
            print(created ? "restored keyring in \(dir) from \(file) (\(added) key(s))" : "added \(added) key(s) from \(file) to the keyring in \(dir)")
            return ((), ["created": String(created), "keys_added": String(added)])
        }
    }
}

enum InteractionMonitorCLIEnvironment {
    static func value(_ name: String) -> String? {
        guard let p = getenv(name), p.pointee != 0 else { return nil }
        return String(cString: p)
    }
}

extension String {
    func padding(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
    func leftPadding(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
