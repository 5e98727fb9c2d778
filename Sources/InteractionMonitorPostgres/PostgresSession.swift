import Foundation
import InteractionMonitor
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
import Synchronization

/// One open connection, used synchronously: every call sends its query on the connection's event loop and blocks
/// the calling thread until the answer arrives (`EventLoopFuture.wait()`).
///
/// Blocking is safe from any thread that is not one of SwiftNIO's event loops — including a Swift concurrency
/// task such as the monitor's flush actor — because the query runs entirely on the event loop threads, never on
/// the cooperative pool: nothing the waiting thread holds is needed to finish it. Called on an event loop it
/// throws instead of deadlocking.
final class PostgresSession: Sendable {
    let connection: PostgresConnection
    /// The redacted store URL for messages.
    let location: String
    let logger: Logger

    init(connection: PostgresConnection, location: String, logger: Logger) {
        self.connection = connection
        self.location = location
        self.logger = logger
    }

    /// Runs `sql` with `binds` and returns every row.
    @discardableResult
    func query(_ sql: String, _ binds: PostgresBindings = PostgresBindings()) throws -> [PostgresRow] {
        try Self.checkNotOnEventLoop(location)
        do {
            return try connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger).wait().rows
        } catch {
            throw Self.translate(error, location: location)
        }
    }

    /// Runs statements separated by `;` (no binds, no `;` inside literals), one at a time: the extended query
    /// protocol takes one statement per query.
    func execute(_ sql: String) throws {
        for statement in sql.split(separator: ";") {
            let trimmed = statement.trimmingCharacters(in: .whitespacesAndNewlines)
            if !trimmed.isEmpty { try query(trimmed) }
        }
    }

    static func checkNotOnEventLoop(_ location: String) throws {
        if MultiThreadedEventLoopGroup.currentEventLoop != nil {
            throw InteractionMonitorError(
                .configuration,
                "the PostgreSQL store \(location) was called on a SwiftNIO event loop thread; call it from another thread or a Task")
        }
    }

    /// Text from the server made safe for a terminal and one line: control characters (escape sequences, line
    /// breaks) become spaces, and it is cut at `limit` characters.
    static func printable(_ text: String, limit: Int) -> String {
        var out = String(text.unicodeScalars.map { $0.properties.generalCategory == .control || $0.value == 0x7F ? " " : Character($0) })
        if out.count > limit { out = String(out.prefix(limit)) + "…" }
        return out
    }

    /// A one-line message with the server's message and SQLSTATE or the connection problem; never the query's
    /// binds or a password.
    static func translate(_ error: any Error, location: String) -> any Error {
        if error is InteractionMonitorError { return error }
        if let e = error as? PSQLError {
            if e.code == .server, let info = e.serverInfo {
                let state = Self.printable(info[.sqlState] ?? "?", limit: 8)
                let message =
                    state == "55P03"
                    ? "a lock was held by another session for longer than the lock timeout (an operator's lock?); nothing was written"
                    : Self.printable(info[.message] ?? "server error", limit: 300)
                return PostgresStoreError(
                    sqlState: state,
                    base: InteractionMonitorError(.storage, "PostgreSQL \(location): \(message) (SQLSTATE \(state))"))
            }
            let underlying = e.underlying.map { ": \($0)" } ?? ""
            return PostgresStoreError(
                sqlState: nil,
                base: InteractionMonitorError(.storage, "PostgreSQL \(location): \(e.code)\(underlying)"),
                connectionLost: true)
        }
        return PostgresStoreError(
            sqlState: nil, base: InteractionMonitorError(.storage, "PostgreSQL \(location): \(error)"),
            connectionLost: true)
    }
}

/// A failure talking to the server, carried as an ``InteractionMonitorError`` by the store's public API.
struct PostgresStoreError: Error {
    var sqlState: String?
    var base: InteractionMonitorError
    /// Whether the connection is unusable afterwards (network error, server gone) rather than a statement failing.
    var connectionLost = false

    /// `42P01`: the day's partition does not exist (removed by another process).
    var isUndefinedTable: Bool { sqlState == "42P01" }
}

/// A small pool of sessions, reconnecting by itself: a session whose connection failed is closed and dropped,
/// and the next call opens a new one.
final class PostgresSessionPool: Sendable {
    let url: PostgresStoreURL
    let group: any EventLoopGroup
    let logger: Logger
    private let idle = Mutex<[PostgresSession]>([])
    private let nextID = Mutex(0)
    /// Idle sessions kept open at most (more are closed when returned).
    let maximumIdle = 4

    init(url: PostgresStoreURL, group: any EventLoopGroup, logger: Logger) {
        self.url = url
        self.group = group
        self.logger = logger
    }

    /// Runs `body` with a session of its own, returned to the pool afterwards unless its connection failed.
    func withSession<R>(_ body: (PostgresSession) throws -> R) throws -> R {
        let session = try checkOut()
        do {
            let result = try body(session)
            checkIn(session)
            return result
        } catch {
            if (error as? PostgresStoreError)?.connectionLost == true || session.connection.isClosed {
                discard(session)
            } else {
                checkIn(session)
            }
            throw error
        }
    }

    func checkOut() throws -> PostgresSession {
        while let s = idle.withLock({ $0.popLast() }) {
            if !s.connection.isClosed { return s }
            discard(s)
        }
        return try connect()
    }

    func checkIn(_ session: PostgresSession) {
        guard !session.connection.isClosed else { return }
        let keep = idle.withLock { list -> Bool in
            guard list.count < maximumIdle else { return false }
            list.append(session)
            return true
        }
        if !keep { discard(session) }
    }

    func discard(_ session: PostgresSession) {
        // The callback keeps the connection alive until it is closed (PostgresNIO asserts on an open one's deinit).
        let connection = session.connection
        connection.close().whenComplete { _ in withExtendedLifetime(connection) {} }
    }

    /// Starts closing every idle session without waiting (safe on any thread).
    func closeIdle() {
        let all = idle.withLock { list -> [PostgresSession] in
            defer { list.removeAll() }
            return list
        }
        for s in all { discard(s) }
    }

    /// Closes every idle session and waits.
    func shutdown() {
        let all = idle.withLock { list -> [PostgresSession] in
            defer { list.removeAll() }
            return list
        }
        for s in all { _ = try? s.connection.close().wait() }
    }

    private func connect() throws -> PostgresSession {
        try PostgresSession.checkNotOnEventLoop(url.description)
        var configuration = PostgresConnection.Configuration(
            host: url.host, port: url.port, username: url.username, password: url.password,
            database: url.database, tls: try Self.tls(url))
        configuration.options.connectTimeout = .seconds(Int64(url.connectTimeoutSeconds))
        configuration.options.additionalStartupParameters = [("application_name", "interaction-monitor")]
        let id = nextID.withLock { n -> Int in
            n += 1
            return n
        }
        do {
            let connection = try PostgresConnection.connect(
                on: group.next(), configuration: configuration, id: id, logger: logger
            ).wait()
            return PostgresSession(connection: connection, location: url.description, logger: logger)
        } catch {
            let reason: String
            if let e = error as? PSQLError {
                if e.code == .server, let info = e.serverInfo {
                    reason = "\(PostgresSession.printable(info[.message] ?? "refused", limit: 300)) (SQLSTATE \(PostgresSession.printable(info[.sqlState] ?? "?", limit: 8)))"
                } else {
                    reason = e.underlying.map { "\($0)" } ?? "\(e.code)"
                }
            } else {
                reason = "\(error)"
            }
            throw PostgresStoreError(
                sqlState: nil,
                base: InteractionMonitorError(.storage, "cannot connect to \(url.description): \(reason)"),
                connectionLost: true)
        }
    }

    static func tls(_ url: PostgresStoreURL) throws -> PostgresConnection.Configuration.TLS {
        switch url.sslMode {
        case "disable": return .disable
        default:
            do {
                let context = try NIOSSLContext(configuration: .makeClientConfiguration())
                return url.sslMode == "require" ? .require(context) : .prefer(context)
            } catch {
                throw InteractionMonitorError(.configuration, "cannot set up TLS for \(url.description): \(error)")
            }
        }
    }
}
