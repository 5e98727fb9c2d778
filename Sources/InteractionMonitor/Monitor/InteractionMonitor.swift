import DequeModule
import Foundation
import Logging
import Synchronization

/// Records interactions of an app — CLI commands, API requests — as pseudonymised, sealed telemetry.
///
/// `record(…)` is synchronous and cheap: it hashes the user id, builds the record and appends it to a bounded
/// in-memory buffer. It never touches the disk and never waits for a flush. A background task (``start()``)
/// seals buffered records into segments every ``Configuration/flushInterval``, as soon as a batch fills, on
/// ``flush()`` and on ``stop()``.
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
    /// The keyring used for sealing and pseudonymising.
    public let keyring: Keyring

    let pseudonymiser: Pseudonymiser
    private let state: Mutex<State>
    private let flusher: Flusher

    struct State {
        var buffer = Deque<Interaction>()
        var statistics = MonitorStatistics()
        var signal: AsyncStream<Void>.Continuation?
        var task: Task<Void, Never>?
        var retryAfter: Timestamp?
        var failureStreak = 0
    }

    /// Creates a monitor storing in ``Configuration/dataDirectory`` with the keyring in
    /// ``Configuration/keysDirectory`` (created, mode 0700, when missing).
    /// - Throws: ``InteractionMonitorError`` for an invalid configuration or an unusable keyring.
    public convenience init(configuration: Configuration = Configuration()) throws {
        let configuration = try configuration.validated()
        let keyring = try Keyring.loadOrCreate(directory: configuration.keysDirectory)
        try self.init(
            configuration: configuration, store: FileSegmentStore(directory: configuration.dataDirectory),
            keyring: keyring)
    }

    /// Creates a monitor with an explicit store and keyring (other backends, the test kit).
    public init(configuration: Configuration, store: any SegmentStore, keyring: Keyring) throws {
        self.configuration = try configuration.validated()
        self.store = store
        self.keyring = keyring
        self.pseudonymiser = Pseudonymiser(key: keyring.activeHashKey)
        self.state = Mutex(State())
        self.flusher = Flusher()
    }

    deinit {
        state.withLock { s in
            s.task?.cancel()
            s.signal?.finish()
        }
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
        let interaction = Interaction(
            timestamp: ts, interactionType: type, command: command, status: status,
            durationMs: durationMs.isFinite ? durationMs : 0, errorMessage: errorMessage, metadata: metadata,
            sessionID: sessionID, userHash: userID.map(pseudonymiser.hash))
        enqueue(interaction)
        return ts
    }

    /// Appends to the bounded buffer, dropping (and counting) when full; wakes the flusher when a batch is ready.
    private func enqueue(_ interaction: Interaction) {
        let signal: AsyncStream<Void>.Continuation? = state.withLock { s in
            guard s.buffer.count < configuration.maxBufferSize else {
                s.statistics.dropped[.bufferFull, default: 0] += 1
                return nil
            }
            s.buffer.append(interaction)
            s.statistics.recorded += 1
            return s.buffer.count >= configuration.batchSize ? s.signal : nil
        }
        signal?.yield()
    }

    // MARK: Lifecycle

    /// Starts the background flush task. Calling it twice has no effect.
    public func start() {
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let started = state.withLock { s -> Bool in
            guard s.task == nil else { return false }
            s.signal = continuation
            return true
        }
        guard started else { return }
        let interval = configuration.flushInterval
        let task = Task { [self] in
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: interval)
                        continuation.yield()
                    }
                }
                for await _ in stream {
                    _ = try? await self.flushBuffered(forced: false)
                }
                group.cancelAll()
            }
        }
        state.withLock { $0.task = task }
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

    /// Records currently buffered (cheaper than ``statistics()``; lets bulk loaders apply back-pressure).
    public var bufferedCount: Int { state.withLock { $0.buffer.count } }

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
        let now = configuration.now()
        let batch: [Interaction] = state.withLock { s in
            if !forced, let retry = s.retryAfter, now < retry { return [] }
            return Array(s.buffer)
        }
        guard !batch.isEmpty else { return 0 }
        do {
            let result = try SegmentWriter(store: store).write(batch, batchSize: configuration.batchSize, keyring: keyring)
            state.withLock { s in
                s.buffer.removeFirst(batch.count)
                s.statistics.flushed += batch.count
                s.statistics.segmentsWritten += result.segments
                s.statistics.bytesWritten += result.bytes
                s.statistics.flushCount += 1
                s.statistics.lastFlush = configuration.now()
                s.statistics.lastError = nil
                s.retryAfter = nil
                s.failureStreak = 0
            }
            return batch.count
        } catch {
            let message = (error as? InteractionMonitorError)?.message ?? "\(error)"
            state.withLock { s in
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
