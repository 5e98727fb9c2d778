internal import MonitorCrypto

extension StoreAdministrator {
    /// One finding an operator acknowledged.
    public struct Acknowledgement: Sendable, Hashable {
        /// The file concerned.
        public var file: String
        /// What was wrong.
        public var message: String
    }

    /// Acknowledges every finding `verify` reports now: the manifest records each one as acknowledged (with
    /// `reason` and the time; they stay in its history, shown by `audit`) and accepts the files as they are — a
    /// cut or replaced day file becomes the recorded state, a missing one a tombstone, a derived file's current
    /// copy its recorded generation. Damaged segments inside a file stay reported: they are still there.
    /// - Returns: what was acknowledged (empty when there was nothing).
    public func acknowledge(reason: String, now: Timestamp = .now()) throws -> [Acknowledgement] {
        guard !reason.isEmpty else { throw InteractionMonitorError(.configuration, "an acknowledgement needs a reason") }
        var done: [Acknowledgement] = []
        let report = try DecryptingReader(store: store, keyring: keyring).verify()
        let byFile = Dictionary(grouping: report.issues.filter { $0.severity == .error }, by: \.file)
        let days = Set(try store.days())
        var manifest = try StoreManifest.current(store: store, keyring: keyring) ?? StoreManifest()
        for day in manifest.entries.keys.sorted() where !days.contains(day) {
            let name = store.name(of: day)
            guard let issues = byFile[name] else { continue }
            try StoreManifest.update(store: store, keyring: keyring, except: [day]) { m in
                guard var entry = m.entries[day] else { return }
                entry.current = .absent
                entry.alternate = nil
                entry.removedBy = "acknowledged missing"
                entry.generation += 1
                m.entries[day] = entry
                for i in issues { m.acknowledge(file: name, message: i.message, reason: reason, now: now) }
            }
            done += issues.map { Acknowledgement(file: name, message: $0.message) }
        }
        for day in days.sorted() {
            let name = store.name(of: day)
            guard let issues = byFile[name] else { continue }
            _ = try store.withExclusiveAccess(to: day, create: false) { access in
                var checker = DayChecker(
                    day: day, file: name, keyring: keyring, entry: nil,
                    storeID: StoreIdentity.expected(
                        store: store, manifest: try StoreManifest.current(store: store, keyring: keyring)))
                try access.scan { _ = checker.check($0) }
                let state = checker.state
                try StoreManifest.update(store: store, keyring: keyring, except: [day]) { m in
                    var entry = m.entries[day] ?? .init(current: state, alternate: nil, hashKeys: nil)
                    if entry.current != state || entry.removedBy != nil { entry.generation += 1 }
                    entry.current = state
                    entry.alternate = nil
                    entry.removedBy = nil
                    m.entries[day] = entry
                    for i in issues { m.acknowledge(file: name, message: i.message, reason: reason, now: now) }
                }
            }
            done += issues.map { Acknowledgement(file: name, message: $0.message) }
        }
        // Derived files and store-level findings.
        try StoreManifest.update(store: store, keyring: keyring, except: Set(days)) { m in
            for (name, record) in m.blobs {
                guard let issues = byFile[name] else { continue }
                var r = record
                if let bytes = try store.readBlob(named: name), let tag = SealedBlob.tag(of: bytes) {
                    r = .init(generation: record.generation + 1, tag: tag)
                } else {
                    r = .init(generation: record.generation + 1, tag: SegmentCodec.zeroTag, removed: true)
                }
                m.blobs[name] = r
                for i in issues { m.acknowledge(file: name, message: i.message, reason: reason, now: now) }
                done += issues.map { Acknowledgement(file: name, message: $0.message) }
            }
            for name in try store.blobNames() where name.hasSuffix(".enc") && name != StoreManifest.blobName && m.blobs[name] == nil {
                if let bytes = try store.readBlob(named: name), let tag = SealedBlob.tag(of: bytes) {
                    m.blobs[name] = .init(generation: 0, tag: tag)
                }
            }
            for i in m.findings.indices where m.findings[i].acknowledged == nil {
                done.append(Acknowledgement(file: m.findings[i].file, message: m.findings[i].message))
                m.findings[i].acknowledged = (m.generation + 1, now, reason)
            }
        }
        manifest = try StoreManifest.current(store: store, keyring: keyring) ?? manifest
        return done
    }

    /// Records the manifest's current generation as a checkpoint and returns it, for an auditor to keep:
    /// `verify --checkpoint` fails later unless the store's history extends it.
    public func checkpoint() throws -> StoreCheckpoint {
        guard
            let sealed = try StoreManifest.update(store: store, keyring: keyring, except: [], force: true, {
                $0.checkpointPending = true
            }),
            case .loaded(let manifest) = StoreManifest.open(sealed, keyring: keyring), let id = manifest.storeID
        else { throw InteractionMonitorError(.storage, "cannot write the manifest of \(store.location)") }
        return StoreCheckpoint(storeID: id, generation: manifest.generation, digest: KeyedHash.digest(sealed))
    }

    /// Whether the store's history extends `checkpoint`: `nil` when it does, otherwise why not.
    public func check(checkpoint: StoreCheckpoint) throws -> String? {
        guard let bytes = try store.readBlob(named: StoreManifest.blobName) else { return "the manifest is missing" }
        guard case .loaded(let m) = StoreManifest.open(bytes, keyring: keyring) else {
            return "the manifest cannot be opened"
        }
        guard m.storeID == checkpoint.storeID else {
            return "the checkpoint is of store \(Hex.encode(checkpoint.storeID)), this is store \(m.storeID.map(Hex.encode) ?? "without an id")"
        }
        if m.generation == checkpoint.generation {
            return KeyedHash.digest(bytes) == checkpoint.digest
                ? nil : "generation \(m.generation) is not the one the checkpoint records (the store was replaced or forked)"
        }
        if m.generation < checkpoint.generation {
            return "the store is at generation \(m.generation), older than the checkpoint's \(checkpoint.generation): rolled back"
        }
        guard let recorded = m.checkpoints[checkpoint.generation] else {
            return "the store's history does not contain checkpoint generation \(checkpoint.generation) (rolled back and written again, or replaced)"
        }
        return recorded == checkpoint.digest
            ? nil : "the store's history records another manifest at generation \(checkpoint.generation) (forked)"
    }
}

extension StoreManifest {
    /// Marks the open finding for `file` with `message` acknowledged, or records the problem as an acknowledged
    /// finding when a writer had not recorded it yet.
    mutating func acknowledge(file: String, message: String, reason: String, now: Timestamp) {
        let ack = (generation: generation + 1, at: now, reason: reason)
        if let i = findings.firstIndex(where: {
            $0.acknowledged == nil && $0.file == file && message.hasPrefix($0.message)
        }) {
            findings[i].acknowledged = ack
        } else {
            findings.append(Finding(generation: generation + 1, file: file, message: message, acknowledged: ack))
        }
    }
}
