internal import MonitorCrypto

/// Users who opted out, stored without raw ids: each entry is a user's keyed hash under one hash key, with that
/// key's id and the date. Sealed (kind 3) as `optouts.enc` in the data directory.
///
/// **Across hash-key rotation:** opting out writes the user's hash under *every* hash key the keyring still holds.
/// A recorder checks a new record against every key the registry uses (it has the raw id at that moment), and at
/// flush against the hash under its active key. So an entry made before a rotation keeps matching after it, and a
/// hash key stays needed — not retirable — while registry entries use it.
public struct OptOutRegistry: Sendable, Equatable {
    static let blobName = "optouts.enc"
    static let header = "interaction-monitor-optouts 1"

    /// One opted-out user under one hash key.
    public struct Entry: Sendable, Hashable {
        /// The hash key the hash was computed with.
        public var hashKeyID: KeyID
        /// The user's hash under that key (the `user_hash` format).
        public var userHash: String
        /// When the user opted out.
        public var since: Timestamp
    }

    /// All entries.
    public private(set) var entries: [Entry] = []
    private var index: Set<String> = []

    init(entries: [Entry] = []) {
        for e in entries { insert(e) }
    }

    private static func indexKey(_ id: KeyID, _ hash: String) -> String { id.description + ":" + hash }

    /// Whether `hash` under key `id` is opted out (constant time: a set lookup).
    public func contains(hashKeyID id: KeyID, userHash hash: String) -> Bool {
        index.contains(Self.indexKey(id, hash))
    }

    /// Hash key ids used by entries.
    public var hashKeyIDs: Set<KeyID> { Set(entries.map(\.hashKeyID)) }

    mutating func insert(_ e: Entry) {
        guard index.insert(Self.indexKey(e.hashKeyID, e.userHash)).inserted else { return }
        entries.append(e)
    }

    mutating func remove(hashKeyID id: KeyID, userHash hash: String) -> Bool {
        guard index.remove(Self.indexKey(id, hash)) != nil else { return false }
        entries.removeAll { $0.hashKeyID == id && $0.userHash == hash }
        return true
    }

    func encoded() -> [UInt8] {
        var text = Self.header + "\n"
        for e in entries { text += "\(e.hashKeyID) \(e.userHash) \(e.since.iso8601)\n" }
        return Array(text.utf8)
    }

    static func decode(_ bytes: [UInt8]) -> OptOutRegistry? {
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
        guard lines.first == Substring(header) else { return nil }
        var r = OptOutRegistry()
        for line in lines.dropFirst() {
            let f = line.split(separator: " ")
            guard f.count == 3, let id = KeyID(String(f[0])), f[1].utf8.count == 2 * Pseudonymiser.outputLength,
                Hex.decode(f[1]) != nil, let since = Timestamp(iso8601: String(f[2]))
            else { return nil }
            r.insert(Entry(hashKeyID: id, userHash: String(f[1]), since: since))
        }
        return r
    }

    /// Loads the registry (empty when there is none).
    /// - Throws: `.dataCorrupted` when it exists but fails authentication or parsing; `.unknownKey` when sealed
    ///   under a key the keyring does not hold.
    static func load(store: any SegmentStore, keyring: Keyring) throws -> OptOutRegistry {
        guard let plain = try SealedBlob.read(store: store, name: blobName, keyring: keyring, what: "opt-out registry")
        else { return OptOutRegistry() }
        return try parse(plain)
    }

    static func parse(_ plain: [UInt8]) throws -> OptOutRegistry {
        guard let r = decode(plain) else {
            throw InteractionMonitorError(.dataCorrupted, "opt-out registry content is malformed")
        }
        return r
    }

    static func open(_ bytes: [UInt8], keyring: Keyring, storeID: [UInt8]?) throws -> OptOutRegistry {
        let plain = try SealedBlob.open(bytes, keyring: keyring, what: "opt-out registry", name: blobName, storeID: storeID)
        guard let r = decode(plain) else {
            throw InteractionMonitorError(.dataCorrupted, "opt-out registry content is malformed")
        }
        return r
    }

    /// Changes the registry under its lock and reseals it.
    static func update(store: any SegmentStore, keyring: Keyring, _ change: (inout OptOutRegistry) throws -> Void)
        throws -> OptOutRegistry
    {
        var result = OptOutRegistry()
        try SealedBlob.update(store: store, name: blobName, keyring: keyring, what: "opt-out registry") { current in
            var registry = try current.map(parse) ?? OptOutRegistry()
            try change(&registry)
            result = registry
            return registry.encoded()
        }
        return result
    }
}
