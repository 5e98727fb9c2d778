#if canImport(Glibc)
import Glibc
#endif
internal import MonitorCrypto

/// The stores that use a keys directory: `stores` in the keys directory, one line per store,
/// `<store id hex> <kind> <location>` (`file` and an absolute data directory, or `postgresql` and the database's
/// name without credentials). A store registers itself when it is first written; `keys retire` checks every
/// registered store before it erases a key, so a second data directory sharing the keyring is never left with
/// segments no key opens.
public struct StoreRegister: Sendable, Hashable {
    /// One registered store.
    public struct Entry: Sendable, Hashable {
        /// The store's id (hex).
        public var id: String
        /// `file` or `postgresql`.
        public var kind: String
        /// The data directory, or the database without credentials.
        public var location: String
    }

    static let fileName = "stores"

    /// The registered stores, in registration order.
    public var entries: [Entry] = []

    /// The register of the keys directory `directory` (empty when none exists).
    public static func load(directory: String) throws -> StoreRegister {
        let path = directory + "/" + fileName
        guard POSIX.existsNoFollow(path) else { return StoreRegister() }
        let bytes = try POSIX.readFile(path, limit: 16 << 20, code: .configuration)
        var r = StoreRegister()
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") where !line.hasPrefix("#") {
            let f = line.split(separator: " ", maxSplits: 2)
            guard f.count == 3 else { continue }
            r.entries.append(Entry(id: String(f[0]), kind: String(f[1]), location: String(f[2])))
        }
        return r
    }

    /// Registers the store `id` at `location` (idempotent), under the keyring's lock.
    static func register(id: [UInt8], kind: String, location: String, directory: String) throws {
        let hex = Hex.encode(id)
        try Keyring.withLock(directory: directory) {
            let current = try load(directory: directory)
            guard !current.entries.contains(where: { $0.id == hex && $0.location == location }) else { return }
            var text = "# InteractionMonitor: the stores that use this keys directory (id kind location)\n"
            for e in current.entries { text += "\(e.id) \(e.kind) \(e.location)\n" }
            text += "\(hex) \(kind) \(location)\n"
            try POSIX.writeAtomically(Array(text.utf8), to: directory + "/" + fileName, directory: directory)
        }
    }

    /// Registers `store` with the keys directory of `keyring` (when the keyring was loaded from a directory).
    static func register(store: any SegmentStore, id: [UInt8], keyring: Keyring) {
        guard let directory = keyring.directory else { return }
        let (kind, location) = describe(store)
        // Registration must not stop a write: a failure is retried by the next store that is created or upgraded,
        // and `keys retire` also checks the store it is run against.
        try? register(id: id, kind: kind, location: location, directory: directory)
    }

    /// The id registered for `store`'s location in the keys directory of `keyring`, when there is one.
    static func registeredID(of store: any SegmentStore, keyring: Keyring) -> String? {
        guard let directory = keyring.directory, let register = try? load(directory: directory) else { return nil }
        let (kind, location) = describe(store)
        return register.entries.last { $0.kind == kind && $0.location == location }?.id
    }

    /// How journal entries and the register name `store`: `file:<absolute data directory>` or
    /// `postgresql:<database without credentials>`.
    public static func label(of store: any SegmentStore) -> String {
        let (kind, location) = describe(store)
        return kind + ":" + location
    }

    static func describe(_ store: any SegmentStore) -> (kind: String, location: String) {
        if let f = store as? FileSegmentStore { return ("file", POSIX.absolutePath(f.directory)) }
        return ("postgresql", store.location)
    }
}
