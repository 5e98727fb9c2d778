import ArgumentParser
import InteractionMonitor
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

#if IM_POSTGRES
import InteractionMonitorPostgres
#endif

/// `--store` / `--data-dir` / `--keys-dir`, shared by every command, defaulting to the environment and then the
/// built-in paths.
struct StoreOptions: ParsableArguments {
    @Option(
        name: .customLong("store"),
        help: ArgumentHelp(
            "Where segments live: a data directory, or postgres://user[:password]@host[:port]/database[?schema=…] (env INTERACTION_MONITOR_STORE; default --data-dir).",
            valueName: "dir-or-url"))
    var storeLocation: String?

    @Option(
        name: .customLong("data-dir"),
        help: "Data directory (env INTERACTION_MONITOR_DATA_DIR; default ~/vy_data/interactions).")
    var dataDirectory: String?

    @Option(
        name: .customLong("keys-dir"),
        help: "Keys directory (env INTERACTION_MONITOR_KEYS_DIR; default ~/.config/interaction-monitor/keys).")
    var keysDirectory: String?

    @Option(
        name: .customLong("passphrase-file"),
        help: "File whose first line is the keyring passphrase (env INTERACTION_MONITOR_PASSPHRASE[_FILE]).")
    var passphraseFile: String?

    @Option(
        name: .customLong("kek-file"),
        help: "File holding the keyring's key-encryption key (env INTERACTION_MONITOR_KEK[_FILE]).")
    var kekFile: String?

    @Option(
        name: .customLong("journal"),
        help: "Operations journal (env INTERACTION_MONITOR_JOURNAL; default ~/research_logs/system_journal.md).")
    var journalPath: String?

    var resolvedDataDirectory: String { dataDirectory ?? InteractionMonitor.Configuration.defaultDataDirectory() }
    var resolvedKeysDirectory: String { keysDirectory ?? InteractionMonitor.Configuration.defaultKeysDirectory() }

    var configuration: InteractionMonitor.Configuration {
        get throws {
            var c = InteractionMonitor.Configuration(dataDirectory: fileStoreDirectory, keysDirectory: resolvedKeysDirectory)
            c.keyringSecret = try secret(prompting: false)
            return c
        }
    }

    var journal: OperationsJournal { OperationsJournal(path: journalPath ?? OperationsJournal.defaultPath()) }

    /// The keyring secret from the flags, then the environment; when neither gives one and `prompting` is set and
    /// standard input is a terminal, asks for a passphrase.
    func secret(prompting: Bool) throws -> KeyringSecret? {
        if let kekFile { return try KeyringSecret.keyEncryptionKey(file: kekFile) }
        if let passphraseFile { return try KeyringSecret.passphrase(file: passphraseFile) }
        if let s = try KeyringSecret.fromEnvironment() { return s }
        guard prompting, Terminal.isInteractive else { return nil }
        return try KeyringSecret.passphrase(Terminal.readSecret(prompt: "Keyring passphrase: "))
    }

    /// `--store`, else `INTERACTION_MONITOR_STORE`; `nil` means the data directory.
    var resolvedStoreLocation: String? { storeLocation ?? Self.environment("INTERACTION_MONITOR_STORE") }

    /// Whether the store is a PostgreSQL database rather than a data directory.
    var isDatabaseStore: Bool { resolvedStoreLocation.map(StoreOptions.isDatabaseURL) ?? false }

    /// The directory of a file store (`--store DIR`, else `--data-dir`, else the default).
    var fileStoreDirectory: String {
        if let location = resolvedStoreLocation, !Self.isDatabaseURL(location) { return location }
        return resolvedDataDirectory
    }

    /// The store every command reads and writes: a data directory or a PostgreSQL database.
    var store: any SegmentStore {
        get throws {
            guard let location = resolvedStoreLocation else { return FileSegmentStore(directory: fileStoreDirectory) }
            return try Self.store(at: location)
        }
    }

    /// Where the store is, for messages (a PostgreSQL URL with its password hidden).
    var storeDescription: String {
        guard let location = resolvedStoreLocation, Self.isDatabaseURL(location) else { return fileStoreDirectory }
        return (try? Self.databaseStore(location).location) ?? Self.redactedURL(location)
    }

    static func isDatabaseURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// A store for `location` (a directory or a URL), for commands that name two stores (`migrate`).
    static func store(at location: String) throws -> any SegmentStore {
        if isDatabaseURL(location) { return try databaseStore(location) }
        if location.contains("://") {
            throw InteractionMonitorError(
                .configuration, "unsupported store \(redactedURL(location)): use a directory or postgres://…")
        }
        return FileSegmentStore(directory: location)
    }

    #if IM_POSTGRES
    /// One store per URL for the process, so its connections and schema check are shared by every use.
    private static let databaseStores = Mutex<[String: PostgresSegmentStore]>([:])

    static func databaseStore(_ location: String) throws -> PostgresSegmentStore {
        if let s = databaseStores.withLock({ $0[location] }) { return s }
        let s = try PostgresSegmentStore(location)
        return databaseStores.withLock { stores in
            if let existing = stores[location] { return existing }
            stores[location] = s
            return s
        }
    }

    static func redactedURL(_ location: String) -> String { PostgresStoreURL.redact(location) }
    #else
    static func databaseStore(_ location: String) throws -> any SegmentStore {
        throw InteractionMonitorError(
            .configuration, "this interaction-monitor was built without PostgreSQL support (IM_NO_POSTGRES=1)")
    }

    static func redactedURL(_ location: String) -> String { location.contains("@") ? "postgres://***" : location }
    #endif

    static func environment(_ name: String) -> String? {
        guard let v = getenv(name) else { return nil }
        let s = String(cString: v)
        return s.isEmpty ? nil : s
    }

    /// A monitor writing to ``store`` with the keyring in the keys directory (created when missing).
    func makeMonitor(_ configuration: InteractionMonitor.Configuration) throws -> InteractionMonitor {
        guard isDatabaseStore else { return try InteractionMonitor(configuration: configuration) }
        let secret = try configuration.keyringSecret ?? KeyringSecret.fromEnvironment()
        let keyring = try Keyring.loadOrCreate(directory: configuration.keysDirectory, secret: secret)
        return try InteractionMonitor(configuration: configuration, store: try store, keyring: keyring)
    }

    /// The existing keyring (reading never creates one). A sealed keyring is opened with the secret from the flags
    /// or the environment, or a passphrase typed on the terminal. A plain keyring gets a one-time notice that only
    /// file permissions protect it.
    func loadKeyring() throws -> Keyring {
        let dir = resolvedKeysDirectory
        do {
            let keyring = try Keyring.load(directory: dir, secret: try secret(prompting: false))
            if keyring.protection == .permissions { PlainKeyringNotice.showOnce(keysDirectory: dir) }
            return keyring
        } catch let error as InteractionMonitorError where error.code == .keyringLocked && Terminal.isInteractive {
            guard try secret(prompting: false) == nil else { throw error }
            return try Keyring.load(directory: dir, secret: try secret(prompting: true))
        }
    }

    func reader() throws -> DecryptingReader {
        try checkDataDirectory()
        return DecryptingReader(store: try store, keyring: try loadKeyring())
    }

    /// A data directory that exists but is not a directory is a configuration error (exit 2).
    func checkDataDirectory() throws {
        guard !isDatabaseStore else { return }
        let dir = fileStoreDirectory
        if !InteractionMonitorCLIFileCheck.isDirectoryOrMissing(dir) {
            throw InteractionMonitorError(.storage, "data directory \(dir) is not a directory")
        }
    }
}

/// `--from` / `--to` day bounds.
struct DayRangeOptions: ParsableArguments {
    @Option(help: "First day to include (YYYY-MM-DD, UTC).", transform: DayRangeOptions.parseDay)
    var from: Day?

    @Option(help: "Last day to include (YYYY-MM-DD, UTC).", transform: DayRangeOptions.parseDay)
    var to: Day?

    static func parseDay(_ text: String) throws -> Day {
        guard let day = Day(text) else { throw ValidationError("'\(text)' is not a date in YYYY-MM-DD form") }
        return day
    }

    func validate() throws {
        if let from, let to, from > to { throw ValidationError("--from \(from) is after --to \(to)") }
    }
}
