public import CoreMetrics
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
        /// Which tenant's keyring and files the monitor uses when several apps share the data and keys directories
        /// (see ``Tenant``): a named tenant stores in `tenants/NAME/` under both. `nil` takes
        /// `INTERACTION_MONITOR_TENANT`, else the default tenant (the directories themselves).
        /// - Default value: `nil`.
        /// - Environment variable: `INTERACTION_MONITOR_TENANT`.
        public var tenant: Tenant? = nil
        /// Records held in memory at most; when full (or ``maxBufferBytes`` is reached), new records are dropped
        /// and counted as ``DropReason/bufferFull``. Sized so that a server at 30,000 requests/s keeps seconds of
        /// traffic while a flush is slow (a busy disk, the other core busy) instead of dropping it.
        /// - Default value: 100,000.
        public var maxBufferSize: Int = 100_000
        /// Bytes the buffered records may hold at most (their strings and metadata, estimated as recorded).
        /// - Default value: 64 MiB.
        public var maxBufferBytes: Int = 64 << 20
        /// Records per sealed segment, and the buffer level that triggers an early flush.
        /// - Default value: 100.
        public var batchSize: Int = 100
        /// How often the background task flushes.
        /// - Default value: 60 seconds.
        public var flushInterval: Duration = .seconds(60)
        /// The least time between two flushes that full batches trigger: under load, one flush then takes
        /// everything buffered meanwhile (group commit), so a busy server pays for a day-file sync and a manifest
        /// update a few times a second rather than once per batch. A buffer a quarter full (by records or bytes)
        /// is flushed at once; ``InteractionMonitor/flush()``, the interval and `stop()` never wait.
        /// - Default value: 250 milliseconds.
        public var minimumFlushSpacing: Duration = .milliseconds(250)
        /// Where the monitor logs flush failures and drops. Default: a logger that discards everything
        /// (libraries do not bootstrap logging; pass your own).
        public var logger: Logger = Logger(label: "InteractionMonitor", factory: { _ in SwiftLogNoOpLogHandler() })
        /// Whether recording is on. Also off when the environment sets `DO_NOT_TRACK=1` (the consoledonottrack
        /// convention) or `INTERACTION_MONITOR_DISABLED=1`. Disabled means nothing is written at all.
        /// - Default value: `true`.
        public var isEnabled: Bool = true
        /// Days of data to keep; older interactions are deleted at ``InteractionMonitor/start()``, once a day while
        /// running, and by `interaction-monitor cleanup`. `nil` keeps everything.
        /// - Default value: 90.
        public var retentionDays: Int? = 90
        /// The operations journal automatic retention appends to when it removes data (`nil`: not journaled; the
        /// removals are still logged and kept as tombstones in the sealed manifest). The command-line tool sets it.
        public var journalPath: String? = nil
        /// Whether session ids are pseudonymised like user ids.
        /// - Default value: ``SessionIDPolicy/automatic`` (only values that look like tokens).
        public var sessionIDPolicy: SessionIDPolicy = .automatic
        /// What the PII scrubber adds to its built-in rules: extra patterns, allowed and sensitive metadata keys.
        public var scrubbing = ScrubberConfiguration()
        /// A scrubber configuration file (JSON or line format, see ``ScrubberConfiguration/init(contentsOf:)``)
        /// whose patterns and keys are added to ``scrubbing`` when the monitor is created.
        /// - Environment variable: `INTERACTION_MONITOR_SCRUB_CONFIG`.
        public var scrubbingConfigurationFile: String? = Configuration.environment("INTERACTION_MONITOR_SCRUB_CONFIG")
        /// What opens a sealed keyring (a passphrase or key-encryption key). `nil`: take it from the environment
        /// (``KeyringSecret/fromEnvironment(_:)``) when the keyring is sealed.
        public var keyringSecret: KeyringSecret? = nil
        /// Dimensions added to every metric the monitor reports (e.g. `[("app", "billing")]`).
        public var metricsDimensions: [(String, String)] = []
        /// The swift-metrics factory to report to; `nil` uses the bootstrapped `MetricsSystem`.
        public var metricsFactory: (any MetricsFactory)? = nil
        /// A live analyzer (``FlushObserver``, such as the analytics library's `LiveAnalyzer`) fed by the flush
        /// task with every stored (pseudonymised, scrubbed) batch and the drop counters at every tick — never on the
        /// recording path. `nil` (the default) feeds nothing.
        public var liveAnalyzer: (any FlushObserver)? = nil
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
        package static func defaultDataDirectory() -> String {
            environment("INTERACTION_MONITOR_DATA_DIR") ?? home + "/vy_data/interactions"
        }

        /// `INTERACTION_MONITOR_KEYS_DIR`, else `$XDG_CONFIG_HOME/interaction-monitor/keys`, else
        /// `~/.config/interaction-monitor/keys`.
        package static func defaultKeysDirectory() -> String {
            if let dir = environment("INTERACTION_MONITOR_KEYS_DIR") { return dir }
            let config = environment("XDG_CONFIG_HOME") ?? home + "/.config"
            return config + "/interaction-monitor/keys"
        }

        /// ``tenant``, else `INTERACTION_MONITOR_TENANT`, else the default tenant.
        /// - Throws: `.configuration` when the environment names an invalid tenant.
        package func resolvedTenant() throws -> Tenant { try tenant ?? Tenant.fromEnvironment() }

        /// Whether the switch and the environment allow recording.
        public var isRecordingEnabled: Bool { isEnabled && !Self.disabledByEnvironment() }

        /// `DO_NOT_TRACK` or `INTERACTION_MONITOR_DISABLED` set to `1`, `true` or `yes`.
        public static func disabledByEnvironment() -> Bool {
            for name in ["DO_NOT_TRACK", "INTERACTION_MONITOR_DISABLED"] {
                if let v = environment(name)?.lowercased(), ["1", "true", "yes"].contains(v) { return true }
            }
            return false
        }

        func validated() throws -> Configuration {
            var result = self
            if let file = scrubbingConfigurationFile {
                do {
                    let extra = try ScrubberConfiguration(contentsOf: file)
                    result.scrubbing.extraPatterns += extra.extraPatterns
                    result.scrubbing.allowedMetadataKeys.formUnion(extra.allowedMetadataKeys)
                    result.scrubbing.sensitiveKeys.formUnion(extra.sensitiveKeys)
                    result.scrubbing.declaredMetadataKeys.formUnion(extra.declaredMetadataKeys)
                    result.scrubbing.strictFields = result.scrubbing.strictFields || extra.strictFields
                    result.scrubbingConfigurationFile = nil
                } catch {
                    throw InteractionMonitorError(.configuration, "scrubber configuration: \(error.message)")
                }
            }
            if let days = retentionDays, days < 1 {
                throw InteractionMonitorError(.configuration, "retentionDays must be at least 1 (got \(days))")
            }
            guard maxBufferBytes >= 64 << 10 else {
                throw InteractionMonitorError(.configuration, "maxBufferBytes must be at least 65536 (got \(maxBufferBytes))")
            }
            guard maxBufferSize >= 1 else {
                throw InteractionMonitorError(.configuration, "maxBufferSize must be at least 1 (got \(maxBufferSize))")
            }
            guard batchSize >= 1 else {
                throw InteractionMonitorError(.configuration, "batchSize must be at least 1 (got \(batchSize))")
            }
            guard minimumFlushSpacing >= .zero, minimumFlushSpacing <= .seconds(60) else {
                throw InteractionMonitorError(.configuration, "minimumFlushSpacing must be 0 to 60 seconds")
            }
            guard flushInterval > .zero else {
                throw InteractionMonitorError(.configuration, "flushInterval must be positive")
            }
            return result
        }
    }
}
