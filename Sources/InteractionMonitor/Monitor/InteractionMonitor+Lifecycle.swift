import Foundation
import Logging
import Synchronization

extension InteractionMonitor {
    // MARK: Lifecycle

    /// Starts the background flush task and applies retention. Calling it twice has no effect; a disabled monitor
    /// starts nothing. A monitor can be started again after ``stop()``.
    public func start() {
        guard !isDisabled else { return }
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let started = state.withLock { s -> Bool in
            guard s.task == nil else { return false }
            s.signal = continuation
            s.stopped = false
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
    func applyRetentionIfDue() async {
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
    /// counted as buffered in ``statistics()``. From here until the next ``start()``, ``record(_:command:status:durationMs:userID:sessionID:errorMessage:metadata:timestamp:)``
    /// buffers nothing (no flush would come for it) and counts each record as dropped, ``DropReason/stopped``.
    public func stop() async {
        let (task, signal) = state.withLock { s in
            defer {
                s.task = nil
                s.signal = nil
                s.stopped = true
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
        return storedBatch(records, count: records.count, keys: currentKeys, registry: registry).interactions()
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
}
