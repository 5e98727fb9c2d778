import ArgumentParser
import InteractionMonitor

/// `--data-dir` / `--keys-dir`, shared by every command, defaulting to the environment and then the built-in paths.
struct StoreOptions: ParsableArguments {
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
            var c = InteractionMonitor.Configuration(dataDirectory: resolvedDataDirectory, keysDirectory: resolvedKeysDirectory)
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

    var store: FileSegmentStore { FileSegmentStore(directory: resolvedDataDirectory) }

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
        return DecryptingReader(store: store, keyring: try loadKeyring())
    }

    /// A data directory that exists but is not a directory is a configuration error (exit 2).
    func checkDataDirectory() throws {
        let dir = resolvedDataDirectory
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
