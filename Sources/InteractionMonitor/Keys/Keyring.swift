internal import MonitorCrypto

/// The versioned keys of one installation: data keys (one active, older ones decrypt-only) and hash keys
/// (pseudonymisation). The on-disk format is specified in `keys/README.md`.
///
/// A keyring never prints key bytes: `description` lists ids and statuses only.
public final class Keyring: Sendable, CustomStringConvertible {
    /// All keys, in file order.
    public let entries: [KeyringEntry]
    /// The directory the keyring was loaded from (`nil` for in-memory keyrings).
    public let directory: String?
    /// The tenant whose keys these are (recorded in the file; see ``Tenant``). Every frame sealed or opened with
    /// this keyring binds the tenant's name into its additional data.
    public let tenant: Tenant

    let activeData: KeyringEntry
    let activeHash: KeyringEntry
    private let dataByID: [KeyID: KeyringEntry]
    /// The sealing the file was loaded with (or will be written with); `nil` for a plain format-1 file.
    let sealing: KeyringSealing?

    init(entries: [KeyringEntry], directory: String?, sealing: KeyringSealing? = nil, tenant: Tenant = .default) throws {
        let activeData = entries.filter { $0.purpose == .data && $0.status == .active }
        let activeHash = entries.filter { $0.purpose == .hash && $0.status == .active }
        guard activeData.count == 1, let d = activeData.first, d.key != nil else {
            throw InteractionMonitorError(
                .keyringMalformed, "keyring must have exactly one active data key (found \(activeData.count))")
        }
        guard activeHash.count == 1, let h = activeHash.first, h.key != nil else {
            throw InteractionMonitorError(
                .keyringMalformed, "keyring must have exactly one active hash key (found \(activeHash.count))")
        }
        var byID: [KeyID: KeyringEntry] = [:]
        for e in entries {
            if e.status != .retired && e.key == nil {
                throw InteractionMonitorError(.keyringMalformed, "key \(e.id) is \(e.status.rawValue) but has no key bytes")
            }
            if e.status == .retired && e.key != nil {
                throw InteractionMonitorError(.keyringMalformed, "key \(e.id) is retired but still holds key bytes")
            }
            let expected = e.purpose == .data ? AEAD.keyLength : KeyedHash.keyLength
            if let k = e.key, k.count != expected {
                throw InteractionMonitorError(.keyringMalformed, "key \(e.id) has \(k.count) bytes, expected \(expected)")
            }
            guard !entries.contains(where: { $0.id == e.id && $0.purpose != e.purpose }),
                entries.filter({ $0.id == e.id }).count == 1
            else {
                throw InteractionMonitorError(.keyringMalformed, "key id \(e.id) appears more than once")
            }
            if e.purpose == .data { byID[e.id] = e }
        }
        self.entries = entries
        self.directory = directory
        self.activeData = d
        self.activeHash = h
        self.dataByID = byID
        self.sealing = sealing
        self.tenant = tenant
    }

    /// How the keyring file is protected at rest.
    public var protection: KeyringProtection { sealing?.protection ?? .permissions }

    /// The data key and hash key entries, by id.
    public func entry(_ id: KeyID) -> KeyringEntry? { entries.first { $0.id == id } }

    /// The id of the data key new segments are sealed under.
    public var activeDataKeyID: KeyID { activeData.id }
    /// The id of the hash key user ids are pseudonymised under.
    public var activeHashKeyID: KeyID { activeHash.id }

    /// The data key with this id, if the keyring holds its bytes.
    func dataKey(_ id: KeyID) -> SecretKey? { dataByID[id]?.key }

    /// Hash keys whose bytes are held (active first), for pseudonymising under every epoch still in use.
    var usableHashKeys: [(id: KeyID, key: SecretKey)] {
        let all = entries.filter { $0.purpose == .hash && $0.key != nil }
            .sorted { a, b in (a.status == .active ? 0 : 1) < (b.status == .active ? 0 : 1) }
        return all.map { ($0.id, $0.key!) }
    }

    var activeDataKey: SecretKey { activeData.key! }
    var activeHashKey: SecretKey { activeHash.key! }

    /// A fresh in-memory keyring with one random data key and one random hash key, for `tenant`.
    public static func generate(directory: String? = nil, tenant: Tenant = .default) throws -> Keyring {
        let now = Timestamp.now()
        do {
            return try Keyring(
                entries: [
                    KeyringEntry(
                        id: try KeyID.random(), purpose: .data, created: now, status: .active,
                        key: try SecretKey(randomCount: AEAD.keyLength)),
                    KeyringEntry(
                        id: try KeyID.random(), purpose: .hash, created: now, status: .active,
                        key: try SecretKey(randomCount: KeyedHash.keyLength)),
                ],
                directory: directory, tenant: tenant)
        } catch let error as InteractionMonitorError {
            throw error
        } catch {
            throw InteractionMonitorError(.cryptoFailure, "cannot generate keys: \(error)")
        }
    }

    public var description: String {
        "Keyring(" + (tenant.isDefault ? "" : "tenant \(tenant); ") + entries.map(\.description).joined(separator: "; ") + ")"
    }
}

extension Keyring {
    /// A deterministic keyring derived from `seed` — for tests only (the test kit's `TestKeyring`).
    package static func deterministic(seed: UInt8, tenant: Tenant = .default) throws -> Keyring {
        let created = Timestamp(microsecondsSinceEpoch: 1_700_000_000_000_000)
        let dataKey = try SecretKey(copying: (0..<32).map { UInt8(truncatingIfNeeded: Int($0) &* 7 &+ Int(seed)) })
        let hashKey = try SecretKey(copying: (0..<32).map { UInt8(truncatingIfNeeded: Int($0) &* 13 &+ Int(seed) &+ 1) })
        return try Keyring(
            entries: [
                KeyringEntry(
                    id: KeyID(bytes: [0x7e, 0x57, 0, 0, 0, 0, 0xda, seed])!, purpose: .data, created: created,
                    status: .active, key: dataKey),
                KeyringEntry(
                    id: KeyID(bytes: [0x7e, 0x57, 0, 0, 0, 0, 0x4a, seed])!, purpose: .hash, created: created,
                    status: .active, key: hashKey),
            ], directory: nil, tenant: tenant)
    }
}
