import Foundation
@testable import InteractionMonitor
@testable import InteractionMonitorPostgres
import InteractionMonitorTestKit
import Synchronization
import Testing

/// The file store's attacks made with SQL by a database operator who holds no keys: the same operations still
/// report them, plus what is specific to the database (hidden rows, a writer's progress row).
@Suite("PostgreSQL attacks", .enabled(if: TestDatabase.available, TestDatabase.skipReason))
struct PostgresAdversarialTests {
    func storeWithData() async throws -> PostgresSegmentStore {
        let store = try TestDatabase.freshStore("adv")
        let monitor = try testMonitor(store) { $0.batchSize = 5 }
        record(monitor, 20, prefix: "x")
        try await monitor.flush()
        await monitor.stop()
        return store
    }

    func errors(_ store: PostgresSegmentStore) throws -> [StoreIssue] {
        try DecryptingReader(store: store, keyring: try TestKeyring.make()).verify().issues.filter { $0.severity == .error }
    }

    @Test("rows deleted at the end of a day stay reported after the next write")
    func deletedRowsThenWrite() async throws {
        let store = try await storeWithData()
        defer { try? store.dropSchema() }
        _ = try store.administrativeQuery("DELETE FROM \(schemaOf(store)).segments WHERE seg_index = 3")
        #expect(try !errors(store).isEmpty)
        let monitor = try testMonitor(store) { $0.batchSize = 5 }
        record(monitor, 5, prefix: "y")
        try await monitor.flush()
        await monitor.stop()
        #expect(try !errors(store).isEmpty)
    }

    @Test("a row planted at a negative index is reported, and erasure refuses the day")
    func plantedNegativeRow() async throws {
        let store = try await storeWithData()
        defer { try? store.dropSchema() }
        _ = try store.administrativeQuery(
            "INSERT INTO \(schemaOf(store)).segments (day, seg_index, key_id, frame_bytes, frame) SELECT day, -7, key_id, frame_bytes, frame FROM \(schemaOf(store)).segments WHERE seg_index = 1")
        #expect(try errors(store).contains { $0.message.contains("negative segment indices") })
        let admin = StoreAdministrator(store: store, keyring: try TestKeyring.make())
        #expect(throws: (any Error).self) { try admin.forget(userID: "user-1") }
        #expect(try errors(store).contains { $0.message.contains("negative segment indices") })
    }

    @Test("a writer's progress row raised by the operator is not trusted: nothing is skipped, the change is reported")
    func raisedWriterProgress() async throws {
        let store = try await storeWithData()
        defer { try? store.dropSchema() }
        let before = try DecryptingReader(store: store, keyring: try TestKeyring.make()).read { _ in }.interactionsRead
        let monitor = try testMonitor(store) { $0.batchSize = 5 }
        record(monitor, 3, prefix: "a")
        try await monitor.flush()
        _ = try store.administrativeQuery("UPDATE \(schemaOf(store)).writer_progress SET last_seq = last_seq + 1000")
        record(monitor, 3, prefix: "b")
        try await monitor.flush()
        #expect(monitor.statistics().buffered == 0)
        var commands: [String] = []
        _ = try DecryptingReader(store: store, keyring: try TestKeyring.make()).read { commands.append($0.command) }
        #expect(commands.count == before + 6, "nothing silently skipped")
        #expect(try errors(store).contains { $0.message.contains("progress record") })
        await monitor.stop()
    }

    @Test("a lock held by another session fails the write within the lock timeout with a clear error; nothing lost")
    func heldLockTimesOut() async throws {
        let holder = try TestDatabase.freshStore("lock")
        defer { try? holder.dropSchema() }
        let store = PostgresSegmentStore(url: holder.url, lockTimeoutMilliseconds: 300)
        let testClock = TestClock()
        let day = testClock.now().day
        let monitor = try testMonitor(store, clock: testClock)
        record(monitor, 1, prefix: "warm")
        try await monitor.flush()
        // Another session (an operator, a stuck process) holds the day's lock until told to let go (60 s at most).
        // On a thread of its own, so that holding it never occupies the concurrency pool the rest of the suite uses.
        let started = Mutex(false)
        let release = Mutex(false)
        let finished = Mutex<Result<Void, any Error>?>(nil)
        let holding = Thread {
            let r = Result {
                _ = try holder.withExclusiveAccess(to: day, create: true) { _ in
                    started.withLock { $0 = true }
                    for _ in 0..<6000 where !release.withLock({ $0 }) { Thread.sleep(forTimeInterval: 0.01) }
                }
            }
            finished.withLock { $0 = r }
        }
        holding.start()
        while !started.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(10)) }
        record(monitor, 3, prefix: "held")
        let clock = ContinuousClock()
        let t0 = clock.now
        await #expect {
            try await monitor.flush()
        } throws: { error in
            (error as? InteractionMonitorError)?.message.contains("lock timeout") == true
        }
        #expect(clock.now - t0 < .seconds(30), "the write gave up while the lock was held")
        #expect(monitor.statistics().buffered == 3, "the records stay buffered")
        release.withLock { $0 = true }
        while finished.withLock({ $0 == nil }) { try await Task.sleep(for: .milliseconds(10)) }
        try finished.withLock { $0 }?.get()
        try await monitor.flush()
        let (commands, _) = try storedCommands(holder)
        #expect(commands.filter { $0.hasPrefix("held") }.count == 3)
        await monitor.stop()
    }

    @Test("a large one-day flush whose acknowledgement was lost is retried without storing a record twice")
    func pipelinedFlushWithALostAcknowledgement() async throws {
        let pg = try TestDatabase.freshStore()
        defer { try? pg.dropSchema() }
        let store = LostAcknowledgementStore(pg)
        let monitor = try testMonitor(store) { c in
            c.batchSize = 1000
            c.maxBufferSize = 100_000
        }
        record(monitor, 5, prefix: "first")
        try await monitor.flush()
        // Large enough for the flush to encode in parts while it seals, and the retry too.
        let n = InteractionMonitor.parallelEncodingThreshold + 700
        record(monitor, n, prefix: "lost")
        store.loseNextAcknowledgement()
        await #expect(throws: InteractionMonitorError.self) { try await monitor.flush() }
        #expect(monitor.statistics().buffered == n)
        record(monitor, 3, prefix: "later")
        try await monitor.flush()
        let (commands, report) = try storedCommands(pg)
        #expect(!report.hasErrors)
        #expect(commands == (0..<5).map { "first-\($0)" } + (0..<n).map { "lost-\($0)" } + (0..<3).map { "later-\($0)" })
        await monitor.stop()
    }

    @Test("a writer's progress row cleared before a retried flush stores nothing twice, and is reported")
    func clearedWriterProgressBeforeARetry() async throws {
        let pg = try TestDatabase.freshStore()
        defer { try? pg.dropSchema() }
        let store = LostAcknowledgementStore(pg)
        let monitor = try testMonitor(store) { $0.batchSize = 10 }
        record(monitor, 5, prefix: "first")
        try await monitor.flush()
        record(monitor, 15, prefix: "lost")
        store.loseNextAcknowledgement()
        await #expect(throws: InteractionMonitorError.self) { try await monitor.flush() }
        // Committed but unacknowledged: buffered still. The operator clears the progress rows, then the retry.
        _ = try pg.administrativeQuery("DELETE FROM \(schemaOf(pg)).writer_progress")
        try await monitor.flush()
        let (commands, _) = try storedCommands(pg)
        #expect(commands == (0..<5).map { "first-\($0)" } + (0..<15).map { "lost-\($0)" }, "no record stored twice")
        #expect(try errors(pg).contains { $0.message.contains("progress record") })
        await monitor.stop()
    }
}

/// What reaches a terminal from a database URL or a server: never a password, never a control character.
struct PostgresMessageHygieneTests {
    @Test func passwordsWithSlashesQuestionMarksOrHashesAreRedacted() {
        for url in [
            "postgres://ops:pa/ss@db.internal:5432/telemetry", "postgres://ops:p?ss=1@db/telemetry",
            "postgresql://ops:s3cr#t/x?y@db/telemetry?schema=a", "postgres://ops:plain@db/telemetry",
        ] {
            let redacted = PostgresStoreURL.redact(url)
            #expect(!redacted.contains("pa/ss") && !redacted.contains("p?ss") && !redacted.contains("s3cr") && !redacted.contains("plain"), "\(redacted)")
            #expect(redacted.contains("ops:***@"), "\(redacted)")
        }
    }

    @Test func serverTextIsOneLineWithoutControlCharacters() {
        let hostile = "relation \u{1B}[31mred\u{1B}[0m\ndoes not exist\r\u{07}" + String(repeating: "x", count: 1000)
        let clean = PostgresSession.printable(hostile, limit: 300)
        #expect(!clean.unicodeScalars.contains { $0.properties.generalCategory == .control })
        #expect(clean.count <= 301)
    }
}
