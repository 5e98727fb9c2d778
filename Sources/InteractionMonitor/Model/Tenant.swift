/// One app's share of a data directory, keys directory or PostgreSQL database.
///
/// Several apps can share one store: each tenant has its own keyring (data keys *and* hash keys, so one user id
/// gets unrelated pseudonyms in two tenants), its own day files, opt-out registry, derived files, privacy budget and
/// retention, and every sealed frame binds its tenant's name into the AEAD's additional data (SECURITY.md), so a
/// frame copied into another tenant's files fails authentication even under the same key.
///
/// The default tenant is the layout single-app installations have always had: the data directory and keys
/// directory themselves. A named tenant lives in `tenants/NAME/` under both, and in a PostgreSQL store in the
/// schema `SCHEMA_t_NAME` beside the default schema.
public struct Tenant: Hashable, Sendable, CustomStringConvertible {
    /// The tenant's name; `default` for the default tenant.
    public let name: String

    /// The tenant of installations that never name one.
    public static let `default` = Tenant(unchecked: defaultName)

    static let defaultName = "default"
    /// The subdirectory of the data and keys directories that holds named tenants.
    public static let directoryName = "tenants"
    /// Longest tenant name (keeps `SCHEMA_t_NAME` within PostgreSQL's 63-byte identifiers).
    public static let maximumNameLength = 20

    /// The tenant called `name`: 1–20 lower-case ASCII letters, digits or `_`, starting with a letter.
    /// `default` is the default tenant.
    /// - Throws: ``InteractionMonitorError`` `.configuration` for any other name.
    public init(_ name: String) throws {
        let bytes = Array(name.utf8)
        let valid =
            !bytes.isEmpty && bytes.count <= Self.maximumNameLength
            && (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(bytes[0])
            && bytes.allSatisfy { b in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(b) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b)
                    || b == UInt8(ascii: "_")
            }
        guard valid else {
            throw InteractionMonitorError(
                .configuration,
                "tenant name must be 1-\(Self.maximumNameLength) lower-case letters, digits or _, starting with a letter")
        }
        self.name = name
    }

    private init(unchecked name: String) { self.name = name }

    /// `name`, or the default tenant when `name` is `nil` or empty.
    public init(optional name: String?) throws {
        guard let name, !name.isEmpty else {
            self = .default
            return
        }
        try self.init(name)
    }

    /// `INTERACTION_MONITOR_TENANT`, else the default tenant.
    /// - Throws: `.configuration` when the variable holds an invalid name.
    public static func fromEnvironment() throws -> Tenant {
        try Tenant(optional: InteractionMonitor.Configuration.environment("INTERACTION_MONITOR_TENANT"))
    }

    /// Whether this is the default tenant.
    public var isDefault: Bool { name == Self.defaultName }

    /// The tenant's data directory inside the shared `base` data directory.
    public func dataDirectory(in base: String) -> String { subdirectory(of: base) }

    /// The tenant's keys directory inside the shared `base` keys directory.
    public func keysDirectory(in base: String) -> String { subdirectory(of: base) }

    private func subdirectory(of base: String) -> String {
        guard !isDefault else { return base }
        return (base.hasSuffix("/") ? base : base + "/") + Self.directoryName + "/" + name
    }

    /// What every sealed frame appends to its header bytes as AEAD additional data: nothing for the default
    /// tenant (so existing stores stay valid), else `"tenant"` ‖ one length byte ‖ the name's bytes.
    var additionalData: [UInt8] {
        guard !isDefault else { return [] }
        let bytes = Array(name.utf8)
        return Array("tenant".utf8) + [UInt8(bytes.count)] + bytes
    }

    public var description: String { name }
}
