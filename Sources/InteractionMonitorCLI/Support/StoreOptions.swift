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

    @Option(
        name: .customLong("tenant"),
        help: ArgumentHelp(
            "The app whose keys and data to use when several share the store (env INTERACTION_MONITOR_TENANT; default: the default tenant).",
            valueName: "name"),
        transform: { text in
            do { return try Tenant(text) } catch let error as InteractionMonitorError { throw ValidationError(error.message) }
        })
    var tenantOption: Tenant?

    /// `--tenant`, else `INTERACTION_MONITOR_TENANT`, else the default tenant.
    /// - Throws: `.configuration` (exit 2) when the environment names an invalid tenant.
    var tenant: Tenant {
        get throws { try tenantOption ?? Tenant.fromEnvironment() }
    }

    /// The shared data directory (`--data-dir`, the environment or the default), before the tenant is applied.
    var baseDataDirectory: String { dataDirectory ?? InteractionMonitor.Configuration.defaultDataDirectory() }
    /// The shared keys directory, before the tenant is applied.
    var baseKeysDirectory: String { keysDirectory ?? InteractionMonitor.Configuration.defaultKeysDirectory() }
    /// The tenant's keys directory (the keys directory itself for the default tenant).
    var resolvedKeysDirectory: String {
        get throws { try tenant.keysDirectory(in: baseKeysDirectory) }
    }

    /// A monitor configuration for the shared directories and the tenant (the monitor applies the tenant).
    var configuration: InteractionMonitor.Configuration {
        get throws {
            var c = InteractionMonitor.Configuration(dataDirectory: baseFileStoreDirectory, keysDirectory: baseKeysDirectory)
            c.tenant = try tenant
            c.keyringSecret = try secret(prompting: false)
            c.journalPath = journalPath ?? OperationsJournal.defaultPath()
            return c
        }
    }

    /// The operations journal; entries name the tenant when it is not the default one.
    var journal: OperationsJournal {
        get throws {
            OperationsJournal(path: journalPath ?? OperationsJournal.defaultPath(), tenant: try tenant, store: try storeLabel)
        }
    }

    private static let warned = Mutex(Set<String>())

    /// Prints `message` on stderr once per process.
    static func warnOnce(_ message: String) {
        guard warned.withLock({ $0.insert(message).inserted }) else { return }
        printError(message)
    }

    /// The store as journal entries name it (``StoreRegister/label(of:)``).
    var storeLabel: String {
        get throws { StoreRegister.label(of: try store) }
    }

    /// The keyring secret from the flags, then the environment; when neither gives one and `prompting` is set and
    /// standard input is a terminal, asks for a passphrase.
    func secret(prompting: Bool) throws -> KeyringSecret? {
        if let kekFile { return try KeyringSecret.keyEncryptionKey(file: kekFile) }
        if let passphraseFile { return try KeyringSecret.passphrase(file: passphraseFile) }
        if let s = try KeyringSecret.fromEnvironment() { return s }
        // Ask only for a keyring that is sealed: a plain one needs no passphrase.
        guard prompting, Terminal.isInteractive, Keyring.isSealed(directory: try resolvedKeysDirectory) else { return nil }
        return try KeyringSecret.passphrase(Terminal.readSecret(prompt: "Keyring passphrase: "))
    }

    /// `--store`, else `INTERACTION_MONITOR_STORE`; `nil` means the data directory.
    var resolvedStoreLocation: String? { storeLocation ?? Self.environment("INTERACTION_MONITOR_STORE") }

    /// Whether the store is a PostgreSQL database rather than a data directory.
    var isDatabaseStore: Bool { resolvedStoreLocation.map(StoreOptions.isDatabaseURL) ?? false }

    /// The shared directory of a file store (`--store DIR`, else `--data-dir`, else the default).
    var baseFileStoreDirectory: String {
        if let location = resolvedStoreLocation, !Self.isDatabaseURL(location) { return location }
        return baseDataDirectory
    }

    /// The tenant's directory of a file store (the shared directory itself for the default tenant).
    var fileStoreDirectory: String {
        get throws { try tenant.dataDirectory(in: baseFileStoreDirectory) }
    }

    /// The store every command reads and writes: the tenant's data directory, or its schema in a PostgreSQL
    /// database.
    var store: any SegmentStore {
        get throws {
            guard let location = resolvedStoreLocation else { return FileSegmentStore(directory: try fileStoreDirectory) }
            if let flag = storeLocation, Self.isDatabaseURL(flag), Self.redactedURL(flag) != flag {
                Self.warnOnce(
                    "note: a password in --store is visible to other users of this machine (`ps`); give it in PGPASSWORD, a ~/.pgpass file, or INTERACTION_MONITOR_STORE instead")
            }
            return try Self.store(at: location, tenant: try tenant)
        }
    }

    /// Where the store is, for messages (a PostgreSQL URL with its password hidden), with the tenant's part.
    var storeDescription: String {
        let tenant = (try? tenant) ?? .default
        guard let location = resolvedStoreLocation, Self.isDatabaseURL(location) else {
            return tenant.dataDirectory(in: baseFileStoreDirectory)
        }
        return (try? Self.databaseStore(location, tenant: tenant).location) ?? Self.redactedURL(location)
    }

    static func isDatabaseURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// `tenant`'s store at `location` (a directory or a URL), for commands that name two stores (`migrate`).
    static func store(at location: String, tenant: Tenant) throws -> any SegmentStore {
        if isDatabaseURL(location) { return try databaseStore(location, tenant: tenant) }
        if location.contains("://") {
            throw InteractionMonitorError(
                .configuration, "unsupported store \(redactedURL(location)): use a directory or postgres://…")
        }
        return FileSegmentStore(directory: tenant.dataDirectory(in: location))
    }

    #if IM_POSTGRES
    /// One store per URL and tenant for the process, so its connections and schema check are shared by every use.
    private static let databaseStores = Mutex<[String: PostgresSegmentStore]>([:])

    static func databaseStore(_ location: String, tenant: Tenant) throws -> PostgresSegmentStore {
        let cacheKey = tenant.name + " " + location
        if let s = databaseStores.withLock({ $0[cacheKey] }) { return s }
        let s = try PostgresSegmentStore(location, tenant: tenant)
        return databaseStores.withLock { stores in
            if let existing = stores[cacheKey] { return existing }
            stores[cacheKey] = s
            return s
        }
    }

    static func redactedURL(_ location: String) -> String { PostgresStoreURL.redact(location) }
    #else
    static func databaseStore(_ location: String, tenant: Tenant) throws -> any SegmentStore {
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
        let tenant = try configuration.resolvedTenant()
        let keyring = try Keyring.loadOrCreate(
            directory: tenant.keysDirectory(in: configuration.keysDirectory), secret: secret, tenant: tenant)
        return try InteractionMonitor(configuration: configuration, store: try store, keyring: keyring)
    }

    /// The existing keyring (reading never creates one). A sealed keyring is opened with the secret from the flags
    /// or the environment, or a passphrase typed on the terminal. A plain keyring gets a one-time notice that only
    /// file permissions protect it.
    func loadKeyring() throws -> Keyring {
        let dir = try resolvedKeysDirectory
        let tenant = try tenant
        do {
            let keyring = try Keyring.load(directory: dir, secret: try secret(prompting: false)).checking(tenant: tenant)
            if keyring.protection == .permissions { PlainKeyringNotice.showOnce(keysDirectory: dir) }
            return keyring
        } catch let error as InteractionMonitorError where error.code == .keyringLocked && Terminal.isInteractive {
            guard try secret(prompting: false) == nil else { throw error }
            return try Keyring.load(directory: dir, secret: try secret(prompting: true)).checking(tenant: tenant)
        } catch let error as InteractionMonitorError where error.code == .keyringNotFound && (try? store).map({ s in
            !((try? KeyUsage.sealingKeys(of: s)) ?? []).isEmpty
        }) == true {
            // Data exists: creating a keyring would not read it. Name the keys it needs instead.
            let needed = (try? KeyUsage.sealingKeys(of: try store)) ?? []
            throw InteractionMonitorError(
                .keyringNotFound,
                "no keyring in \(dir); \(storeDescription) holds data sealed under key(s) \(needed.sorted().map(\.description).joined(separator: ", ")): point --keys-dir (or INTERACTION_MONITOR_KEYS_DIR) at the keyring that holds them, or restore its backup with `keys import`")
        } catch let error as InteractionMonitorError where error.code == .keyringNotFound && !tenant.isDefault {
            throw InteractionMonitorError(
                .keyringNotFound,
                "no keyring for tenant \(tenant) in \(dir); create one with `interaction-monitor keys init --tenant \(tenant)` (or record into the tenant first)")
        }
    }

    /// A reader over the store. `mustExist` (every reading command but those that follow a store as it is
    /// written, `watch` and `serve`) refuses a data directory that does not exist — after the keyring is loaded, so a
    /// missing keyring is still the first thing said.
    func reader(mustExist: Bool = true) throws -> DecryptingReader {
        try checkDataDirectory()
        let keyring = try loadKeyring()
        if mustExist { try checkDataDirectory(mustExist: true) }
        var reader = DecryptingReader(store: try store, keyring: keyring)
        if mustExist, Terminal.stderrIsTerminal {
            // Reading commands over a large store show progress on a terminal (a line on stderr, cleared at the end).
            let bar = TerminalProgress(CommandLine.arguments.dropFirst().first ?? "read")
            reader.progress = { p in
                bar.update(records: p.records, done: p.bytesDone, total: p.bytesTotal)
                if p.bytesTotal > 0, p.bytesDone >= p.bytesTotal { bar.finish() }
            }
        }
        return reader
    }

    /// A data directory that exists but is not a directory is a configuration error (exit 2); so is, for the
    /// commands that only read (`mustExist`), one that does not exist — a mistyped `--data-dir` must not print zeros.
    func checkDataDirectory(mustExist: Bool = false) throws {
        guard !isDatabaseStore else { return }
        let dir = try fileStoreDirectory
        if !InteractionMonitorCLIFileCheck.isDirectoryOrMissing(dir) {
            throw InteractionMonitorError(.storage, "data directory \(dir) is not a directory")
        }
        if mustExist, access(dir, F_OK) != 0 {
            throw InteractionMonitorError(
                .configuration,
                "no data directory \(dir) (check --data-dir or INTERACTION_MONITOR_DATA_DIR; `ingest` or a monitor creates it)")
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
