import Foundation
public import InteractionMonitor

#if canImport(Glibc)
import Glibc
#endif

/// A parsed `postgres://user:password@host:port/database?schema=…&sslmode=…` store address.
///
/// The password never leaves this type in text: ``description`` (used in every message) shows
/// `postgres://user:***@host:port/database`. Without a password in the URL, `PGPASSWORD` from the environment is
/// used. Query parameters: `schema` (default `interaction_monitor`; lower-case letters, digits and `_`) names the
/// PostgreSQL schema holding the store, so several stores can share a database; `sslmode` is `disable` (default),
/// `prefer` or `require`; `connect_timeout` is in seconds (default 10).
public struct PostgresStoreURL: Sendable, CustomStringConvertible {
    /// Server host name or address.
    public var host: String
    /// Server port.
    public var port: Int
    /// Role to connect as.
    public var username: String
    /// The password (from the URL or `PGPASSWORD`); never printed.
    var password: String?
    /// The database.
    public var database: String
    /// The schema holding the store's tables.
    public var schema: String
    /// TLS: `disable`, `prefer` or `require`.
    public var sslMode: String
    /// Seconds to wait for a connection.
    public var connectTimeoutSeconds: Int

    /// The default schema name.
    public static let defaultSchema = "interaction_monitor"

    /// Whether `text` is a PostgreSQL URL (`postgres://` or `postgresql://`) rather than a directory.
    public static func isPostgresURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// Parses a URL.
    /// - Throws: `.configuration` naming what is wrong (with the password redacted).
    public init(_ text: String) throws {
        func fail(_ why: String) -> InteractionMonitorError {
            InteractionMonitorError(.configuration, "invalid PostgreSQL URL \(Self.redact(text)): \(why)")
        }
        guard let schemeEnd = text.range(of: "://"), Self.isPostgresURL(text) else {
            throw fail("expected postgres://user@host:port/database")
        }
        var rest = Substring(text[schemeEnd.upperBound...])
        var query: Substring = ""
        if let q = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: q)...]
            rest = rest[..<q]
        }
        var path: Substring = ""
        if let slash = rest.firstIndex(of: "/") {
            path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }
        var userInfo: Substring? = nil
        if let at = rest.lastIndex(of: "@") {
            userInfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
        }
        var username = ""
        var password: String? = nil
        if let userInfo {
            if let colon = userInfo.firstIndex(of: ":") {
                username = try Self.percentDecoded(userInfo[..<colon]) ?? { throw fail("bad percent escape") }()
                password = try Self.percentDecoded(userInfo[userInfo.index(after: colon)...]) ?? { throw fail("bad percent escape") }()
            } else {
                username = try Self.percentDecoded(userInfo) ?? { throw fail("bad percent escape") }()
            }
        }
        var host = ""
        var port = 5432
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw fail("unterminated [ in host") }
            host = String(rest[rest.index(after: rest.startIndex)..<close])
            let after = rest[rest.index(after: close)...]
            if after.hasPrefix(":") {
                guard let p = Int(after.dropFirst()), (1...65535).contains(p) else { throw fail("bad port") }
                port = p
            } else if !after.isEmpty {
                throw fail("unexpected text after host")
            }
        } else if let colon = rest.lastIndex(of: ":") {
            host = String(rest[..<colon])
            guard let p = Int(rest[rest.index(after: colon)...]), (1...65535).contains(p) else { throw fail("bad port") }
            port = p
        } else {
            host = String(rest)
        }
        if host.isEmpty { host = "localhost" }
        if username.isEmpty { username = Self.environment("PGUSER") ?? Self.environment("USER") ?? "postgres" }
        if password == nil { password = Self.environment("PGPASSWORD") }
        let database = try Self.percentDecoded(path) ?? { throw fail("bad percent escape") }()
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database.isEmpty ? username : database
        self.schema = Self.defaultSchema
        self.sslMode = "disable"
        self.connectTimeoutSeconds = 10
        for pair in query.split(separator: "&") where !pair.isEmpty {
            let kv = pair.split(separator: "=", maxSplits: 1)
            let key = String(kv[0])
            let value = kv.count > 1 ? (Self.percentDecoded(kv[1]) ?? "") : ""
            switch key {
            case "schema":
                guard Self.isValidIdentifier(value) else {
                    throw fail("schema must be 1-40 lower-case letters, digits or _, starting with a letter")
                }
                schema = value
            case "sslmode":
                guard ["disable", "prefer", "require"].contains(value) else {
                    throw fail("sslmode must be disable, prefer or require")
                }
                sslMode = value
            case "connect_timeout":
                guard let seconds = Int(value), (1...600).contains(seconds) else {
                    throw fail("connect_timeout must be 1-600 seconds")
                }
                connectTimeoutSeconds = seconds
            case "application_name":
                break
            default:
                throw fail("unknown parameter '\(key)' (known: schema, sslmode, connect_timeout)")
            }
        }
    }

    /// The same address for `tenant`: the schema `SCHEMA_t_NAME` beside the default tenant's `SCHEMA`, so each
    /// tenant has its own tables, partitions and blobs in the same database.
    public func forTenant(_ tenant: Tenant) -> PostgresStoreURL {
        guard !tenant.isDefault else { return self }
        var url = self
        url.schema = schema + "_t_" + tenant.name
        return url
    }

    /// `postgres://user:***@host:port/database` (the password replaced), plus a non-default schema.
    public var description: String {
        let hostPart = host.contains(":") ? "[\(host)]" : host
        let secret = password == nil ? "" : ":***"
        let schemaPart = schema == Self.defaultSchema ? "" : "?schema=\(schema)"
        return "postgres://\(username)\(secret)@\(hostPart):\(port)/\(database)\(schemaPart)"
    }

    /// `text` with any password between `//user:` and `@` replaced by `***` (for messages about unparseable URLs).
    public static func redact(_ text: String) -> String {
        guard let schemeEnd = text.range(of: "://") else { return text }
        let rest = text[schemeEnd.upperBound...]
        // A password may hold `/`, `?` or `#` unencoded: the credentials end at the last `@`, wherever it is
        // (hiding a little too much is the safe mistake).
        guard let at = rest.lastIndex(of: "@"), let colon = rest[..<at].firstIndex(of: ":") else {
            return text
        }
        return String(text[..<colon]) + ":***" + String(text[at...])
    }

    static func isValidIdentifier(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard (1...40).contains(u.count), (97...122).contains(u[0]) else { return false }
        return u.allSatisfy { (97...122).contains($0) || (48...57).contains($0) || $0 == UInt8(ascii: "_") }
    }

    static func percentDecoded(_ s: Substring) -> String? {
        var out: [UInt8] = []
        var u = Array(s.utf8)[...]
        while let c = u.popFirst() {
            if c == UInt8(ascii: "%") {
                guard u.count >= 2, let v = UInt8(String(decoding: u.prefix(2), as: UTF8.self), radix: 16) else {
                    return nil
                }
                out.append(v)
                u = u.dropFirst(2)
            } else {
                out.append(c)
            }
        }
        return String(validating: out, as: UTF8.self)
    }

    static func environment(_ name: String) -> String? {
        guard let v = getenv(name) else { return nil }
        let s = String(cString: v)
        return s.isEmpty ? nil : s
    }
}
