import Foundation
public import InteractionMonitor
import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import Synchronization

/// A ``SegmentStore`` in a PostgreSQL database, for many hosts writing one store.
///
/// ```swift
/// let store = try PostgresSegmentStore("postgres://monitor@db.internal/telemetry")
/// let monitor = try InteractionMonitor(configuration: .init(), store: store, keyring: keyring)
/// ```
///
/// - The server only ever holds sealed segments (the same authenticated envelopes as a day file) and the columns
///   listed in ``PostgresSchema``; keys stay with the clients, which seal before writing and open after reading.
/// - Each day is a partition of `segments`, created on first write; removing a day (retention, `forget` of every
///   record) drops its partition.
/// - ``withExclusiveAccess(to:create:_:)`` is one transaction holding `pg_advisory_xact_lock` on the store and
///   day, so writers on any number of hosts serialise per day, and every change made inside it — frames and the
///   manifest — commits together or not at all.
/// - Writes carry the writer's id and record sequence numbers (``WriteOrigin``): a flush retried after an error
///   whose outcome was unknown skips what the earlier attempt committed, so nothing is stored twice.
/// - An unreachable server makes calls throw `.storage`; the next call connects again.
///
/// The protocol is synchronous: each call blocks its thread until the server answers. Call it from any thread
/// or task except a SwiftNIO event loop (where it throws instead of deadlocking).
public final class PostgresSegmentStore: SegmentStore {
    /// The store's address (its ``PostgresStoreURL/description`` hides the password).
    public let url: PostgresStoreURL
    let pool: PostgresSessionPool
    /// The quoted schema name.
    let schema: String
    private let migrated = Mutex(false)
    /// Days emptied by ``DayAccess/remove()`` whose partitions are to be dropped once their transaction commits.
    let emptiedDays = Mutex(Set<Day>())

    /// A store at `url`. Connects lazily: the first call connects and applies missing schema migrations.
    public convenience init(url: PostgresStoreURL) { self.init(url: url, lockTimeoutMilliseconds: 30_000) }

    /// A store whose transactions wait at most `lockTimeoutMilliseconds` for a lock (tests use a short one).
    init(url: PostgresStoreURL, lockTimeoutMilliseconds: Int) {
        self.lockTimeoutMilliseconds = max(1, lockTimeoutMilliseconds)
        self.url = url
        self.schema = Self.quote(url.schema)
        self.pool = PostgresSessionPool(
            url: url, group: MultiThreadedEventLoopGroup.singleton,
            logger: Logger(label: "InteractionMonitorPostgres", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    /// `tenant`'s store at a `postgres://` URL: the URL's schema for the default tenant, `SCHEMA_t_NAME` for a named
    /// one (see ``PostgresStoreURL/forTenant(_:)``).
    /// - Throws: `.configuration` for a malformed URL.
    public convenience init(_ url: String, tenant: Tenant = .default) throws {
        self.init(url: try PostgresStoreURL(url).forTenant(tenant))
    }

    deinit { pool.closeIdle() }

    /// Connects now and applies missing schema migrations (otherwise the first call does).
    public func open() throws {
        try publicErrors { try pool.withSession { try ready($0) } }
    }

    /// Closes the idle connections (calls made afterwards connect again).
    public func close() { pool.shutdown() }

    /// The schema version the database holds.
    public func schemaVersion() throws -> Int {
        try publicErrors {
            try pool.withSession { s in
                try ready(s)
                let rows = try s.query("SELECT coalesce(max(version), 0)::int8 FROM \(schema).schema_version")
                return Int(try rows.first?.decode(Int64.self) ?? 0)
            }
        }
    }

    public var location: String { url.description }

    /// The partition of `day`: `segments_YYYY_MM_DD`.
    public func name(of day: Day) -> String { "segments_" + day.description.replacingOccurrences(of: "-", with: "_") }

    /// `"schema"."segments_YYYY_MM_DD"`.
    func partition(_ day: Day) -> String { schema + "." + Self.quote(name(of: day)) }

    // MARK: Day access

    public func withExclusiveAccess<R>(to day: Day, create: Bool, _ body: (any DayAccess) throws -> R) throws -> R? {
        try Self.checkStorable(day)
        return try publicErrors {
            if let session = ambientSession {
                // Nested in another exclusive access or blob update of this store: same transaction.
                try lockDay(day, session)
                if try !partitionExists(day, session) {
                    guard create else { return nil }
                    try session.query(createPartitionSQL(day))
                }
                return try body(PostgresDayAccess(store: self, session: session, day: day))
            }
            for _ in 0..<5 {
                // Empty: the partition was gone once the lock was held; one element: the body's result.
                let outcome: [R] = try pool.withSession { session in
                    try ready(session)
                    if create { try ensurePartition(day, session) }
                    return try transaction(session) {
                        try lockDay(day, session)
                        // Retention in another process may have dropped the partition before we got the lock.
                        guard try partitionExists(day, session) else { return [] }
                        return [try body(PostgresDayAccess(store: self, session: session, day: day))]
                    }
                }
                if let result = outcome.first {
                    dropEmptyPartitions()
                    return result
                }
                if !create { return nil }
            }
            throw InteractionMonitorError(.storage, "\(location): the partition of \(day) keeps disappearing while being written")
        }
    }

    public func days() throws -> [Day] {
        try publicErrors {
            try readSession { s in
                var b = PostgresBindings()
                b.append(schema + ".segments")
                let rows = try s.query(
                    """
                    SELECT c.relname::text FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid
                    WHERE i.inhparent = to_regclass($1)
                    """, b)
                let partitions = try rows.compactMap { row -> Day? in
                    let name = try row.decode(String.self)
                    guard name.hasPrefix("segments_") else { return nil }
                    return Day(String(name.dropFirst("segments_".count)).replacingOccurrences(of: "_", with: "-"))
                }.sorted()
                // Only partitions holding rows: one emptied by a removal whose drop has not happened yet is no day.
                var days: [Day] = []
                for chunk in stride(from: 0, to: partitions.count, by: 200).map({ partitions[$0..<min($0 + 200, partitions.count)] }) {
                    let sql = chunk.map { "SELECT \($0.daysSinceEpoch) WHERE EXISTS (SELECT 1 FROM \(partition($0)))" }
                        .joined(separator: " UNION ALL ")
                    days += try s.query(sql).map { Day(daysSinceEpoch: try $0.decode(Int32.self)) }
                }
                return days.sorted()
            }
        }
    }

    public func scan(day: Day, _ body: (ScannedItem) throws -> Void) throws {
        try Self.checkStorable(day)
        try publicErrors {
            if let session = ambientSession {
                return try PostgresDayAccess(store: self, session: session, day: day).scan(body)
            }
            try pool.withSession { session in
                try ready(session)
                // One snapshot for every page: a consistent view while other hosts append or rewrite the day.
                try session.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                do {
                    try PostgresDayAccess(store: self, session: session, day: day).scan(body)
                    try session.execute("COMMIT")
                } catch {
                    if (error as? PostgresStoreError)?.connectionLost != true { _ = try? session.execute("ROLLBACK") }
                    throw error
                }
            }
        }
    }

    public func byteCount(of day: Day) -> Int64? {
        guard (try? Self.checkStorable(day)) != nil else { return nil }
        return try? readSession { s in
            guard try partitionExists(day, s) else { return nil }
            let rows = try s.query("SELECT coalesce(sum(frame_bytes), 0)::int8 FROM \(partition(day))")
            return try rows.first?.decode(Int64.self)
        }
    }

    // MARK: Blobs

    public func readBlob(named name: String) throws -> [UInt8]? {
        try publicErrors {
            try readSession { s in try blob(name, s) }
        }
    }

    public func updateBlob(named name: String, _ transform: ([UInt8]?) throws -> [UInt8]?) throws {
        try publicErrors {
            if let session = ambientSession { return try update(name, session, transform) }
            try pool.withSession { session in
                try ready(session)
                try transaction(session) { try update(name, session, transform) }
            }
        }
    }

    /// Replaces a blob under its advisory lock, inside the caller's transaction.
    private func update(_ name: String, _ s: PostgresSession, _ transform: ([UInt8]?) throws -> [UInt8]?) throws {
        var b = PostgresBindings()
        b.append("interaction-monitor-blob:" + url.schema)
        b.append(name)
        try s.query("SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))", b)
        guard let new = try transform(try blob(name, s)) else { return }
        var u = PostgresBindings()
        u.append(name)
        u.append(ByteBuffer(bytes: new))
        try s.query(
            "INSERT INTO \(schema).blobs (name, data) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET data = EXCLUDED.data", u)
    }

    public func removeBlob(named name: String) throws {
        try publicErrors {
            try writeSession { s in
                var b = PostgresBindings()
                b.append(name)
                try s.query("DELETE FROM \(schema).blobs WHERE name = $1", b)
            }
        }
    }

    public func blobNames() throws -> [String] {
        try publicErrors {
            try readSession { s in
                try s.query("SELECT name FROM \(schema).blobs ORDER BY name COLLATE \"C\"").map { try $0.decode(String.self) }
            }
        }
    }

    // MARK: Sessions and transactions

    /// The session of the transaction this thread or task is inside, for this store.
    var ambientSession: PostgresSession? { AmbientTransaction.sessions[ObjectIdentifier(self)] }

    /// Runs `body` in a transaction on `session`, with `session` as this store's ambient transaction so nested
    /// calls (the manifest update inside a day's access) join it. Rolls back when `body` throws.
    /// How long a transaction waits for a lock (a day's, the manifest's, a table's) before it fails with a clear
    /// error instead of hanging behind a session that holds it.
    let lockTimeoutMilliseconds: Int

    func transaction<R>(_ session: PostgresSession, _ body: () throws -> R) throws -> R {
        try session.execute("BEGIN")
        try session.execute("SET LOCAL lock_timeout = \(lockTimeoutMilliseconds)")
        do {
            var sessions = AmbientTransaction.sessions
            sessions[ObjectIdentifier(self)] = session
            let result = try AmbientTransaction.$sessions.withValue(sessions) { try body() }
            try session.execute("COMMIT")
            return result
        } catch {
            if (error as? PostgresStoreError)?.connectionLost != true { _ = try? session.execute("ROLLBACK") }
            throw error
        }
    }

    /// The ambient transaction's session, or a pooled one (autocommit).
    func readSession<R>(_ body: (PostgresSession) throws -> R) throws -> R {
        if let session = ambientSession { return try body(session) }
        return try pool.withSession { session in
            try ready(session)
            return try body(session)
        }
    }

    func writeSession<R>(_ body: (PostgresSession) throws -> R) throws -> R { try readSession(body) }

    /// Applies migrations once per store instance.
    func ready(_ session: PostgresSession) throws {
        guard !migrated.withLock({ $0 }) else { return }
        try PostgresSchema.migrate(session, schema: url.schema)
        migrated.withLock { $0 = true }
    }

    func blob(_ name: String, _ s: PostgresSession) throws -> [UInt8]? {
        var b = PostgresBindings()
        b.append(name)
        let rows = try s.query("SELECT data FROM \(schema).blobs WHERE name = $1", b)
        return try rows.first.map { Array(try $0.decode(ByteBuffer.self).readableBytesView) }
    }

    func lockDay(_ day: Day, _ s: PostgresSession) throws {
        var b = PostgresBindings()
        b.append("interaction-monitor-day:" + url.schema)
        b.append(day.daysSinceEpoch)
        try s.query("SELECT pg_advisory_xact_lock(hashtext($1), $2)", b)
    }

    func partitionExists(_ day: Day, _ s: PostgresSession) throws -> Bool {
        var b = PostgresBindings()
        b.append(partition(day))
        let rows = try s.query("SELECT to_regclass($1) IS NOT NULL", b)
        return try rows.first?.decode(Bool.self) ?? false
    }

    func createPartitionSQL(_ day: Day) -> String {
        "CREATE TABLE IF NOT EXISTS \(partition(day)) PARTITION OF \(schema).segments FOR VALUES IN ('\(day)')"
    }

    /// Creates the day's partition in a short transaction of its own, before the day's lock is taken: DDL on the
    /// parent table inside a day's transaction could wait on a retention transaction that waits on us.
    func ensurePartition(_ day: Day, _ s: PostgresSession) throws {
        guard try !partitionExists(day, s) else { return }
        try transaction(s) {
            var b = PostgresBindings()
            b.append("interaction-monitor-create:" + url.schema)
            b.append(day.daysSinceEpoch)
            try s.query("SELECT pg_advisory_xact_lock(hashtext($1), $2)", b)
            try s.query(createPartitionSQL(day))
        }
    }

    /// Drops the partitions of days emptied by committed removals, each in a short transaction of its own under
    /// the day's lock, if still empty. Best effort: a partition left behind (lock timeout) is empty, so it is no
    /// day (``days()``), and the next removal of that day drops it.
    func dropEmptyPartitions() {
        let days = emptiedDays.withLock { d -> Set<Day> in
            defer { d.removeAll() }
            return d
        }
        for day in days.sorted() {
            try? pool.withSession { s in
                try transaction(s) {
                    try s.query("SET LOCAL lock_timeout = '10s'")
                    try lockDay(day, s)
                    guard try partitionExists(day, s) else { return }
                    let empty = try s.query("SELECT NOT EXISTS (SELECT 1 FROM \(partition(day)))")
                    if try empty.first?.decode(Bool.self) == true { try s.query("DROP TABLE \(partition(day))") }
                }
            }
        }
    }

    /// Days PostgreSQL's `date` and our partition names hold: years 1 to 9999.
    static func checkStorable(_ day: Day) throws {
        let d = day.description
        guard d.utf8.count == 10, d.utf8.first != UInt8(ascii: "-"), !d.hasPrefix("0000") else {
            throw InteractionMonitorError(.invalidInput, "day \(day) is outside the years 1-9999 a PostgreSQL store holds")
        }
    }

    /// A double-quoted SQL identifier.
    static func quote(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Runs `body`, turning internal connection errors into ``InteractionMonitorError``.
    func publicErrors<R>(_ body: () throws -> R) throws -> R {
        do {
            return try body()
        } catch let e as PostgresStoreError {
            throw e.base
        }
    }
}

/// The PostgreSQL transaction the current thread or task is inside, per store, so that store calls made inside
/// ``PostgresSegmentStore/withExclusiveAccess(to:create:_:)`` (the manifest update) join it.
enum AmbientTransaction {
    @TaskLocal static var sessions: [ObjectIdentifier: PostgresSession] = [:]
}
