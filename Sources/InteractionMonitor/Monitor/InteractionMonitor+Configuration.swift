public import Logging

#if canImport(Glibc)
import Glibc
#endif

extension InteractionMonitor {
    /// How a monitor records and where it stores.
    public struct Configuration: Sendable {
        /// Where day files are written.
        /// - Default value: `~/vy_data/interactions`.
        /// - Environment variable: `INTERACTION_MONITOR_DATA_DIR`.
        public var dataDirectory: String
        /// Where the keyring lives (created on first use when missing).
        /// - Default value: `$XDG_CONFIG_HOME/interaction-monitor/keys`, else `~/.config/interaction-monitor/keys`.
        /// - Environment variable: `INTERACTION_MONITOR_KEYS_DIR`.
        public var keysDirectory: String
        /// Records held in memory at most; when full, new records are dropped and counted.
        /// - Default value: 1000.
        public var maxBufferSize: Int = 1000
        /// Records per sealed segment, and the buffer level that triggers an early flush.
        /// - Default value: 100.
        public var batchSize: Int = 100
        /// How often the background task flushes.
        /// - Default value: 60 seconds.
        public var flushInterval: Duration = .seconds(60)
        /// Where the monitor logs flush failures and drops. Default: a logger that discards everything
        /// (libraries do not bootstrap logging; pass your own).
        public var logger: Logger = Logger(label: "InteractionMonitor", factory: { _ in SwiftLogNoOpLogHandler() })
        /// The wall clock used for timestamps. Replace it in tests (the test kit's `TestClock`).
        public var now: @Sendable () -> Timestamp = { Timestamp.now() }

        /// A configuration with defaults, taking the directories from the environment when set.
        public init(dataDirectory: String? = nil, keysDirectory: String? = nil) {
            self.dataDirectory = dataDirectory ?? Self.defaultDataDirectory()
            self.keysDirectory = keysDirectory ?? Self.defaultKeysDirectory()
        }

        static func environment(_ name: String) -> String? {
            guard let v = getenv(name) else { return nil }
            let s = String(cString: v)
            return s.isEmpty ? nil : s
        }

        static var home: String { environment("HOME") ?? "/tmp" }

        /// `INTERACTION_MONITOR_DATA_DIR`, else `~/vy_data/interactions`.
        public static func defaultDataDirectory() -> String {
            environment("INTERACTION_MONITOR_DATA_DIR") ?? home + "/vy_data/interactions"
        }

        /// `INTERACTION_MONITOR_KEYS_DIR`, else `$XDG_CONFIG_HOME/interaction-monitor/keys`, else
        /// `~/.config/interaction-monitor/keys`.
        public static func defaultKeysDirectory() -> String {
            if let dir = environment("INTERACTION_MONITOR_KEYS_DIR") { return dir }
            let config = environment("XDG_CONFIG_HOME") ?? home + "/.config"
            return config + "/interaction-monitor/keys"
        }

        func validated() throws -> Configuration {
            guard maxBufferSize >= 1 else {
                throw InteractionMonitorError(.configuration, "maxBufferSize must be at least 1 (got \(maxBufferSize))")
            }
            guard batchSize >= 1 else {
                throw InteractionMonitorError(.configuration, "batchSize must be at least 1 (got \(batchSize))")
            }
            guard flushInterval > .zero else {
                throw InteractionMonitorError(.configuration, "flushInterval must be positive")
            }
            return self
        }
    }
}
