internal import MonitorCrypto

/// The sealed manifest: for each day, how many segments its file holds and the last segment's tag.
///
/// Per-segment tags and the chain catch flipped bits, reordering and deletion inside a file, but not a file cut
/// cleanly at a segment boundary or a deleted day file. The manifest catches both. It is a sealed envelope
/// (kind 2) named `manifest.enc`, rewritten atomically after each append; entries only ever grow, so concurrent
/// writers cannot roll each other back. Plaintext: a header line, then `YYYY-MM-DD <count> <last tag hex>` lines.
struct StoreManifest: Equatable {
    static let blobName = "manifest.enc"
    static let header = "interaction-monitor-manifest 1"

    struct Entry: Equatable {
        var count: UInt64
        var lastTag: [UInt8]
    }

    var entries: [Day: Entry] = [:]

    func encoded() -> [UInt8] {
        var text = Self.header + "\n"
        for day in entries.keys.sorted() {
            let e = entries[day]!
            text += "\(day) \(e.count) \(Hex.encode(e.lastTag))\n"
        }
        return Array(text.utf8)
    }

    static func decode(_ bytes: [UInt8]) -> StoreManifest? {
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
        guard lines.first == Substring(header) else { return nil }
        var m = StoreManifest()
        for line in lines.dropFirst() {
            let f = line.split(separator: " ")
            guard f.count == 3, let day = Day(String(f[0])), let count = UInt64(f[1]), let tag = Hex.decode(f[2]),
                tag.count == SegmentHeader.tagLength
            else { return nil }
            m.entries[day] = Entry(count: count, lastTag: tag)
        }
        return m
    }

    /// Seals the manifest under the keyring's active data key.
    func sealed(keyring: Keyring) throws -> [UInt8] {
        try SegmentCodec.seal(
            encoded(), kind: .manifest, day: Day(daysSinceEpoch: 0), position: .start,
            keyID: keyring.activeDataKeyID, key: keyring.activeDataKey
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
        let scanner = FrameScanner(bytes: bytes)
        guard let frame = try? scanner.frame(at: 0), frame.encodedLength == bytes.count,
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

    /// Raises the recorded counts for `updates` (never lowers them), rebuilding from the store's tails when the
    /// current manifest cannot be read.
    static func record(_ updates: [Day: SegmentPosition], store: any SegmentStore, keyring: Keyring) throws {
        try store.updateBlob(named: blobName) { current in
            var manifest: StoreManifest
            var rebuilt = false
            if let current, case .loaded(let m) = open(current, keyring: keyring) {
                manifest = m
            } else {
                manifest = StoreManifest()
                rebuilt = true
                if current != nil {
                    // Unreadable manifest (damaged, or sealed under a key we no longer hold): rebuild from tails.
                    for day in try store.days() where updates[day] == nil {
                        var last: StoredFrame? = nil
                        try store.scan(day: day) { if case .frame(let f) = $0, f.header.kind == .interactions { last = f } }
                        if let last { manifest.entries[day] = Entry(count: last.header.index + 1, lastTag: last.tag) }
                    }
                }
            }
            var changed = false
            for (day, position) in updates {
                if let existing = manifest.entries[day], existing.count >= position.index { continue }
                manifest.entries[day] = Entry(count: position.index, lastTag: position.previousTag)
                changed = true
            }
            return changed || rebuilt ? try manifest.sealed(keyring: keyring) : nil
        }
    }
}
