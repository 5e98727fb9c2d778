internal import MonitorCrypto

/// The store's id: 16 random bytes made when the store is first written, kept in the blob `store.id` (hex) and in
/// the sealed manifest. Checkpoints name it, and the keys directory's register of stores records it with the
/// store's location, so stores sharing a keyring are told apart.
enum StoreIdentity {
    static let blobName = "store.id"
    static let length = 16

    /// The id on disk, `nil` when the store has none yet.
    static func read(store: any SegmentStore) throws -> [UInt8]? {
        guard let bytes = try store.readBlob(named: blobName) else { return nil }
        let text = String(decoding: bytes, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
        guard let id = Hex.decode(Substring(text)), id.count == length else {
            throw InteractionMonitorError(.dataCorrupted, "\(blobName) in \(store.location) is malformed")
        }
        return id
    }

    /// Writes `id` as the store's id.
    static func write(_ id: [UInt8], store: any SegmentStore) throws {
        try store.updateBlob(named: blobName) { _ in Array((Hex.encode(id) + "\n").utf8) }
    }

    /// The id new frames are sealed for: `store.id`, else the manifest's (`store.id` deleted: the next manifest
    /// write puts it back, on the record), else the one the manifest's first write makes (a new store, or a lost
    /// manifest, which that write records). The same choice the manifest's own update makes, so the frames of a
    /// write and the manifest that records them name one store. `locked` are the days the caller holds.
    static func forSealing(
        store: any SegmentStore, manifest: StoreManifest?, keyring: Keyring, locked: Set<Day>
    ) throws -> [UInt8] {
        if let id = try read(store: store) { return id }
        if let id = manifest?.storeID { return id }
        try StoreManifest.update(store: store, keyring: keyring, except: locked, force: true) { _ in }
        return try readOrCreate(store: store)
    }

    /// The id a reader expects frames to name: `store.id`, else the manifest's; `nil` when the store has neither.
    static func expected(store: any SegmentStore, manifest: StoreManifest?) -> [UInt8]? {
        if let id = try? read(store: store) { return id }
        return manifest?.storeID
    }

    /// The problem with a frame sealed for `found` in a store whose id is `expected`, or `nil` when it belongs
    /// here (or cannot be told: format 1 frames name no store, and a store without an id has nothing to compare).
    static func mismatch(found: [UInt8]?, expected: [UInt8]?) -> String? {
        guard let found, let expected, found != expected else { return nil }
        return "sealed for another store (\(Hex.encode(found))), not this one (\(Hex.encode(expected)))"
    }

    /// The id on disk, made (and written) when there is none.
    static func readOrCreate(store: any SegmentStore) throws -> [UInt8] {
        if let id = try read(store: store) { return id }
        var made: [UInt8] = []
        try store.updateBlob(named: blobName) { current in
            if let current, let id = Hex.decode(Substring(String(decoding: current, as: UTF8.self).prefix(32))),
                id.count == length
            {
                made = id
                return nil
            }
            do { made = try RandomBytes.generate(length) } catch {
                throw InteractionMonitorError(.cryptoFailure, "cannot make a store id: \(error)")
            }
            return Array((Hex.encode(made) + "\n").utf8)
        }
        return made
    }
}

/// A short, printable commitment to one generation of a store's manifest, for an auditor to keep:
/// `imcp1:<store id>:<generation>:<BLAKE2b-256 of that generation's sealed bytes>`. `verify --checkpoint` fails
/// unless the store's history extends it (see SECURITY.md).
public struct StoreCheckpoint: Hashable, Sendable, CustomStringConvertible {
    /// The store's id.
    public var storeID: [UInt8]
    /// The manifest generation.
    public var generation: UInt64
    /// BLAKE2b-256 of that generation's sealed manifest.
    public var digest: [UInt8]

    /// The parts of a checkpoint.
    public init(storeID: [UInt8], generation: UInt64, digest: [UInt8]) {
        self.storeID = storeID
        self.generation = generation
        self.digest = digest
    }

    /// Parses the printed form; `nil` when malformed.
    public init?(_ text: String) {
        let parts = text.checkpointTrimmed().split(separator: ":")
        guard parts.count == 4, parts[0] == "imcp1", let id = Hex.decode(parts[1]), id.count == StoreIdentity.length,
            let g = UInt64(parts[2]), let d = Hex.decode(parts[3]), d.count == 32
        else { return nil }
        self.init(storeID: id, generation: g, digest: d)
    }

    /// `imcp1:<store id>:<generation>:<digest>`.
    public var description: String { "imcp1:\(Hex.encode(storeID)):\(generation):\(Hex.encode(digest))" }
}

extension String {
    func checkpointTrimmed() -> Substring {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return s
    }
}
