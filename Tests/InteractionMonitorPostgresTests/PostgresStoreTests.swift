import Foundation
import InteractionMonitor
import InteractionMonitorPostgres
import InteractionMonitorTestKit
import Synchronization
import Testing

/// A monitor writing to `store` with the fixed test keyring and clock.
func testMonitor(
    _ store: any SegmentStore, clock: TestClock = TestClock(), configure: (inout InteractionMonitor.Configuration) -> Void = { _ in }
) throws -> InteractionMonitor {
    var c = InteractionMonitor.Configuration(dataDirectory: "unused", keysDirectory: "unused")
    c.now = clock.now
    c.retentionDays = nil
    configure(&c)
    return try InteractionMonitor(configuration: c, store: store, keyring: try TestKeyring.make())
}

func record(_ monitor: InteractionMonitor, _ count: Int, prefix: String) {
    for n in 0..<count {
        monitor.record(.cliCommand, command: "\(prefix)-\(n)", status: .success, durationMs: Double(n), userID: "user-\(n % 5)")
    }
}

func storedCommands(_ store: any SegmentStore) throws -> (commands: [String], report: StoreReport) {
    var commands: [String] = []
    let report = try DecryptingReader(store: store, keyring: try TestKeyring.make()).read { commands.append($0.command) }
    return (commands, report)
}

@Suite("PostgreSQL store", .enabled(if: TestDatabase.available, TestDatabase.skipReason))
struct PostgresStoreTests {
    @Test("monitor → PostgreSQL → DecryptingReader round trip, from the monitor's flush actor")
    func roundTrip() async throws {
        let store = try TestDatabase.freshStore()
        defer { try? store.dropSchema() }
        let monitor = try testMonitor(store) { $0.batchSize = 7 }
        record(monitor, 100, prefix: "deploy")
        try await monitor.flush()
        record(monitor, 23, prefix: "build")
        try await monitor.flush()
        let (commands, report) = try storedCommands(store)
        #expect(commands == (0..<100).map { "deploy-\($0)" } + (0..<23).map { "build-\($0)" })
        #expect(!report.hasErrors)
        #expect(report.segmentsVerified == 15 + 4)
        #expect(try store.schemaVersion() == 1)
        #expect(try store.blobNames().contains("manifest.enc"))
        let verify = try DecryptingReader(store: store, keyring: try TestKeyring.make()).verify()
        #expect(!verify.hasErrors, "\(verify.issues)")
    }

    @Test("a flush retried after its commit's acknowledgement was lost stores nothing twice")
    func retriedFlushIsNotDuplicated() async throws {
        let pg = try TestDatabase.freshStore()
        defer { try? pg.dropSchema() }
        let store = LostAcknowledgementStore(pg)
        let monitor = try testMonitor(store) { $0.batchSize = 10 }
        record(monitor, 35, prefix: "first")
        store.loseNextAcknowledgement()
        await #expect(throws: InteractionMonitorError.self) { try await monitor.flush() }
        // The records were committed, but the monitor saw an error: they are still buffered, and more arrive.
        #expect(monitor.statistics().buffered == 35)
        record(monitor, 12, prefix: "second")
        try await monitor.flush()
        let (commands, report) = try storedCommands(pg)
        #expect(commands == (0..<35).map { "first-\($0)" } + (0..<12).map { "second-\($0)" })
        #expect(!report.hasErrors)
        let rows = try pg.administrativeQuery(
            "SELECT count(*)::text, count(DISTINCT writer_id)::text FROM \(schemaOf(pg)).segments")
        #expect(rows.first == ["6", "1"])
    }

    @Test("a day's retention drops its partition")
    func retentionDropsPartitions() async throws {
        let store = try TestDatabase.freshStore()
        defer { try? store.dropSchema() }
        let clock = TestClock(start: Timestamp(iso8601: "2026-06-30T12:00:00Z")!)
        let monitor = try testMonitor(store, clock: clock)
        for daysAgo in [100, 40, 0] {
            monitor.record(
                .cliCommand, command: "old-\(daysAgo)", status: .success, durationMs: 1,
                timestamp: Timestamp(microsecondsSinceEpoch: clock.now().microsecondsSinceEpoch - Int64(daysAgo) * 86_400_000_000))
        }
        try await monitor.flush()
        #expect(try store.days().map(\.description) == ["2026-03-22", "2026-05-21", "2026-06-30"])
        let report = try StoreAdministrator(store: store, keyring: try TestKeyring.make()).applyRetention(days: 30, now: clock.now())
        #expect(report.filesRemoved == ["segments_2026_03_22", "segments_2026_05_21"])
        #expect(try store.days().map(\.description) == ["2026-06-30"])
        let tables = try store.administrativeQuery(
            "SELECT c.relname::text FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = to_regclass('\(schemaOf(store)).segments') ORDER BY 1")
        #expect(tables == [["segments_2026_06_30"]])
        let (commands, verify) = try storedCommands(store)
        #expect(commands == ["old-0"])
        #expect(!verify.hasErrors, "\(verify.issues)")
    }

    @Test("an altered frame in the database fails verification")
    func tamperingIsDetected() async throws {
        let store = try TestDatabase.freshStore()
        defer { try? store.dropSchema() }
        let monitor = try testMonitor(store) { $0.batchSize = 5 }
        record(monitor, 20, prefix: "x")
        try await monitor.flush()
        _ = try store.administrativeQuery(
            "UPDATE \(schemaOf(store)).segments SET frame = overlay(frame placing '\\xff'::bytea from 100 for 1) WHERE seg_index = 2")
        let report = try DecryptingReader(store: store, keyring: try TestKeyring.make()).verify()
        #expect(report.hasErrors)
        #expect(report.segmentsVerified == 3)
    }

    @Test("many processes opening a new store at once apply the schema once")
    func concurrentOpen() throws {
        let name = TestDatabase.freshSchemaName()
        let failures = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            do {
                try PostgresSegmentStore(TestDatabase.url(schema: name)).open()
            } catch {
                failures.withLock { $0 += 1 }
            }
        }
        let store = try PostgresSegmentStore(TestDatabase.url(schema: name))
        defer { try? store.dropSchema() }
        #expect(failures.withLock { $0 } == 0)
        #expect(try store.schemaVersion() == 1)
        #expect(try store.administrativeQuery("SELECT count(*)::text FROM \(schemaOf(store)).schema_version") == [["1"]])
    }

    @Test("monitors flushing concurrently from tasks never deadlock")
    func concurrentTasks() async throws {
        let store = try TestDatabase.freshStore()
        defer { try? store.dropSchema() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for t in 0..<6 {
                group.addTask {
                    let monitor = try testMonitor(store) { $0.batchSize = 3 }
                    for round in 0..<5 {
                        record(monitor, 4, prefix: "t\(t)-r\(round)")
                        try await monitor.flush()
                    }
                }
            }
            try await group.waitForAll()
        }
        let (commands, report) = try storedCommands(store)
        #expect(commands.count == 6 * 5 * 4)
        #expect(Set(commands).count == 120)
        #expect(!report.hasErrors, "\(report.issues)")
    }

    @Test("migrate: files → PostgreSQL → files, identical and verified")
    func migrateBothWays() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let files = FileSegmentStore(directory: dir.path + "/a")
        let clock = TestClock(start: Timestamp(iso8601: "2026-03-01T23:59:00Z")!)
        let monitor = try testMonitor(files, clock: clock) { $0.batchSize = 9 }
        record(monitor, 50, prefix: "a")
        try await monitor.flush()
        clock.advance(bySeconds: 120)
        record(monitor, 31, prefix: "b")
        try await monitor.flush()
        let pg = try TestDatabase.freshStore()
        defer { try? pg.dropSchema() }
        let there = try StoreCopier(source: files, destination: pg).copy()
        #expect(there.days == 2)
        #expect(there.segments == 6 + 4)
        #expect(try StoreCopier(source: files, destination: pg).differences().isEmpty)
        let back = FileSegmentStore(directory: dir.path + "/b")
        try StoreCopier(source: pg, destination: back).copy()
        #expect(try StoreCopier(source: pg, destination: back).differences().isEmpty)
        for store in [files, pg, back] as [any SegmentStore] {
            let (commands, report) = try storedCommands(store)
            #expect(commands.count == 81)
            #expect(!report.hasErrors, "\(store.location): \(report.issues)")
        }
        // Byte for byte: the round trip gives back the same day files.
        for day in try files.days() {
            let name = files.name(of: day)
            #expect(FileManager.default.contents(atPath: dir.path + "/a/" + name) == FileManager.default.contents(atPath: dir.path + "/b/" + name))
        }
    }

    @Test("an unreachable database: the flush throws without the password, records stay buffered")
    func unreachableDatabase() async throws {
        let store = try PostgresSegmentStore("postgres://monitor:s3cret-pw@127.0.0.1:1/none?connect_timeout=2")
        let monitor = try testMonitor(store) { $0.maxBufferSize = 10 }
        record(monitor, 15, prefix: "lost")
        do {
            try await monitor.flush()
            Issue.record("flush to an unreachable database succeeded")
        } catch let error as InteractionMonitorError {
            #expect(error.code == .storage)
            #expect(error.message.contains("postgres://monitor:***@127.0.0.1:1/none"))
            #expect(!error.message.contains("s3cret"))
        }
        let stats = monitor.statistics()
        #expect(stats.buffered == 10)
        #expect(stats.totalDropped == 5)
    }
}

/// The quoted schema of a store (from its URL).
func schemaOf(_ store: PostgresSegmentStore) -> String { "\"\(store.url.schema)\"" }

/// Forwards to a store; once armed, the next exclusive access commits and then throws, as when the connection
/// drops after COMMIT reached the server but before its answer reached us.
final class LostAcknowledgementStore: SegmentStore {
    let base: any SegmentStore
    private let armed = Mutex(false)

    init(_ base: any SegmentStore) { self.base = base }

    func loseNextAcknowledgement() { armed.withLock { $0 = true } }

    var location: String { base.location }
    func withExclusiveAccess<R>(to day: Day, create: Bool, _ body: (any DayAccess) throws -> R) throws -> R? {
        let result = try base.withExclusiveAccess(to: day, create: create, body)
        if armed.withLock({ a in defer { a = false }; return a }) {
            throw InteractionMonitorError(.storage, "connection lost after COMMIT (simulated)")
        }
        return result
    }
    func days() throws -> [Day] { try base.days() }
    func name(of day: Day) -> String { base.name(of: day) }
    func scan(day: Day, _ body: (ScannedItem) throws -> Void) throws { try base.scan(day: day, body) }
    func readBlob(named name: String) throws -> [UInt8]? { try base.readBlob(named: name) }
    func updateBlob(named name: String, _ transform: ([UInt8]?) throws -> [UInt8]?) throws {
        try base.updateBlob(named: name, transform)
    }
    func removeBlob(named name: String) throws { try base.removeBlob(named: name) }
    func blobNames() throws -> [String] { try base.blobNames() }
    func byteCount(of day: Day) -> Int64? { base.byteCount(of: day) }
}
