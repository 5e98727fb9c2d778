/// Rewrites day files without some of their records (erasure, retention), atomically and crash-safely.
///
/// A rewrite first checks the locked day exactly as the reader does (``DayChecker``: authentication, day, chain,
/// duplicates, keys, the manifest's entry and the day's open findings) and refuses the file, naming the problem,
/// when anything is wrong: it never re-seals a segment the reader would reject, so a rewrite cannot launder
/// tampering. The day stays locked throughout. The manifest first records both the old and the new state as
/// acceptable, then the new file replaces the old one (temporary file, fsync, rename), then the manifest records
/// only the new state under the next generation: a crash at any moment leaves a store that verifies, holding
/// either the old or the new file. A day removed entirely stays in the manifest as a tombstone.
struct SegmentRewriter {
    let store: any SegmentStore
    let keyring: Keyring
    var batchSize = 1000
    /// What the rewrite is for, recorded in tombstones (`forget`, `retention`, `cleanup`, …).
    var purpose = "rewrite"

    struct Outcome {
        var removed = 0
        var kept = 0
        var fileRemoved = false
    }

    /// Removes the records of `day` for which `remove` is true. Re-seals the survivors under the active data key.
    /// - Throws: `.dataCorrupted` naming the first problem when the day does not verify (nothing is changed then).
    func rewrite(day: Day, removing remove: (Interaction) -> Bool) throws -> Outcome {
        let name = store.name(of: day)
        let result: Outcome? = try store.withExclusiveAccess(to: day, create: false) { access in
            // Pass 1: check everything as the reader does and count what would go.
            var outcome = Outcome()
            let old = try Self.verified(access, day: day, name: name, store: store, keyring: keyring) { frame, plain in
                try plain.forEachLine { line in
                    guard let record = try? Interaction(jsonLine: line) else {
                        throw InteractionMonitorError(
                            .dataCorrupted, "\(name) segment \(frame.header.index) holds an invalid record; not rewritten")
                    }
                    if remove(record) { outcome.removed += 1 } else { outcome.kept += 1 }
                }
            }
            guard outcome.removed > 0 else { return outcome }
            if outcome.kept == 0 {
                try removeLocked(access, day: day, old: old)
                outcome.fileRemoved = true
                return outcome
            }
            // Pass 2: stream the survivors into a new file.
            let storeID = try StoreIdentity.forSealing(
                store: store, manifest: try StoreManifest.current(store: store, keyring: keyring), keyring: keyring,
                locked: [day])
            var end = SegmentPosition.start
            try access.replace { emit in
                var batch: [Interaction] = []
                func sealBatch() throws {
                    let (frames, next) = try SegmentWriter.seal(
                        batch, day: day, from: end, batchSize: batchSize, keyring: keyring, storeID: storeID)
                    for f in frames { try emit(f) }
                    end = next
                    batch.removeAll(keepingCapacity: true)
                }
                try Self.forEachFrame(access, name: name, opener: FrameOpener(keyring: keyring, storeID: storeID)) { _, plain in
                    try plain.forEachLine { line in
                        guard let record = try? Interaction(jsonLine: line) else { return }
                        guard !remove(record) else { return }
                        batch.append(record)
                        if batch.count >= batchSize { try sealBatch() }
                    }
                }
                if !batch.isEmpty { try sealBatch() }
            } beforeCommit: {
                try Self.accept(store: store, keyring: keyring, day: day, old: old, new: .init(end))
            }
            try Self.commit(store: store, keyring: keyring, day: day, state: .init(end))
            return outcome
        }
        return result ?? Outcome()
    }

    /// Removes a whole day (retention): checked like a rewrite, then the manifest accepts its absence, the file
    /// goes, and the manifest keeps a tombstone. Returns whether there was anything to remove.
    func removeDay(_ day: Day) throws -> Bool {
        let name = store.name(of: day)
        let removed: Bool? = try store.withExclusiveAccess(to: day, create: false) { access in
            let old = try Self.verified(access, day: day, name: name, store: store, keyring: keyring) { _, _ in }
            try removeLocked(access, day: day, old: old)
            return true
        }
        return removed ?? false
    }

    private func removeLocked(_ access: any DayAccess, day: Day, old: StoreManifest.State) throws {
        try StoreManifest.update(store: store, keyring: keyring, except: [day]) {
            var entry = $0.entries[day] ?? .init(current: old, alternate: nil, hashKeys: nil)
            entry.current = .absent
            entry.alternate = old
            $0.entries[day] = entry
        }
        try access.remove()
        let purpose = purpose
        try StoreManifest.update(store: store, keyring: keyring, except: [day]) {
            guard var entry = $0.entries[day] else { return }
            entry.alternate = nil
            entry.removedBy = purpose
            entry.hashKeys = []  // a tombstone holds no pseudonyms
            entry.writers = [:]  // as the store forgets its writers' progress with the day
            entry.generation += 1
            $0.entries[day] = entry
        }
    }

    /// Before a rewrite's new file replaces the old one: both states are accepted.
    static func accept(
        store: any SegmentStore, keyring: Keyring, day: Day, old: StoreManifest.State, new: StoreManifest.State
    ) throws {
        try StoreManifest.update(store: store, keyring: keyring, except: [day]) {
            var entry = $0.entries[day] ?? .init(current: old, alternate: nil, hashKeys: nil)
            entry.current = new
            entry.alternate = old
            $0.entries[day] = entry
        }
    }

    /// Confirms a rewrite: only the new state is accepted, under the next generation.
    static func commit(store: any SegmentStore, keyring: Keyring, day: Day, state: StoreManifest.State) throws {
        try StoreManifest.update(store: store, keyring: keyring, except: [day]) {
            guard var entry = $0.entries[day] else { return }
            entry.current = state
            entry.alternate = nil
            entry.generation += 1
            $0.entries[day] = entry
        }
    }

    /// Checks the locked day as the reader does, streaming each authentic frame's plaintext to `body`; returns
    /// the state the file ends in.
    /// - Throws: `.dataCorrupted` naming the first problem (a finding of any kind), before anything is changed.
    static func verified(
        _ access: any DayAccess, day: Day, name: String, store: any SegmentStore, keyring: Keyring,
        _ body: (StoredFrame, [UInt8]) throws -> Void
    ) throws -> StoreManifest.State {
        let manifest: StoreManifest?
        switch try StoreManifest.load(store: store, keyring: keyring) {
        case .loaded(let m): manifest = m
        case .absent: manifest = nil
        case .invalid(let why):
            throw InteractionMonitorError(.dataCorrupted, "\(why); \(name) not rewritten (run verify)")
        }
        if let open = manifest?.openFindings.first(where: { $0.file == name || $0.file == StoreManifest.blobName }) {
            throw InteractionMonitorError(
                .dataCorrupted,
                "\(open.file): \(open.message); nothing rewritten until it is acknowledged (run verify, then acknowledge)")
        }
        var checker = DayChecker(
            day: day, file: name, keyring: keyring, entry: manifest?.entries[day],
            storeID: StoreIdentity.expected(store: store, manifest: manifest))
        try access.scan { item in
            guard let (frame, plain) = checker.check(item) else { return }
            try body(frame, plain)
        }
        checker.finish(manifest: manifest)
        if let problem = checker.issues.first(where: { $0.severity == .error }) {
            throw InteractionMonitorError(.dataCorrupted, "\(problem); not rewritten (run verify)")
        }
        return checker.state
    }

    /// Opens every frame of the locked day (already verified) in order.
    static func forEachFrame(
        _ access: any DayAccess, name: String, opener: FrameOpener, _ body: (StoredFrame, [UInt8]) throws -> Void
    ) throws {
        try access.scan { item in
            guard case .frame(let f) = item else { return }
            guard case .success(let plain) = opener.open(f) else {
                throw InteractionMonitorError(
                    .dataCorrupted, "\(name) segment \(f.header.index) cannot be opened; not rewritten (run verify)")
            }
            try body(f, plain)
        }
    }
}
