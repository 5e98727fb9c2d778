import Foundation
import Logging
import Synchronization

extension InteractionMonitor {
    // MARK: Flushing

    /// Serialises flushes: the buffer's prefix is only ever removed by the flush that wrote it.
    actor Flusher {
        func run<R: Sendable>(_ body: @Sendable () throws -> R) rethrows -> R { try body() }
    }

    @discardableResult
    func flushBuffered(forced: Bool) async throws -> Int {
        try await flusher.run { try self.flushNow(forced: forced) }
    }

    func flushNow(forced: Bool) throws -> Int {
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
            // Sequence numbers (this writer's count of buffered records) let an idempotent store skip what a retried
            // flush already stored.
            let (batch, stored, result) = try write(snapshot, keys: keys, registry: registry, firstSequence: firstSequence)
            state.withLock { s in
                s.buffer.removeSnapshot(snapshot)
                s.firstBufferedSequence += UInt64(snapshot.count)
                if batch.optedOut > 0 { s.statistics.dropped[.optedOut, default: 0] += batch.optedOut }
                UndeclaredKeyCounts.merge(batch.undeclared, into: &s.statistics.undeclaredMetadataKeys)
                s.statistics.flushed += stored
                s.statistics.segmentsWritten += result.segments
                s.statistics.bytesWritten += result.bytes
                s.statistics.flushCount += 1
                s.statistics.lastFlush = configuration.now()
                s.statistics.lastError = nil
                s.retryAfter = nil
                s.failureStreak = 0
            }
            // Observers see what was stored: the stored lines, decoded.
            if let observer = configuration.liveAnalyzer { observer.didStore(batch.interactions(), at: now) }
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
            return stored
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

    /// Encodes and stores `snapshot`: the records as stored, how many were stored and what was written. A large
    /// snapshot is encoded on two threads in parts while this thread seals the parts already encoded
    /// (``EncodingPipeline``), each day as one locked append; a small one is encoded here, then written day by day.
    private func write(
        _ snapshot: RecordBuffer.Snapshot, keys: KeyState, registry: OptOutRegistry, firstSequence: UInt64
    ) throws -> (batch: PrivacyTransform.StoredBatch, stored: Int, result: SegmentWriter.Result) {
        let writer = SegmentWriter(store: store)
        let hashKeys: (PrivacyTransform.StoredBatch) -> Set<KeyID> = {
            $0.usedHashKey ? [keys.keyring.activeHashKeyID] : []
        }
        guard snapshot.count >= Self.parallelEncodingThreshold, ProcessInfo.processInfo.activeProcessorCount > 1 else {
            let batch = transform.storedBatch(
                chunks: snapshot.recordChunks.lazy.map { $0[...] }, count: snapshot.count, keys: keys,
                registry: registry, types: types.all(), firstSequence: firstSequence)
            let result = batch.count == 0
                ? SegmentWriter.Result()
                : try writer.write(
                    batch.lines, writer: writerID, batchSize: configuration.batchSize, keyring: keys.keyring,
                    hashKeys: hashKeys(batch), plaintext: benchmarkPlaintext)
            return (batch, batch.count, result)
        }
        // At least four parts, so that sealing overlaps encoding from the second part on.
        let batchSize = configuration.batchSize
        let partSize = batchSize * max(1, min(Self.pipelinePartSize, snapshot.count / 4) / batchSize)
        let pipeline = EncodingPipeline(
            snapshot, partSize: partSize, transform: transform, keys: keys, registry: registry, types: types.all(),
            firstSequence: firstSequence)
        defer { pipeline.finish() }
        // Observers are handed the stored records, so their lines are kept; otherwise each part's lines are let go
        // once sealed.
        let keepLines = configuration.liveAnalyzer != nil
        var batch = PrivacyTransform.StoredBatch()
        var stored = 0
        var result = SegmentWriter.Result()
        // Lines taken from encoded parts and not yet written, in order, a part's days in the order they appear.
        var held: [DayBatch] = []
        var partsLeft = true
        func takePart() {
            guard var part = pipeline.next() else {
                partsLeft = false
                return
            }
            stored += part.count
            held += part.lines.days
            if !keepLines { part.lines = EncodedLines() }
            batch.append(part)
        }
        while true {
            while held.isEmpty, partsLeft { takePart() }
            guard let day = held.first?.day else { break }
            // One append for the day's lines up to the first line of another day: records in time order give one
            // append per day; a clock stepped back gives a day a further append, still in order.
            let written = try writer.write(
                day: day, writer: writerID, batchSize: configuration.batchSize, maxFrames: snapshot.count,
                keyring: keys.keyring, hashKeys: { hashKeys(batch) }, plaintext: benchmarkPlaintext,
                sealed: { lines in if !keepLines { pipeline.recycle(lines) } }
            ) {
                while held.isEmpty, partsLeft { takePart() }
                guard let first = held.first, first.day == day else { return nil }
                return held.removeFirst()
            }
            result.segments += written.segments
            result.bytes += written.bytes
        }
        return (batch, stored, result)
    }

    /// Buffered records from which a flush encodes on two threads while it seals.
    static let parallelEncodingThreshold = 8192

    /// About the records in each part a pipelined flush encodes: whole segments (batch sizes) of them, so parts
    /// make no segment shorter, and few enough that a part's lines (about 4 MiB reserved) stay on the heap.
    static let pipelinePartSize = 8192
}
