import Foundation
import Logging
import Synchronization

/// Records interactions of an app — CLI commands, API requests — as pseudonymised, sealed telemetry.
///
/// `record(…)` is synchronous and cheap: it bounds the values' sizes and appends them to a bounded in-memory
/// buffer under one short lock. It never touches the disk and never waits for a flush. A background task
/// (``start()``) pseudonymises user and session ids, applies opt-outs, scrubs PII and seals the buffered records
/// into segments every ``Configuration/flushInterval``, as soon as a batch fills, on ``flush()`` and on ``stop()``
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
    /// Whether recording is disabled (configuration switch, `DO_NOT_TRACK=1`, `INTERACTION_MONITOR_DISABLED=1`).
    public let isDisabled: Bool
    let keys: Locked<KeyState>
    private let keyringSecret: KeyringSecret?
    private let state: Locked<State>
    private let flusher: Flusher
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
        let signal: AsyncStream<Void>.Continuation? = state.withLock { s in
            guard s.buffer.count < configuration.maxBufferSize, s.buffer.bytes + size <= configuration.maxBufferBytes
            else {
                s.statistics.dropped[.bufferFull, default: 0] += 1
                return nil
            }
            if let record = pending.take() { s.buffer.append(record, bytes: size) }  // moved, not copied
            s.statistics.recorded += 1
            // Wake the flusher once per full batch (not on every record while a flush is busy: each wake-up
            // costs the caller a trip through the stream's own lock).
            return s.buffer.count % configuration.batchSize == 0 ? s.signal : nil
        }
        signal?.yield()
        return ts
    }

    /// The placeholder for a metadata value redacted because of its key.
    public static let redactedValue = "[REDACTED]"

    /// The record as stored: command, error message and metadata (keys and every nested string) scrubbed, and
    /// the whole value of secret-named metadata keys redacted.
    func scrubbedForStorage(_ i: Interaction) -> Interaction {
        var cache = KeyCache()
        return scrubbedForStorage(i, keys: &cache)
    }

    /// Buffered records as stored: user and session ids pseudonymised under `keys`, records of opted-out users
    /// left out (counted in `optedOut`), free text scrubbed. `usedHashKey` tells whether any stored pseudonym was
    /// made with the active hash key (for the manifest's hash-key epochs).
    struct StoredBatch {
        var interactions: [Interaction] = []
        /// Each stored interaction's position in the buffered sequence.
        var positions: [Int] = []
        var optedOut = 0
        var usedHashKey = false
        /// Strict fields: metadata entries dropped for an undeclared key, by scrubbed key name.
        var undeclared: [String: Int] = [:]
    }

    func storedBatch(_ records: some Sequence<BufferedRecord>, count: Int, keys: KeyState, registry: OptOutRegistry) -> StoredBatch {
        var out = StoredBatch()
        out.interactions.reserveCapacity(count)
        out.positions.reserveCapacity(count)
        var keyCache = KeyCache()
        // Ids repeat within a batch: each distinct one is hashed (and checked against the registry) once.
        var users: [String: (hash: String, optedOut: Bool)] = [:]
        var sessions: [String: String] = [:]
        let types = self.types.all()
        let activeHashKey = keys.keyring.activeHashKeyID
        let olderRegistryKeys = registry.entries.isEmpty ? [] : registry.hashKeyIDs.filter { $0 != activeHashKey }
        let strict = scrubber.configuration.strictFields
        let declared = scrubber.configuration.declaredMetadataKeys
        for (position, r) in records.enumerated() {
            var userHash: String?
            if let id = r.userID {
                let user: (hash: String, optedOut: Bool)
                if let hit = users[id] {
                    user = hit
                } else {
                    let hash = keys.pseudonymiser.hash(id)
                    var opted = false
                    if !registry.entries.isEmpty {
                        opted = registry.contains(hashKeyID: activeHashKey, userHash: hash)
                            || olderRegistryKeys.contains { k in
                                keys.pseudonymisers[k].map { registry.contains(hashKeyID: k, userHash: $0.hash(id)) } ?? false
                            }
                    }
                    user = (hash, opted)
                    if users.count < 65_536 { users[id] = user }
                }
                if user.optedOut {
                    out.optedOut += 1
                    continue
                }
                userHash = user.hash
                out.usedHashKey = true
            }
            var sessionID: String?
            if let id = r.sessionID {
                if let hit = sessions[id] {
                    sessionID = hit
                } else {
                    let stored = pseudonymisedSessionID(id, keys.pseudonymiser)
                    if sessions.count < 65_536 { sessions[id] = stored }
                    sessionID = stored
                }
                if sessionID != id { out.usedHashKey = true }
            }
            var metadata = r.metadata
            if strict, !metadata.isEmpty, !metadata.keys.allSatisfy(declared.contains) {
                // Undeclared keys go before anything is scrubbed or encoded; only their (scrubbed) names are counted.
                metadata = metadata.filter { declared.contains($0.key) }
                for key in r.metadata.keys where !declared.contains(key) {
                    let name = RecordLimits.cut(keyCache.scrub(key, scrubber), to: RecordLimits.storedKeyBytes)
                    UndeclaredKeyCounts.merge([name: 1], into: &out.undeclared)
                }
            }
            let raw = Interaction(
                timestamp: r.timestamp, interactionType: Int(r.typeIndex) < types.count ? types[Int(r.typeIndex)] : InteractionTypeTable.overflow,
                command: r.command, status: r.status, durationMs: r.durationMs, errorMessage: r.errorMessage,
                metadata: metadata, sessionID: sessionID, userHash: userHash)
            out.interactions.append(scrubbedForStorage(raw, keys: &keyCache))
            out.positions.append(position)
        }
        return out
    }

    /// Metadata keys, commands and many values (routes, regions, plans, recurring errors) repeat across the
    /// records of a batch: a batch scrubs and classifies each distinct key once and each distinct short text once.
    /// Scrubbing is a pure function of the text, so a cached result is exactly what scrubbing again would give.
    struct KeyCache {
        var entries: [String: (stored: String, sensitive: Bool)] = [:]
        var texts: [String: String] = [:]
        static let textLimit = 256
        static let entryLimit = 8192

        mutating func scrub(_ text: String, _ scrubber: PIIScrubber) -> String {
            guard text.utf8.count <= Self.textLimit else { return scrubber.scrub(text) }
            if let hit = texts[text] { return hit }
            let out = scrubber.scrub(text)
            if texts.count < Self.entryLimit { texts[text] = out }
            return out
        }
    }

    func scrubbedForStorage(_ i: Interaction, keys cache: inout KeyCache) -> Interaction {
        var out = i
        out.command = RecordLimits.cut(cache.scrub(i.command, scrubber), to: RecordLimits.storedCommandBytes)
        out.errorMessage = i.errorMessage.map { RecordLimits.cut(cache.scrub($0, scrubber), to: RecordLimits.storedTextBytes) }
        if !i.metadata.isEmpty { out.metadata = scrubbed(i.metadata, depth: 1, keys: &cache) }
        return out
    }

    /// Metadata with keys and every nested string scrubbed, and the whole value of secret-named keys redacted.
    func scrubbed(_ metadata: [String: JSONValue], depth: Int = 1) -> [String: JSONValue] {
        var cache = KeyCache()
        return scrubbed(metadata, depth: depth, keys: &cache)
    }

    func scrubbed(_ metadata: [String: JSONValue], depth: Int, keys cache: inout KeyCache) -> [String: JSONValue] {
        // Most metadata has nothing to scrub: then the dictionary itself is what is stored, not a copy.
        if isStoredAsIs(metadata, depth: depth, keys: &cache) { return metadata }
        var out: [String: JSONValue] = [:]
        out.reserveCapacity(metadata.count)
        for (key, value) in metadata {
            let k = storedKey(key, keys: &cache)
            out[k.stored] = k.sensitive ? .string(Self.redactedValue) : scrubbed(value, depth: depth + 1, keys: &cache)
        }
        return out
    }

    /// The stored key for `key` (scrubbed, cut) and whether its value is redacted, cached.
    private func storedKey(_ key: String, keys cache: inout KeyCache) -> (stored: String, sensitive: Bool) {
        if let hit = cache.entries[key] { return hit }
        let k = (RecordLimits.cut(scrubber.scrub(key), to: RecordLimits.storedKeyBytes), scrubber.isSensitiveKey(key))
        if cache.entries.count < 4096 { cache.entries[key] = k }
        return k
    }

    /// Whether `metadata` is stored exactly as it is: no key changed or redacted, no string scrubbed or cut, nothing
    /// too deep or too long — what ``scrubbed(_:depth:keys:)`` would return unchanged.
    private func isStoredAsIs(_ metadata: [String: JSONValue], depth: Int, keys cache: inout KeyCache) -> Bool {
        for (key, value) in metadata {
            let k = storedKey(key, keys: &cache)
            guard !k.sensitive, k.stored == key, isStoredAsIs(value, depth: depth + 1, keys: &cache) else { return false }
        }
        return true
    }

    private func isStoredAsIs(_ value: JSONValue, depth: Int, keys cache: inout KeyCache) -> Bool {
        switch value {
        case .string(let s): return s.utf8.count <= RecordLimits.storedTextBytes && cache.scrub(s, scrubber) == s
        case .array(let a):
            guard depth < RecordLimits.maximumDepth, a.count <= RecordLimits.maximumEntries else { return false }
            return a.allSatisfy { isStoredAsIs($0, depth: depth + 1, keys: &cache) }
        case .object(let o):
            return depth < RecordLimits.maximumDepth && isStoredAsIs(o, depth: depth, keys: &cache)
        case .int, .double, .bool, .null: return true
        }
    }

    /// Scrubbed and cut to the stored limits; recursion ends at ``RecordLimits/maximumDepth``.
    private func scrubbed(_ value: JSONValue, depth: Int, keys cache: inout KeyCache) -> JSONValue {
        switch value {
        case .string(let s): return .string(RecordLimits.cut(cache.scrub(s, scrubber), to: RecordLimits.storedTextBytes))
        case .array(let a):
            guard depth < RecordLimits.maximumDepth else { return .string(RecordLimits.tooDeep) }
            var out: [JSONValue] = []
            out.reserveCapacity(min(a.count, RecordLimits.maximumEntries))
            for v in a.prefix(RecordLimits.maximumEntries) { out.append(scrubbed(v, depth: depth + 1, keys: &cache)) }
            return .array(out)
        case .object(let o):
            guard depth < RecordLimits.maximumDepth else { return .string(RecordLimits.tooDeep) }
            return .object(scrubbed(o, depth: depth, keys: &cache))
        case .int, .double, .bool, .null: return value
        }
    }

    /// Session ids are hashed like user ids (with a domain prefix so the two never collide) when the policy says
    /// so; by default only when the value looks like a token.
    func pseudonymisedSessionID(_ id: String, _ pseudonymiser: Pseudonymiser) -> String {
        switch configuration.sessionIDPolicy {
        case .keep: id
        case .pseudonymise: pseudonymiser.hash("session\u{0}" + id)
        case .automatic: Self.looksLikeToken(id) ? pseudonymiser.hash("session\u{0}" + id) : id
        }
    }

    /// 16+ characters without spaces mixing letters and digits: UUIDs, hex and base64 tokens, JWT-ish values.
    static func looksLikeToken(_ s: String) -> Bool {
        guard s.utf8.count >= 16 else { return false }
        var letters = false
        var digits = false
        for c in s.utf8 {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digits = true
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"): letters = true
            case UInt8(ascii: " "), UInt8(ascii: "\t"): return false
            default: break
            }
        }
        return letters && digits
    }

    // MARK: Lifecycle

    /// Starts the background flush task and applies retention. Calling it twice has no effect; a disabled monitor
    /// starts nothing.
    public func start() {
        guard !isDisabled else { return }
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let started = state.withLock { s -> Bool in
            guard s.task == nil else { return false }
            s.signal = continuation
            return true
        }
        guard started else { return }
        let interval = configuration.flushInterval
        let spacing = configuration.minimumFlushSpacing
        let task = Task { [self] in
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: interval)
                        continuation.yield()
                    }
                }
                let clock = ContinuousClock()
                var lastFlush: ContinuousClock.Instant? = nil
                for await _ in stream {
                    // Group commit: a wake-up soon after the last flush waits out the spacing (unless the buffer
                    // is filling), and the flush then takes everything buffered meanwhile.
                    if let last = lastFlush {
                        let due = last + spacing
                        while clock.now < due, !Task.isCancelled, !self.bufferIsFilling {
                            try? await Task.sleep(for: min(due - clock.now, .milliseconds(10)))
                        }
                    }
                    lastFlush = clock.now
                    _ = try? await self.flushBuffered(forced: false)
                    await self.applyRetentionIfDue()
                }
                group.cancelAll()
            }
        }
        state.withLock { $0.task = task }
        continuation.yield()  // first tick: retention at start
    }

    /// Deletes data older than the retention period, at start and then at most once a day, in the flush task.
    private func applyRetentionIfDue() async {
        guard let days = configuration.retentionDays else { return }
        let now = configuration.now()
        let due = state.withLock { s -> Bool in
            if let last = s.lastRetention, now.microsecondsSinceEpoch - last.microsecondsSinceEpoch < 86_400_000_000 {
                return false
            }
            s.lastRetention = now
            return true
        }
        guard due else { return }
        do {
            let report = try await flusher.run {
                try StoreAdministrator(store: self.store, keyring: self.keyring).applyRetention(days: days, now: now)
            }
            if !report.filesRemoved.isEmpty || report.removedFromCutDay > 0 {
                // Each removed day also stays in the sealed manifest as a tombstone marked `retention`.
                configuration.logger.notice(
                    "interaction-monitor retention removed old data",
                    metadata: [
                        "retention_days": "\(days)", "cutoff": "\(report.cutoff.iso8601)",
                        "files_removed": "\(report.filesRemoved.joined(separator: ","))",
                        "records_removed_from_cut_day": "\(report.removedFromCutDay)",
                    ])
                if let path = configuration.journalPath {
                    try? OperationsJournal(path: path, tenant: keyring.tenant, store: StoreRegister.label(of: store)).append(
                        operation: "retention", outcome: "ok",
                        details: [
                            "days": "\(days)", "cutoff": report.cutoff.iso8601,
                            "files_removed": "\(report.filesRemoved.count)",
                            "records_removed_from_cut_day": "\(report.removedFromCutDay)",
                        ])
                }
            }
        } catch {
            configuration.logger.error(
                "interaction-monitor retention failed",
                metadata: ["error": "\((error as? InteractionMonitorError)?.message ?? "\(error)")"])
        }
    }

    /// Reloads the keyring when its file changed since it was loaded (another process rotated keys). A keyring
    /// that cannot be loaded now (sealed without a secret, damaged) is logged and the current keys stay in use.
    func reloadKeyringIfChanged() {
        let current = keys.withLock { $0 }
        guard let directory = current.keyring.directory else { return }
        let stamp = Keyring.fileStamp(directory: directory)
        guard stamp != current.stamp, stamp != nil else { return }
        do {
            let reloaded = try Keyring.load(directory: directory, secret: keyringSecret).checking(tenant: current.keyring.tenant)
            let next = KeyState(keyring: reloaded)
            keys.withLock { $0 = next }
            if reloaded.activeDataKeyID != current.keyring.activeDataKeyID
                || reloaded.activeHashKeyID != current.keyring.activeHashKeyID
            {
                configuration.logger.info(
                    "interaction-monitor switched keys",
                    metadata: [
                        "data_key": "\(reloaded.activeDataKeyID)", "hash_key": "\(reloaded.activeHashKeyID)",
                    ])
            }
        } catch {
            configuration.logger.error(
                "interaction-monitor cannot reload the keyring; keeping the current keys",
                metadata: ["error": "\((error as? InteractionMonitorError)?.message ?? "\(error)")"])
        }
    }

    /// Reloads the opt-out registry when its file changed.
    func refreshOptOuts() throws {
        let bytes = try store.readBlob(named: OptOutRegistry.blobName)
        let unchanged = state.withLock { s in s.optOutBytes.map { $0 == bytes } ?? false }
        guard !unchanged else { return }
        // Checked against the manifest: a registry that was deleted, swapped or put back older is not trusted, and
        // the flush stops (records stay buffered) rather than opt anyone back in.
        let manifest = try StoreManifest.current(store: store, keyring: keyring)
        try SealedBlob.checkRecorded(bytes, name: OptOutRegistry.blobName, manifest: manifest, what: "opt-out registry")
        let storeID = StoreIdentity.expected(store: store, manifest: manifest)
        let registry = try bytes.map { try OptOutRegistry.open($0, keyring: keyring, storeID: storeID) } ?? OptOutRegistry()
        state.withLock { s in
            s.optOuts = registry
            s.optOutBytes = .some(bytes)
        }
    }

    /// Stops the background task and flushes what is buffered. Records that still cannot be written stay
    /// counted as buffered in ``statistics()``.
    public func stop() async {
        let (task, signal) = state.withLock { s in
            defer {
                s.task = nil
                s.signal = nil
            }
            return (s.task, s.signal)
        }
        signal?.finish()
        task?.cancel()
        await task?.value
        _ = try? await flushBuffered(forced: true)
    }

    /// Writes everything buffered now.
    /// - Throws: the store's error when writing fails (the records stay buffered for a retry).
    public func flush() async throws {
        try await flushBuffered(forced: true)
    }

    /// Whether a quarter of the buffer's records or bytes is used: then a flush does not wait.
    var bufferIsFilling: Bool {
        state.withLock { s in
            s.buffer.count * 4 >= configuration.maxBufferSize || s.buffer.bytes * 4 >= configuration.maxBufferBytes
        }
    }

    /// The pseudonym `userID` is stored under now (the active hash key's).
    package func pseudonym(of userID: String) -> String { currentKeys.pseudonymiser.hash(userID) }

    /// The records currently buffered, as they would be stored (for analysis over stored plus buffered data).
    package func bufferedSnapshot() -> [Interaction] {
        let (records, registry) = state.withLock { s in (Array(s.buffer.peek()), s.optOuts) }
        return storedBatch(records, count: records.count, keys: currentKeys, registry: registry).interactions
    }

    /// Records currently buffered (cheaper than ``statistics()``; lets bulk loaders apply back-pressure).
    package var bufferedCount: Int { state.withLock { $0.buffer.count } }

    /// The monitor's counters.
    public func statistics() -> MonitorStatistics {
        state.withLock { s in
            var stats = s.statistics
            stats.buffered = s.buffer.count
            return stats
        }
    }

    // MARK: Flushing

    /// Serialises flushes: the buffer's prefix is only ever removed by the flush that wrote it.
    private actor Flusher {
        func run<R: Sendable>(_ body: @Sendable () throws -> R) rethrows -> R { try body() }
    }

    @discardableResult
    private func flushBuffered(forced: Bool) async throws -> Int {
        try await flusher.run { try self.flushNow(forced: forced) }
    }

    private func flushNow(forced: Bool) throws -> Int {
        try flushGate.withLock { _ in try flushNowLocked(forced: forced) }
    }

    /// One flush; the caller holds ``flushGate``. Reports metrics whatever the outcome.
    func flushNowLocked(forced: Bool) throws -> Int {
        let started = ContinuousClock.now
        defer {
            let elapsed = ContinuousClock.now - started
            let (before, after) = state.withLock { s -> (MonitorStatistics, MonitorStatistics) in
                var current = s.statistics
                current.buffered = s.buffer.count
                defer { s.reported = current }
                return (s.reported, current)
            }
            if before != after {
                let c = elapsed.components
                MonitorMetrics.report(
                    from: before, to: after, flushNanoseconds: c.seconds * 1_000_000_000 + c.attoseconds / 1_000_000_000,
                    dimensions: configuration.metricsDimensions, factory: configuration.metricsFactory)
            }
            configuration.liveAnalyzer?.didFlush(statistics: after, at: configuration.now())
        }
        let now = configuration.now()
        reloadKeyringIfChanged()
        let keys = currentKeys
        let taken: (snapshot: RecordBuffer.Snapshot, firstSequence: UInt64)? = state.withLock { s in
            if !forced, let retry = s.retryAfter, now < retry { return nil }
            return s.buffer.isEmpty ? nil : (s.buffer.snapshot(), s.firstBufferedSequence)
        }
        guard let (snapshot, firstSequence) = taken else {
            try? refreshOptOuts()
            return 0
        }
        do {
            // Opt-outs and opt-ins made by any process since the last flush apply from here on, including to the
            // records already buffered. A registry that exists but cannot be read stops the flush: writing could
            // store records of users who opted out (the records stay buffered and are retried).
            try refreshOptOuts()
            let registry = state.withLock { $0.optOuts }
            let batch = storedBatch(snapshot.records, count: snapshot.count, keys: keys, registry: registry)
            // Sequence numbers (this writer's count of buffered records) let an idempotent store skip what a retried
            // flush already stored.
            let origin = WriteOrigin(writer: writerID, sequences: batch.positions.map { firstSequence + UInt64($0) })
            let result = batch.interactions.isEmpty
                ? SegmentWriter.Result()
                : try SegmentWriter(store: store).write(
                    batch.interactions, batchSize: configuration.batchSize, keyring: keys.keyring,
                    hashKeys: batch.usedHashKey ? [keys.keyring.activeHashKeyID] : [], plaintext: benchmarkPlaintext,
                    origin: origin)
            state.withLock { s in
                s.buffer.removeSnapshot(snapshot)
                s.firstBufferedSequence += UInt64(snapshot.count)
                if batch.optedOut > 0 { s.statistics.dropped[.optedOut, default: 0] += batch.optedOut }
                UndeclaredKeyCounts.merge(batch.undeclared, into: &s.statistics.undeclaredMetadataKeys)
                s.statistics.flushed += batch.interactions.count
                s.statistics.segmentsWritten += result.segments
                s.statistics.bytesWritten += result.bytes
                s.statistics.flushCount += 1
                s.statistics.lastFlush = configuration.now()
                s.statistics.lastError = nil
                s.retryAfter = nil
                s.failureStreak = 0
            }
            configuration.liveAnalyzer?.didStore(batch.interactions, at: now)
            if !batch.undeclared.isEmpty, !benchmarkPlaintext {
                // The records are stored; a failure here only loses counts, so it is logged, not retried.
                do {
                    try UndeclaredKeyCounts.add(batch.undeclared, store: store, keyring: keys.keyring)
                } catch {
                    configuration.logger.error(
                        "interaction-monitor cannot update the undeclared-key counts",
                        metadata: ["error": "\((error as? InteractionMonitorError)?.message ?? "\(error)")"])
                }
            }
            return batch.interactions.count
        } catch {
            let message = (error as? InteractionMonitorError)?.message ?? "\(error)"
            state.withLock { s in
                s.buffer.release(snapshot)
                s.statistics.failedFlushes += 1
                s.statistics.lastError = message
                s.failureStreak += 1
                // Back off (1 s, 2 s, 4 s … up to the flush interval) so a failing disk is not hammered per record.
                let backoff = min(Int64(1) << min(s.failureStreak - 1, 20), max(configuration.flushInterval.components.seconds, 1))
                s.retryAfter = Timestamp(microsecondsSinceEpoch: now.microsecondsSinceEpoch + backoff * 1_000_000)
            }
            configuration.logger.error("interaction-monitor flush failed", metadata: ["error": "\(message)"])
            throw error
        }
    }
}
