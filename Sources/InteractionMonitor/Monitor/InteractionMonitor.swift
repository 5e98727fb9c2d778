import Foundation
import Logging
import Synchronization

/// Records interactions of an app — CLI commands, API requests — as pseudonymised, sealed telemetry.
///
/// `record(…)` is synchronous and cheap: it bounds the values' sizes and appends them to a bounded in-memory
/// buffer under one short lock. It never touches the disk and never waits for a flush. A background task
/// (``start()``) pseudonymises user and session ids, applies opt-outs, scrubs PII and seals the buffered records
/// into segments every ``Configuration/flushInterval``, when batches fill (group commit, at most every
/// ``Configuration/minimumFlushSpacing``), on ``flush()`` and on ``stop()``
/// — so raw ids and raw text exist only in this process's memory, never on disk.
///
/// ```swift
/// let monitor = try InteractionMonitor(configuration: .init())
/// monitor.start()
/// monitor.record(.cliCommand, command: "deploy", status: .success, durationMs: 1250, userID: "alice",
///                metadata: ["expert": "ops"])
/// await monitor.stop()
/// ```
///
/// - Important: When the store fails (disk full, directory removed) records stay buffered and are retried;
///   once the buffer is full, new records are dropped and counted in ``statistics()``. The app never crashes,
///   memory never grows past ``Configuration/maxBufferSize`` records, and the monitor recovers by itself.
public final class InteractionMonitor: Sendable {
    /// The configuration the monitor was created with.
    public let configuration: Configuration
    /// The store segments are written to.
    public let store: any SegmentStore
    /// The keyring used for sealing and pseudonymising now. A monitor whose keyring came from a keys directory
    /// reloads it at every flush tick when the file changed (`keys rotate` in another process), so new keys apply
    /// within one flush interval without a restart.
    public var keyring: Keyring { keys.withLock { $0.keyring } }

    /// Scrubs every free-text field before it is stored.
    public let scrubber: PIIScrubber
    /// Pseudonymising, opt-out and scrubbing: what the flush does to buffered records before they are encoded.
    let transform: PrivacyTransform
    /// Whether recording is disabled (configuration switch, `DO_NOT_TRACK=1`, `INTERACTION_MONITOR_DISABLED=1`).
    public let isDisabled: Bool
    let keys: Locked<KeyState>
    let keyringSecret: KeyringSecret?
    let state: Locked<State>
    let flusher: Flusher
    let types = InteractionTypeTable()
    /// Benchmark only (`interaction-monitor bench`): write plain JSONL instead of sealed segments, to show what
    /// encryption costs. Not reachable from ``Configuration``; package access only.
    package let benchmarkPlaintext: Bool
    /// This monitor's writer id in idempotent stores (``WriteOrigin``): random per instance.
    let writerID: WriteOrigin.WriterID
    /// Held while a flush writes, so the exit path (``flushBeforeExit(timeout:)``) can wait for it with a bound.
    let flushGate = Locked<Void>(())

    /// The keys in use now.
    var currentKeys: KeyState { keys.withLock { $0 } }

    /// The keys in use, replaced as a whole when the keyring changes.
    final class KeyState: Sendable {
        let keyring: Keyring
        let pseudonymiser: Pseudonymiser
        /// Pseudonymisers for every hash key held (opt-out entries may use older epochs).
        let pseudonymisers: [KeyID: Pseudonymiser]
        let stamp: [Int64]?

        init(keyring: Keyring) {
            self.keyring = keyring
            self.pseudonymiser = Pseudonymiser(key: keyring.activeHashKey)
            var all: [KeyID: Pseudonymiser] = [keyring.activeHashKeyID: pseudonymiser]
            for (id, key) in keyring.usableHashKeys where all[id] == nil { all[id] = Pseudonymiser(key: key) }
            self.pseudonymisers = all
            self.stamp = keyring.directory.flatMap { Keyring.fileStamp(directory: $0) }
        }
    }

    struct State {
        var buffer = RecordBuffer()
        var statistics = MonitorStatistics()
        var signal: AsyncStream<Void>.Continuation?
        var task: Task<Void, Never>?
        /// Set by ``InteractionMonitor/stop()`` until the next ``InteractionMonitor/start()``: records are then
        /// counted as dropped (``DropReason/stopped``), not buffered where no flush would come for them.
        var stopped = false
        var retryAfter: Timestamp?
        var failureStreak = 0
        var optOuts = OptOutRegistry()
        /// The registry's bytes when last checked (`.some(nil)`: checked and absent; `nil`: never checked).
        var optOutBytes: [UInt8]??
        var lastRetention: Timestamp?
        /// The counters as last reported to swift-metrics.
        var reported = MonitorStatistics()
        /// Sequence number of the first buffered record in this monitor's stream (records flushed so far), so a
        /// retried flush can tell an idempotent store which records it already holds (``WriteOrigin``).
        var firstBufferedSequence: UInt64 = 0
    }

    /// Creates a monitor storing in ``Configuration/dataDirectory`` with the keyring in
    /// ``Configuration/keysDirectory`` (created, mode 0700, when missing) — or in their `tenants/NAME/`
    /// subdirectories for a named ``Configuration/tenant``.
    /// - Throws: ``InteractionMonitorError`` for an invalid configuration or an unusable keyring.
    ///
    /// When recording is disabled (``Configuration/isEnabled`` false, `DO_NOT_TRACK=1` or
    /// `INTERACTION_MONITOR_DISABLED=1`), nothing is created or written: no keyring, no directory, no file;
    /// every record is dropped and counted as ``DropReason/disabled``.
    public convenience init(configuration: Configuration = Configuration()) throws {
        var configuration = try configuration.validated()
        let tenant = try configuration.resolvedTenant()
        configuration.tenant = tenant
        let store = FileSegmentStore(directory: tenant.dataDirectory(in: configuration.dataDirectory))
        if !configuration.isRecordingEnabled {
            try self.init(configuration: configuration, store: store, keyring: try Keyring.generate(tenant: tenant))
            return
        }
        let secret = try configuration.keyringSecret ?? KeyringSecret.fromEnvironment()
        let keysDirectory = tenant.keysDirectory(in: configuration.keysDirectory)
        if !POSIX.existsNoFollow(keysDirectory + "/" + Keyring.fileName) {
            // A keyring made now could not read data already sealed in the data directory: refuse, naming the keys.
            let needed = (try? KeyUsage.sealingKeys(of: store)) ?? []
            guard needed.isEmpty else {
                throw InteractionMonitorError(
                    .keyringNotFound,
                    "no keyring in \(keysDirectory), and \(store.directory) holds data sealed under key(s) \(needed.sorted().map(\.description).joined(separator: ", ")): point keysDirectory (or INTERACTION_MONITOR_KEYS_DIR) at the keyring that holds them, or restore its backup")
            }
        }
        let keyring = try Keyring.loadOrCreate(directory: keysDirectory, secret: secret, tenant: tenant)
        try self.init(configuration: configuration, store: store, keyring: keyring, secret: secret)
        try? refreshOptOuts()
    }

    /// Creates a monitor with an explicit store and keyring (other backends, the test kit).
    ///
    /// A keyring loaded from a keys directory is reloaded when its file changes (using
    /// ``Configuration/keyringSecret`` or the environment for a sealed one); an in-memory keyring never changes.
    /// The keyring's tenant is the monitor's; a ``Configuration/tenant`` set to another one is refused.
    public convenience init(configuration: Configuration, store: any SegmentStore, keyring: Keyring) throws {
        if let tenant = configuration.tenant { _ = try keyring.checking(tenant: tenant) }
        let secret = keyring.directory == nil ? nil : try configuration.keyringSecret ?? KeyringSecret.fromEnvironment()
        try self.init(configuration: configuration, store: store, keyring: keyring, secret: secret)
    }

    init(
        configuration: Configuration, store: any SegmentStore, keyring: Keyring, secret: KeyringSecret?,
        benchmarkPlaintext: Bool = false
    ) throws {
        self.benchmarkPlaintext = benchmarkPlaintext
        self.configuration = try configuration.validated()
        self.store = store
        self.keys = Locked(KeyState(keyring: keyring))
        self.keyringSecret = secret
        self.scrubber = PIIScrubber(configuration: self.configuration.scrubbing)
        self.transform = PrivacyTransform(scrubber: scrubber, sessionIDPolicy: self.configuration.sessionIDPolicy)
        self.isDisabled = !configuration.isRecordingEnabled
        self.state = Locked(State())
        self.flusher = Flusher()
        self.writerID = try WriteOrigin.WriterID.random()
    }

    deinit {
        state.withLock { s in
            s.task?.cancel()
            s.signal?.finish()
        }
    }

    /// A monitor for `interaction-monitor bench` whose flushes write plain JSONL (unreadable by the reader) —
    /// never use it for real data.
    package static func benchmarkMonitor(
        configuration: Configuration, store: any SegmentStore, keyring: Keyring, plaintext: Bool
    ) throws -> InteractionMonitor {
        try InteractionMonitor(configuration: configuration, store: store, keyring: keyring, secret: nil, benchmarkPlaintext: plaintext)
    }

    // MARK: Recording

    /// Records one interaction and returns its timestamp.
    ///
    /// - Parameters:
    ///   - type: What kind of interaction (``InteractionType/cliCommand``, ``InteractionType/apiRequest`` or your own).
    ///   - command: The command or route pattern.
    ///   - status: The outcome.
    ///   - durationMs: How long it took in milliseconds.
    ///   - userID: The raw user id; only its keyed hash is kept.
    ///   - sessionID: A session id.
    ///   - errorMessage: The error message, if any.
    ///   - metadata: Extra JSON values.
    ///   - timestamp: When it happened; defaults to now (lets apps back-fill).
    /// - Returns: The timestamp stored with the record.
    @discardableResult
    public func record(
        _ type: InteractionType,
        command: String,
        status: InteractionStatus,
        durationMs: Double,
        userID: String? = nil,
        sessionID: String? = nil,
        errorMessage: String? = nil,
        metadata: [String: JSONValue] = [:],
        timestamp: Timestamp? = nil
    ) -> Timestamp {
        let ts = timestamp ?? configuration.now()
        if isDisabled {
            state.withLock { $0.statistics.dropped[.disabled, default: 0] += 1 }
            return ts
        }
        if let given = timestamp {
            // Back-filled timestamps: one no day file can hold, or one retention would delete, is never stored.
            let reason: DropReason? =
                !given.isStorable ? .invalidTimestamp
                : configuration.retentionDays.map { given < StoreAdministrator.retentionCutoff(days: $0, now: configuration.now()) }
                    == true ? .pastRetention : nil
            if let reason {
                state.withLock { $0.statistics.dropped[reason, default: 0] += 1 }
                return ts
            }
        }
        // Pseudonymising, opt-out checks and scrubbing happen off the caller's path, in the flush task, before
        // anything is encoded or written (``storedBatch(_:keys:)``); until then the values live only in this
        // process's memory. Hostile sizes are bounded here (cheap checks; a copy only when something is over a
        // limit), so the buffer's memory stays bounded and nothing deeper than the limits reaches the flush task.
        let big = RecordLimits.bufferedStringBytes
        let (bufferedMetadata, metadataBytes) = metadata.isEmpty ? (metadata, 0) : RecordLimits.bufferedWithSize(metadata)
        var pending: BufferedRecord? = BufferedRecord(
            timestamp: ts, durationMs: RecordLimits.duration(durationMs),
            command: command.utf8.count > big ? RecordLimits.cut(command, to: big) : command,
            errorMessage: errorMessage.map { $0.utf8.count > big ? RecordLimits.cut($0, to: big) : $0 },
            sessionID: sessionID.map { $0.utf8.count > 1024 ? RecordLimits.cut($0, to: 1024) : $0 },
            userID: userID.map { $0.utf8.count > big ? RecordLimits.cut($0, to: big) : $0 },
            metadata: bufferedMetadata,
            typeIndex: types.index(of: type), status: status)
        // The buffer's byte budget: strings as held plus a fixed overhead (cheap: UTF-8 counts of native strings
        // are stored, metadata is walked only when present).
        let size =
            128 + command.utf8.count + (errorMessage?.utf8.count ?? 0) + (sessionID?.utf8.count ?? 0)
            + (userID?.utf8.count ?? 0) + metadataBytes
        let wake: Bool = state.withLock { s in
            if s.stopped {
                s.statistics.dropped[.stopped, default: 0] += 1
                return false
            }
            guard s.buffer.count < configuration.maxBufferSize, s.buffer.bytes + size <= configuration.maxBufferBytes
            else {
                s.statistics.dropped[.bufferFull, default: 0] += 1
                return false
            }
            if let record = pending.take() { s.buffer.append(record, bytes: size) }  // moved, not copied
            s.statistics.recorded += 1
            // Wake the flusher once per full batch (not on every record while a flush is busy: each wake-up
            // costs the caller a trip through the stream's own lock).
            return s.buffer.count % configuration.batchSize == 0
        }
        // The stream's continuation is fetched only to wake (copying it costs every record a few hundred
        // instructions); it is yielded to outside the monitor's lock.
        if wake { state.withLock { $0.signal }?.yield() }
        return ts
    }

    /// The placeholder for a metadata value redacted because of its key.
    public static let redactedValue = "[REDACTED]"

    /// The record as stored: command, error message and metadata scrubbed (see ``PrivacyTransform``).
    func scrubbedForStorage(_ i: Interaction) -> Interaction { transform.scrubbedForStorage(i) }

    /// Buffered records as stored under `keys` (see ``PrivacyTransform/storedBatch(_:count:keys:registry:types:firstSequence:)``).
    func storedBatch(
        _ records: some Sequence<BufferedRecord>, count: Int, keys: KeyState, registry: OptOutRegistry,
        firstSequence: UInt64? = nil
    ) -> PrivacyTransform.StoredBatch {
        transform.storedBatch(
            records, count: count, keys: keys, registry: registry, types: types.all(), firstSequence: firstSequence)
    }
}
