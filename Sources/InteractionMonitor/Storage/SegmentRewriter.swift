/// Rewrites day files without some of their records (erasure, retention), atomically and crash-safely.
///
/// The day stays locked throughout. The manifest first records both the old and the new state as acceptable,
/// then the new file replaces the old one (temporary file, fsync, rename), then the manifest records only the new
/// state: a crash at any moment leaves a store that verifies, holding either the old or the new file.
struct SegmentRewriter {
    let store: any SegmentStore
    let keyring: Keyring
    var batchSize = 1000

    struct Outcome {
        var removed = 0
        var kept = 0
        var fileRemoved = false
    }

    /// Removes the records of `day` for which `remove` is true. Re-seals the survivors under the active data key.
    /// - Throws: `.dataCorrupted` when the day has segments that fail authentication (nothing is changed then:
    ///   run `verify`); a torn tail is dropped.
    func rewrite(day: Day, removing remove: (Interaction) -> Bool) throws -> Outcome {
        let name = store.name(of: day)
        let result: Outcome? = try store.withExclusiveAccess(to: day, create: false) { access in
            // Pass 1: authenticate everything and count what would go.
            var outcome = Outcome()
            var lastFrame: StoredFrame? = nil
            try forEachRecord(access, name: name) { record in
                if remove(record) { outcome.removed += 1 } else { outcome.kept += 1 }
            } frame: { lastFrame = $0 }
            guard outcome.removed > 0 else { return outcome }
            let old = lastFrame.map { StoreManifest.State(count: $0.header.index + 1, lastTag: $0.tag) } ?? .absent
            if outcome.kept == 0 {
                try StoreManifest.update(store: store, keyring: keyring, except: [day]) {
                    $0.entries[day] = .init(current: .absent, alternate: old, hashKeys: $0.entries[day]?.hashKeys)
                }
                try access.remove()
                try StoreManifest.update(store: store, keyring: keyring, except: [day]) { $0.entries[day] = nil }
                outcome.fileRemoved = true
                return outcome
            }
            // Pass 2: stream the survivors into a new file.
            var end = SegmentPosition.start
            try access.replace { emit in
                var batch: [Interaction] = []
                func sealBatch() throws {
                    let (frames, next) = try SegmentWriter.seal(batch, day: day, from: end, batchSize: batchSize, keyring: keyring)
                    for f in frames { try emit(f) }
                    end = next
                    batch.removeAll(keepingCapacity: true)
                }
                try forEachRecord(access, name: name) { record in
                    guard !remove(record) else { return }
                    batch.append(record)
                    if batch.count >= batchSize { try sealBatch() }
                } frame: { _ in }
                if !batch.isEmpty { try sealBatch() }
            } beforeCommit: {
                try StoreManifest.update(store: store, keyring: keyring, except: [day]) {
                    $0.entries[day] = .init(current: .init(end), alternate: old, hashKeys: $0.entries[day]?.hashKeys)
                }
            }
            try StoreManifest.update(store: store, keyring: keyring, except: [day]) {
                $0.entries[day] = .init(current: .init(end), alternate: nil, hashKeys: $0.entries[day]?.hashKeys)
            }
            return outcome
        }
        return result ?? Outcome()
    }

    /// Removes a whole day (retention): the manifest first accepts its absence, then the file goes, then the
    /// manifest forgets the day. Returns whether there was anything to remove.
    func removeDay(_ day: Day) throws -> Bool {
        let removed: Bool? = try store.withExclusiveAccess(to: day, create: false) { access in
            let old = try access.tail()
            let state = StoreManifest.State(count: old.index, lastTag: old.previousTag)
            try StoreManifest.update(store: store, keyring: keyring, except: [day]) {
                $0.entries[day] = .init(current: .absent, alternate: state, hashKeys: $0.entries[day]?.hashKeys)
            }
            try access.remove()
            try StoreManifest.update(store: store, keyring: keyring, except: [day]) { $0.entries[day] = nil }
            return true
        }
        return removed ?? false
    }

    /// Opens every frame of the locked day; any authentication failure aborts.
    private func forEachRecord(
        _ access: any DayAccess, name: String, _ body: (Interaction) throws -> Void, frame: (StoredFrame) -> Void
    ) throws {
        try access.scan { item in
            switch item {
            case .damaged(let offset, _, let reason):
                guard reason.contains("torn") else {
                    throw InteractionMonitorError(
                        .dataCorrupted, "\(name) has damaged bytes at offset \(offset); not rewritten (run verify)")
                }
            case .frame(let f):
                guard f.header.kind == .interactions, case .success(let plain) = SegmentCodec.open(f, keyring: keyring)
                else {
                    throw InteractionMonitorError(
                        .dataCorrupted, "\(name) segment \(f.header.index) cannot be opened; not rewritten (run verify)")
                }
                frame(f)
                for line in plain.split(separator: UInt8(ascii: "\n")) {
                    guard let record = try? Interaction(jsonLine: line) else {
                        throw InteractionMonitorError(
                            .dataCorrupted, "\(name) segment \(f.header.index) holds an invalid record; not rewritten")
                    }
                    try body(record)
                }
            }
        }
    }
}
