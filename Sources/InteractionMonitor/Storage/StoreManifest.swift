internal import MonitorCrypto

/// The sealed manifest (`manifest.enc`, format 3, specified in SECURITY.md): the store's authenticated memory of
/// what it holds and what happened to it.
///
/// - For each day: the generation of its file (advanced by every rewrite), the segment count and last tag the
///   file must end with, the state an append or rewrite in progress will leave (recorded *before* the file
///   changes, so a crash leaves a state the manifest expected), the hash keys its pseudonyms were made under, and
///   a tombstone once the day was removed (retention, erasure, cleanup).
/// - For each derived file (opt-out registry, privacy ledger, profiles, …): its generation and the tag of the
///   sealed envelope, so a deleted, swapped or older copy is detected.
/// - Findings: every mismatch a writer found between a file and its entry. They stay reported (`verify` exits 1)
///   after any number of writes until an operator acknowledges them; acknowledged findings stay in the history.
/// - The store id, the manifest's own generation and the digest of the previous generation, plus the digests of
///   the generations `audit` printed as checkpoints: `verify --checkpoint` checks the history extends one.
///
/// A day's entry is only changed while that day's lock is held; blob entries while the blob's lock is held.
struct StoreManifest: Equatable {
    static let blobName = "manifest.enc"
    static let header = "interaction-monitor-manifest 4"
    static let headerV3 = "interaction-monitor-manifest 3"
    static let headerV2 = "interaction-monitor-manifest 2"
    static let headerV1 = "interaction-monitor-manifest 1"

    /// A file's end: how many segments it holds and the last one's tag.
    struct State: Equatable {
        var count: UInt64
        var lastTag: [UInt8]

        static let absent = State(count: 0, lastTag: SegmentCodec.zeroTag)

        init(count: UInt64, lastTag: [UInt8]) {
            self.count = count
            self.lastTag = lastTag
        }

        /// The state after appending up to `position`.
        init(_ position: SegmentPosition) { self.init(count: position.index, lastTag: position.previousTag) }
    }

    struct Entry: Equatable {
        /// The state the file is in.
        var current: State
        /// The state an append or rewrite in progress leaves; accepted too until it is confirmed.
        var alternate: State?
        /// Hash keys whose pseudonyms the day holds; `nil` when unknown (older manifests, rebuilt entries).
        var hashKeys: Set<KeyID>? = []
        /// The file's generation: 0 when first written, advanced by every rewrite and removal.
        var generation: UInt64 = 0
        /// Set when the day was removed (a tombstone): by what (`retention`, `forget`, `cleanup`, …).
        var removedBy: String? = nil
        /// For stores whose writes and manifest commit together (PostgreSQL): the last record sequence each writer
        /// stored in this day, authenticated, so a progress row lowered or cleared in the database cannot make a
        /// retried flush store records twice.
        var writers: [WriteOrigin.WriterID: UInt64] = [:]

        /// This entry's hash keys plus `more` (unknown stays unknown).
        func addingHashKeys(_ more: Set<KeyID>?) -> Set<KeyID>? {
            guard let hashKeys, let more else { return nil }
            return hashKeys.union(more)
        }

        func accepts(_ s: State) -> Bool { s == current || s == alternate }
    }

    /// A derived file's record: its generation and the tag of its sealed envelope (with the one being written).
    struct BlobRecord: Equatable {
        var generation: UInt64
        var tag: [UInt8]
        var pendingTag: [UInt8]? = nil
        /// The envelope was removed on purpose (retention drops derived files).
        var removed = false
    }

    /// A mismatch found between a file and what the manifest recorded, kept until acknowledged.
    struct Finding: Equatable {
        /// The manifest generation in which it was found.
        var generation: UInt64
        /// The file (or container) concerned.
        var file: String
        var message: String
        /// When acknowledged: the manifest generation, the time and the operator's reason.
        var acknowledged: (generation: UInt64, at: Timestamp, reason: String)? = nil

        static func == (a: Finding, b: Finding) -> Bool {
            a.generation == b.generation && a.file == b.file && a.message == b.message
                && a.acknowledged?.generation == b.acknowledged?.generation
                && a.acknowledged?.at == b.acknowledged?.at && a.acknowledged?.reason == b.acknowledged?.reason
        }
    }

    /// The store's id (16 random bytes, made with the manifest); `nil` only in manifests older than format 3.
    var storeID: [UInt8]? = nil
    /// The manifest's own generation, advanced by every write.
    var generation: UInt64 = 0
    /// BLAKE2b-256 of the previous generation's sealed bytes (zeros for the first).
    var previousDigest = [UInt8](repeating: 0, count: 32)
    /// Digests of the generations printed as checkpoints (generation → digest of that generation's sealed bytes).
    var checkpoints: [UInt64: [UInt8]] = [:]
    /// A generation printed as a checkpoint whose digest the next generation records.
    var checkpointPending = false
    /// The format the manifest was read in (3 for new manifests).
    var format = 4
    /// Whether every derived file is recorded in ``blobs`` (so one that is not is a finding).
    var tracksBlobs = false
    var entries: [Day: Entry] = [:]
    var blobs: [String: BlobRecord] = [:]
    var findings: [Finding] = []

    /// Findings not yet acknowledged.
    var openFindings: [Finding] { findings.filter { $0.acknowledged == nil } }

    // MARK: Encoding

    /// Free text (messages, reasons, names) as hex of its UTF-8, so no byte of it can break a line.
    private static func text(_ s: String) -> String { Hex.encode(Array(s.utf8)) }
    private static func untext(_ s: Substring) -> String? { Hex.decode(s).map { String(decoding: $0, as: UTF8.self) } }

    func encoded() -> [UInt8] {
        var text = Self.header + "\n"
        text += "store \(storeID.map(Hex.encode) ?? "-")\n"
        text += "generation \(generation)\n"
        text += "previous \(Hex.encode(previousDigest))\n"
        if checkpointPending { text += "checkpoint-pending\n" }
        if tracksBlobs { text += "tracks-blobs\n" }
        for (g, d) in checkpoints.sorted(by: { $0.key < $1.key }) { text += "checkpoint \(g) \(Hex.encode(d))\n" }
        for (day, e) in entries.sorted(by: { $0.key < $1.key }) {
            text += "day \(day) \(e.generation) \(e.current.count) \(Hex.encode(e.current.lastTag))"
            if let a = e.alternate { text += " \(a.count) \(Hex.encode(a.lastTag))" }
            text += " h=" + (e.hashKeys.map { $0.sorted().map(\.description).joined(separator: ",") } ?? "?")
            if !e.writers.isEmpty {
                text += " w=" + e.writers.sorted { $0.key.bytes.lexicographicallyPrecedes($1.key.bytes) }
                    .map { "\($0.key):\($0.value)" }.joined(separator: ",")
            }
            if let by = e.removedBy { text += " removed=" + Self.text(by) }
            text += "\n"
        }
        for (name, b) in blobs.sorted(by: { $0.key < $1.key }) {
            text += "blob \(Self.text(name)) \(b.generation) \(b.removed ? "-" : Hex.encode(b.tag))"
            if let p = b.pendingTag { text += " \(Hex.encode(p))" }
            text += "\n"
        }
        for f in findings {
            text += "finding \(f.generation) \(Self.text(f.file)) \(Self.text(f.message))"
            if let a = f.acknowledged {
                text += " \(a.generation) \(a.at.microsecondsSinceEpoch) \(Self.text(a.reason))"
            }
            text += "\n"
        }
        return Array(text.utf8)
    }

    static func decode(_ bytes: [UInt8]) -> StoreManifest? {
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
        guard let first = lines.first else { return nil }
        switch first {
        case Substring(header), Substring(headerV3):
            var m = decodeV3(lines.dropFirst())
            m?.format = first == Substring(header) ? 4 : 3
            return m
        case Substring(headerV2), Substring(headerV1):
            return decodeLegacy(lines.dropFirst(), v2: first == Substring(headerV2))
        default: return nil
        }
    }

    private static func state(_ c: Substring, _ t: Substring) -> State? {
        guard let count = UInt64(c), let tag = Hex.decode(t), tag.count == SegmentHeader.tagLength else { return nil }
        return State(count: count, lastTag: tag)
    }

    private static func hashKeys(_ field: Substring) -> Set<KeyID>?? {
        guard field.hasPrefix("h=") else { return .none }
        if field == "h=?" { return .some(nil) }
        var ids = Set<KeyID>()
        for part in field.dropFirst(2).split(separator: ",") {
            guard let id = KeyID(String(part)) else { return .none }
            ids.insert(id)
        }
        return .some(ids)
    }

    private static func decodeV3(_ lines: ArraySlice<Substring>) -> StoreManifest? {
        var m = StoreManifest()
        for line in lines {
            let f = line.split(separator: " ")
            guard let kind = f.first else { return nil }
            switch kind {
            case "store":
                guard f.count == 2 else { return nil }
                if f[1] != "-" {
                    guard let id = Hex.decode(f[1]), id.count == StoreIdentity.length else { return nil }
                    m.storeID = id
                }
            case "generation":
                guard f.count == 2, let g = UInt64(f[1]) else { return nil }
                m.generation = g
            case "previous":
                guard f.count == 2, let d = Hex.decode(f[1]), d.count == 32 else { return nil }
                m.previousDigest = d
            case "checkpoint-pending":
                m.checkpointPending = true
            case "tracks-blobs":
                m.tracksBlobs = true
            case "checkpoint":
                guard f.count == 3, let g = UInt64(f[1]), let d = Hex.decode(f[2]), d.count == 32 else { return nil }
                m.checkpoints[g] = d
            case "day":
                guard f.count >= 6, let day = Day(String(f[1])), let g = UInt64(f[2]),
                    let current = state(f[3], f[4])
                else { return nil }
                var rest = f.dropFirst(5)
                var entry = Entry(current: current, generation: g)
                if rest.count >= 2, !rest[rest.startIndex].hasPrefix("h=") {
                    guard let alt = state(rest[rest.startIndex], rest[rest.startIndex + 1]) else { return nil }
                    entry.alternate = alt
                    rest = rest.dropFirst(2)
                }
                guard let h = rest.first, case .some(let keys) = hashKeys(h) else { return nil }
                entry.hashKeys = keys
                rest = rest.dropFirst()
                if let r = rest.first, r.hasPrefix("w=") {
                    for pair in r.dropFirst(2).split(separator: ",") {
                        let parts = pair.split(separator: ":")
                        guard parts.count == 2, let id = Hex.decode(parts[0]).flatMap(WriteOrigin.WriterID.init(bytes:)),
                            let seq = UInt64(parts[1])
                        else { return nil }
                        entry.writers[id] = seq
                    }
                    rest = rest.dropFirst()
                }
                if let r = rest.first {
                    guard r.hasPrefix("removed="), let by = untext(r.dropFirst(8)), rest.count == 1 else { return nil }
                    entry.removedBy = by
                }
                m.entries[day] = entry
            case "blob":
                guard f.count == 4 || f.count == 5, let name = untext(f[1]), let g = UInt64(f[2]) else { return nil }
                var b = BlobRecord(generation: g, tag: SegmentCodec.zeroTag)
                if f[3] == "-" {
                    b.removed = true
                } else {
                    guard let t = Hex.decode(f[3]), t.count == SegmentHeader.tagLength else { return nil }
                    b.tag = t
                }
                if f.count == 5 {
                    guard let p = Hex.decode(f[4]), p.count == SegmentHeader.tagLength else { return nil }
                    b.pendingTag = p
                }
                m.blobs[name] = b
            case "finding":
                guard f.count == 4 || f.count == 7, let g = UInt64(f[1]), let file = untext(f[2]),
                    let message = untext(f[3])
                else { return nil }
                var finding = Finding(generation: g, file: file, message: message)
                if f.count == 7 {
                    guard let ag = UInt64(f[4]), let at = Int64(f[5]), let reason = untext(f[6]) else { return nil }
                    finding.acknowledged = (ag, Timestamp(microsecondsSinceEpoch: at), reason)
                }
                m.findings.append(finding)
            default:
                return nil
            }
        }
        return m
    }

    /// Formats 1 and 2: `YYYY-MM-DD <count> <last tag>[ <count> <last tag>][ h=…]`. Read, then upgraded in place
    /// by the next write (which gives the store its id).
    private static func decodeLegacy(_ lines: ArraySlice<Substring>, v2: Bool) -> StoreManifest? {
        var m = StoreManifest()
        m.format = v2 ? 2 : 1
        for line in lines {
            var f = line.split(separator: " ")
            var keys: Set<KeyID>? = nil
            if v2 {
                guard let last = f.last, case .some(let k) = hashKeys(last) else { return nil }
                keys = k
                f.removeLast()
            }
            guard f.count == 3 || f.count == 5, let day = Day(String(f[0])), let current = state(f[1], f[2]) else {
                return nil
            }
            var entry = Entry(current: current, alternate: nil, hashKeys: keys)
            if f.count == 5 {
                guard let alt = state(f[3], f[4]) else { return nil }
                entry.alternate = alt
            }
            m.entries[day] = entry
        }
        return m
    }

    // MARK: Sealing

    /// Seals the manifest under the keyring's active data key.
    func sealed(keyring: Keyring) throws -> [UInt8] {
        guard let storeID else { throw InteractionMonitorError(.cryptoFailure, "cannot seal a manifest without a store id") }
        return try SegmentCodec.seal(
            encoded(), kind: .manifest, day: Day(daysSinceEpoch: 0), position: .start, keyring: keyring,
            storeID: storeID
        ).frame
    }

    enum LoadResult {
        case absent
        case loaded(StoreManifest)
        case invalid(String)
    }

    /// Reads and authenticates the manifest.
    static func load(store: any SegmentStore, keyring: Keyring) throws -> LoadResult {
        guard let bytes = try store.readBlob(named: blobName) else { return .absent }
        return open(bytes, keyring: keyring)
    }

    static func open(_ bytes: [UInt8], keyring: Keyring) -> LoadResult {
        guard let frame = try? FrameScanner(bytes: bytes).frame(at: 0), frame.encodedLength == bytes.count,
            frame.header.kind == .manifest, frame.header.index == 0, frame.header.day.daysSinceEpoch == 0,
            frame.header.previousTag == SegmentCodec.zeroTag
        else { return .invalid("manifest is damaged") }
        switch FrameOpener(keyring: keyring, storeID: nil).open(frame) {
        case .failure(.unknownKey(let id)): return .invalid("manifest is sealed with unknown key \(id)")
        case .failure(.authentication): return .invalid("manifest failed authentication (tampered)")
        case .failure(.foreignStore(let foreign)): return .invalid("manifest \(foreign)")
        case .success(let plain):
            guard let m = decode(plain) else { return .invalid("manifest content is malformed") }
            if let named = frame.header.storeID, named != m.storeID {
                return .invalid("manifest's header names another store (\(Hex.encode(named))) than its content")
            }
            return .loaded(m)
        }
    }

    /// The checkpoint text for the manifest whose sealed bytes are `sealed`.
    func checkpoint(sealed: [UInt8]) -> StoreCheckpoint {
        StoreCheckpoint(storeID: storeID ?? [], generation: generation, digest: KeyedHash.digest(sealed))
    }

    /// Records a finding (once: the same open finding for the same file is not repeated).
    mutating func record(finding message: String, file: String) {
        guard !findings.contains(where: { $0.acknowledged == nil && $0.file == file && $0.message == message }) else {
            return
        }
        findings.append(Finding(generation: generation + 1, file: file, message: message))
    }

    // MARK: Updating

    /// Changes the manifest with `change`. Call only while holding the locks of every day `change` touches.
    ///
    /// A manifest that is missing while the store holds data, or that cannot be opened, is never silently
    /// replaced: a new one is built from the files as they are (their entries marked unknown), and the loss is
    /// recorded as a finding that `verify` reports until an operator acknowledges it. Each write advances the
    /// generation and records the previous generation's digest.
    /// Returns the sealed bytes written (`nil` when nothing changed).
    @discardableResult
    static func update(
        store: any SegmentStore, keyring: Keyring, except locked: Set<Day>, force: Bool = false,
        _ change: (inout StoreManifest) throws -> Void
    ) throws -> [UInt8]? {
        var written: [UInt8]? = nil
        try store.updateBlob(named: blobName) { current in
            var manifest = StoreManifest()
            var loss: String? = nil
            if let current {
                switch open(current, keyring: keyring) {
                case .loaded(let m):
                    if let id = m.storeID, let known = try StoreIdentity.read(store: store), id != known {
                        loss = "the manifest belongs to another store (\(Hex.encode(id)))"
                    } else {
                        manifest = m
                    }
                case .invalid(let why): loss = why
                case .absent: break
                }
            } else if try store.days().contains(where: { !locked.contains($0) || (store.byteCount(of: $0) ?? 0) > 0 })
                || !(try store.blobNames().filter { $0.hasSuffix(".enc") }.isEmpty)
            {
                loss = "manifest was missing"
            } else if let known = try StoreIdentity.read(store: store) {
                // The store existed (its id is on disk) but neither manifest nor data remain.
                manifest.storeID = known
                loss = "manifest was missing"
            } else if let registered = StoreRegister.registeredID(of: store, keyring: keyring) {
                // Everything was deleted, but the keys directory remembers a store here.
                loss = "the store \(registered) registered at this location in the keys directory was gone (manifest, id and data)"
            }
            if let loss {
                manifest = try rebuilt(store: store, keyring: keyring, except: locked)
                if let known = try StoreIdentity.read(store: store) { manifest.storeID = known }
                manifest.record(
                    finding: "\(loss) when the store was next written; rebuilt from the files as found — anything "
                        + "removed or cut before then cannot be detected", file: blobName)
            }
            if manifest.checkpointPending, let current, loss == nil {
                // The generation printed as a checkpoint: its digest goes into the history from now on.
                manifest.checkpoints[manifest.generation] = KeyedHash.digest(current)
                manifest.checkpointPending = false
            }
            if current == nil || loss != nil || manifest.format < 3 {
                // A new store, a rebuilt manifest or an upgrade: record the derived files as they are from now on.
                try adoptBlobs(into: &manifest, store: store)
            }
            let before = manifest
            try change(&manifest)
            guard force || manifest != before || current == nil || loss != nil else { return nil }
            if let id = manifest.storeID, loss == nil, try StoreIdentity.read(store: store) == nil {
                // `store.id` deleted: the manifest's authenticated id puts it back, on the record.
                manifest.record(finding: "store.id was missing; written again from the manifest", file: StoreIdentity.blobName)
                try StoreIdentity.write(id, store: store)
            }
            if manifest.storeID == nil || manifest.format < 3 || current == nil {
                let id = try manifest.storeID ?? StoreIdentity.readOrCreate(store: store)
                manifest.storeID = id
                StoreRegister.register(store: store, id: id, keyring: keyring)
            }
            manifest.format = 4
            manifest.previousDigest = current.map { loss == nil ? KeyedHash.digest($0) : [UInt8](repeating: 0, count: 32) }
                ?? [UInt8](repeating: 0, count: 32)
            manifest.generation = before.generation + 1
            written = try manifest.sealed(keyring: keyring)
            return written
        }
        return written
    }

    /// Records every derived file present (its envelope's tag) that the manifest does not know yet.
    private static func adoptBlobs(into manifest: inout StoreManifest, store: any SegmentStore) throws {
        for name in try store.blobNames() where name != blobName && name.hasSuffix(".enc") && manifest.blobs[name] == nil {
            if let bytes = try store.readBlob(named: name), let tag = SealedBlob.tag(of: bytes) {
                manifest.blobs[name] = BlobRecord(generation: 0, tag: tag)
            }
        }
        manifest.tracksBlobs = true
    }

    /// A manifest rebuilt from the files as they are: each day's entry from its last frame, hash keys unknown.
    private static func rebuilt(store: any SegmentStore, keyring: Keyring, except locked: Set<Day>) throws -> StoreManifest {
        var manifest = StoreManifest()
        for day in try store.days() where !locked.contains(day) {
            var last: StoredFrame? = nil
            try? store.scan(day: day) { if case .frame(let f) = $0, f.header.kind == .interactions { last = f } }
            if let last {
                manifest.entries[day] = Entry(
                    current: State(count: last.header.index + 1, lastTag: last.tag), alternate: nil, hashKeys: nil)
            }
        }
        return manifest
    }

    /// The manifest as stored now (`nil` when absent or unreadable).
    static func current(store: any SegmentStore, keyring: Keyring) throws -> StoreManifest? {
        if case .loaded(let m) = try load(store: store, keyring: keyring) { return m }
        return nil
    }
}
