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

    var resolvedDataDirectory: String { dataDirectory ?? InteractionMonitor.Configuration.defaultDataDirectory() }
    var resolvedKeysDirectory: String { keysDirectory ?? InteractionMonitor.Configuration.defaultKeysDirectory() }

    var configuration: InteractionMonitor.Configuration {
        InteractionMonitor.Configuration(dataDirectory: resolvedDataDirectory, keysDirectory: resolvedKeysDirectory)
    }

    var store: FileSegmentStore { FileSegmentStore(directory: resolvedDataDirectory) }

    /// The existing keyring (reading never creates one).
    func loadKeyring() throws -> Keyring { try Keyring.load(directory: resolvedKeysDirectory) }

    func reader() throws -> DecryptingReader {
        let dir = resolvedDataDirectory
        if !InteractionMonitorCLIFileCheck.isDirectoryOrMissing(dir) {
            throw InteractionMonitorError(.storage, "data directory \(dir) is not a directory")
        }
        return DecryptingReader(store: store, keyring: try loadKeyring())
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
