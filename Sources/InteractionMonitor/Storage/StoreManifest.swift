internal import MonitorCrypto

/// The sealed manifest: for each day, how many segments its file holds and the last segment's tag.
///
/// Per-segment tags and the chain catch flipped bits, reordering and deletion inside a file, but not a file cut
/// cleanly at a segment boundary or a deleted day file. The manifest catches both. It is a sealed envelope
/// (kind 2) named `manifest.enc`, rewritten atomically; a day's entry is only changed while that day's lock is
/// held, so it always matches the file. Plaintext: a header line, then one line per day:
/// `YYYY-MM-DD <count> <last tag hex>[ <count> <last tag hex>] h=<hash key id>,…` — the optional second pair is
/// the state a rewrite in progress may leave (count 0 meaning "no file"), accepted too until the rewrite finishes;
/// `h=` lists the hash keys the day's pseudonyms were made under (`h=?`: unknown; absent in format 1 = unknown).
struct StoreManifest: Equatable {
    static let blobName = "manifest.enc"
    static let header = "interaction-monitor-manifest 2"
    static let headerV1 = "interaction-monitor-manifest 1"

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
        var current: State
        var alternate: State?
        /// Hash keys whose pseudonyms the day holds; `nil` when unknown (format-1 manifests, rebuilt entries).
        var hashKeys: Set<KeyID>? = []

        /// This entry's hash keys plus `more` (unknown stays unknown).
        func addingHashKeys(_ more: Set<KeyID>?) -> Set<KeyID>? {
            guard let hashKeys, let more else { return nil }
            return hashKeys.union(more)
        }

        func accepts(_ s: State) -> Bool { s == current || s == alternate }
    }

    var entries: [Day: Entry] = [:]

    func encoded() -> [UInt8] {
        var text = Self.header + "\n"
        for (day, e) in entries.sorted(by: { $0.key < $1.key }) {
            text += "\(day) \(e.current.count) \(Hex.encode(e.current.lastTag))"
            if let a = e.alternate { text += " \(a.count) \(Hex.encode(a.lastTag))" }
            text += " h=" + (e.hashKeys.map { $0.sorted().map(\.description).joined(separator: ",") } ?? "?")
            text += "\n"
        }
        return Array(text.utf8)
    }

    static func decode(_ bytes: [UInt8]) -> StoreManifest? {
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
        guard let first = lines.first, first == Substring(header) || first == Substring(headerV1) else { return nil }
        let v2 = first == Substring(header)
        var m = StoreManifest()
        func state(_ c: Substring, _ t: Substring) -> State? {
            guard let count = UInt64(c), let tag = Hex.decode(t), tag.count == SegmentHeader.tagLength else { return nil }
            return State(count: count, lastTag: tag)
        }
        for line in lines.dropFirst() {
            var f = line.split(separator: " ")
            var hashKeys: Set<KeyID>? = nil
            if v2 {
                guard let last = f.last, last.hasPrefix("h=") else { return nil }
                if last != "h=?" {
                    var ids = Set<KeyID>()
                    for part in last.dropFirst(2).split(separator: ",") {
                        guard let id = KeyID(String(part)) else { return nil }
                        ids.insert(id)
                    }
                    hashKeys = ids
                }
                f.removeLast()
            }
            guard f.count == 3 || f.count == 5, let day = Day(String(f[0])), let current = state(f[1], f[2]) else {
                return nil
            }
            var entry = Entry(current: current, alternate: nil, hashKeys: hashKeys)
            if f.count == 5 {
                guard let alt = state(f[3], f[4]) else { return nil }
                entry.alternate = alt
            }
            m.entries[day] = entry
        }
        return m
    }

    /// Seals the manifest under the keyring's active data key.
    func sealed(keyring: Keyring) throws -> [UInt8] {
        try SegmentCodec.seal(
            encoded(), kind: .manifest, day: Day(daysSinceEpoch: 0), position: .start,
            keyring: keyring
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
        switch SegmentCodec.open(frame, keyring: keyring) {
        case .failure(.unknownKey(let id)): return .invalid("manifest is sealed with unknown key \(id)")
        case .failure(.authentication): return .invalid("manifest failed authentication (tampered)")
        case .success(let plain):
            guard let m = decode(plain) else { return .invalid("manifest content is malformed") }
            return .loaded(m)
        }
    }

    /// Changes the manifest with `change`. Call only while holding the locks of every day `change` touches.
    /// An unreadable manifest (damaged, or sealed under a key no longer held) is rebuilt from the stored tails.
    static func update(
        store: any SegmentStore, keyring: Keyring, except locked: Set<Day>, _ change: (inout StoreManifest) -> Void
    ) throws {
        try store.updateBlob(named: blobName) { current in
            var manifest = StoreManifest()
            if let current, case .loaded(let m) = open(current, keyring: keyring) {
                manifest = m
            } else if current != nil {
                for day in try store.days() where !locked.contains(day) {
                    var last: StoredFrame? = nil
                    try store.scan(day: day) { if case .frame(let f) = $0, f.header.kind == .interactions { last = f } }
                    if let last {
                        manifest.entries[day] = Entry(
                            current: State(count: last.header.index + 1, lastTag: last.tag), alternate: nil,
                            hashKeys: nil)
                    }
                }
            }
            let before = manifest
            change(&manifest)
            return manifest == before && current != nil ? nil : try manifest.sealed(keyring: keyring)
        }
    }
}
