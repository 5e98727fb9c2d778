import Foundation
import InteractionMonitorTestKit
import Synchronization
import Testing

@testable import InteractionMonitor

/// A store that fails while `failing` is set, to simulate a broken disk.
final class FlakyStore: SegmentStore {
    let inner = InMemorySegmentStore()
    let failing = Mutex(false)
    var location: String { "flaky" }
    func name(of day: Day) -> String { inner.name(of: day) }
    func withExclusiveAccess<R>(to day: Day, create: Bool, _ body: (any DayAccess) throws -> R) throws -> R? {
        if failing.withLock({ $0 }) { throw InteractionMonitorError(.storage, "disk on fire") }
        return try inner.withExclusiveAccess(to: day, create: create, body)
    }
    func days() throws -> [Day] { try inner.days() }
    func scan(day: Day, _ body: (ScannedItem) throws -> Void) throws { try inner.scan(day: day, body) }
    func readBlob(named name: String) throws -> [UInt8]? { try inner.readBlob(named: name) }
    func updateBlob(named name: String, _ transform: ([UInt8]?) throws -> [UInt8]?) throws {
        if failing.withLock({ $0 }) { throw InteractionMonitorError(.storage, "disk on fire") }
        try inner.updateBlob(named: name, transform)
    }
    func removeBlob(named name: String) throws { try inner.removeBlob(named: name) }
    func blobNames() throws -> [String] { try inner.blobNames() }
    func byteCount(of day: Day) -> Int64? { nil }
}

struct InteractionMonitorTests {
    @Test func recordsArePseudonymisedAndRoundTrip() async throws {
        let monitor = try InteractionMonitor.testing()
        let ts = monitor.record(
            .apiRequest, command: "GET /users/:id", status: .success, durationMs: 12.5, userID: "alice",
            sessionID: "s1", metadata: ["rows": 3, "flags": ["a", true, nil, 1.5], "obj": ["k": "v"]])
        monitor.record(.cliCommand, command: "deploy", status: .failure, durationMs: 3, userID: "alice", errorMessage: "boom")
        monitor.record(.init("background_job"), command: "sync", status: .timeout, durationMs: 9, userID: "bob")
        try await monitor.flush()
        let stored = try monitor.storedInteractions()
        #expect(stored.count == 3)
        #expect(stored[0].timestamp == ts)
        #expect(stored[0].metadata["flags"] == ["a", true, nil, 1.5])
        #expect(stored[0].metadata["obj"] == ["k": "v"])
        #expect(stored[2].interactionType.rawValue == "background_job")
        let alice = try #require(stored[0].userHash)
        #expect(alice.count == 32 && alice != "alice")
        #expect(stored[1].userHash == alice)
        #expect(stored[2].userHash != alice)
        // Same id under the same key gives the same hash in another monitor.
        let other = try InteractionMonitor.testing()
        other.record(.cliCommand, command: "x", status: .success, durationMs: 1, userID: "alice")
        try await other.flush()
        #expect(try other.storedInteractions()[0].userHash == alice)
    }

    @Test func bufferIsBoundedDropsAreCountedAndTheMonitorRecovers() async throws {
        let store = FlakyStore()
        let monitor = try InteractionMonitor(
            configuration: {
                var c = InteractionMonitor.Configuration(dataDirectory: "x", keysDirectory: "x")
                c.maxBufferSize = 50
                c.batchSize = 10
                return c
            }(), store: store, keyring: TestKeyring.make())
        store.failing.withLock { $0 = true }
        for n in 0..<80 { monitor.record(.cliCommand, command: "c\(n)", status: .success, durationMs: 1) }
        await #expect(throws: InteractionMonitorError.self) { try await monitor.flush() }
        var stats = monitor.statistics()
        #expect(stats.buffered == 50)
        #expect(stats.dropped[.bufferFull] == 30)
        #expect(stats.failedFlushes == 1)
        #expect(stats.lastError?.contains("disk on fire") == true)
        store.failing.withLock { $0 = false }
        try await monitor.flush()
        stats = monitor.statistics()
        #expect(stats.buffered == 0 && stats.flushed == 50 && stats.lastError == nil)
        let stored = try DecryptingReader(store: store, keyring: monitor.keyring).read { _ in }
        #expect(stored.interactionsRead == 50 && !stored.hasErrors)
        monitor.record(.cliCommand, command: "after", status: .success, durationMs: 1)
        #expect(monitor.statistics().recorded == 51)
    }

    @Test func fullBatchesSoonAfterAFlushWaitForTheSpacingUntilTheBufferFillsThenOneFlushTakesThemAll() async throws {
        let monitor = try InteractionMonitor.testing { c in
            c.batchSize = 10
            c.maxBufferSize = 1000
            c.flushInterval = .seconds(3600)
            c.minimumFlushSpacing = .seconds(60)
        }
        monitor.start()  // the first tick flushes (nothing) and starts the spacing
        try await Task.sleep(for: .milliseconds(100))
        for n in 0..<200 { monitor.record(.cliCommand, command: "c\(n)", status: .success, durationMs: 1) }
        try await Task.sleep(for: .milliseconds(300))
        #expect(monitor.statistics().flushed == 0, "twenty full batches within the spacing: no flush yet")
        // A quarter of the buffer: the flush does not wait, and takes everything buffered in one go.
        for n in 200..<250 { monitor.record(.cliCommand, command: "c\(n)", status: .success, durationMs: 1) }
        var waited = 0
        while monitor.statistics().flushed < 250, waited < 500 {
            try await Task.sleep(for: .milliseconds(10))
            waited += 1
        }
        let s = monitor.statistics()
        #expect(s.flushed == 250 && s.flushCount == 1, "\(s.flushed) records in \(s.flushCount) flushes")
        #expect(s.dropped.isEmpty)
        // flush() never waits for the spacing.
        monitor.record(.cliCommand, command: "last", status: .success, durationMs: 1)
        try await monitor.flush()
        #expect(monitor.statistics().flushed == 251)
        await monitor.stop()
    }

    @Test func aFullBatchTriggersABackgroundFlushAndStopFlushesTheRest() async throws {
        let store = InMemorySegmentStore()
        let monitor = try InteractionMonitor.testing(store: store) { c in
            c.batchSize = 10
            c.flushInterval = .seconds(3600)
        }
        monitor.start()
        for n in 0..<25 { monitor.record(.cliCommand, command: "c\(n)", status: .success, durationMs: 1) }
        var waited = 0
        while monitor.statistics().flushed < 20, waited < 500 {
            try await Task.sleep(for: .milliseconds(10))
            waited += 1
        }
        #expect(monitor.statistics().flushed >= 20)
        await monitor.stop()
        #expect(monitor.statistics().flushed == 25)
        #expect(try monitor.storedInteractions().map(\.command) == (0..<25).map { "c\($0)" })
    }

    @Test func recordsAfterStopAreCountedAsStoppedUntilTheMonitorStartsAgain() async throws {
        let store = InMemorySegmentStore()
        let monitor = try InteractionMonitor.testing(store: store) { c in c.flushInterval = .seconds(3600) }
        monitor.start()
        monitor.record(.cliCommand, command: "before", status: .success, durationMs: 1)
        await monitor.stop()
        // No flush would come for these: they are counted, not left in the buffer to vanish with the process.
        for _ in 0..<3 { monitor.record(.cliCommand, command: "after", status: .success, durationMs: 1) }
        var s = monitor.statistics()
        #expect(s.flushed == 1 && s.buffered == 0 && s.recorded == 1)
        #expect(s.dropped == [.stopped: 3])
        try await monitor.flush()
        #expect(try monitor.storedInteractions().map(\.command) == ["before"])
        // Started again, it records again.
        monitor.start()
        monitor.record(.cliCommand, command: "restarted", status: .success, durationMs: 1)
        await monitor.stop()
        s = monitor.statistics()
        #expect(s.flushed == 2 && s.dropped == [.stopped: 3])
        #expect(try monitor.storedInteractions().map(\.command) == ["before", "restarted"])
    }

    @Test func theIntervalTimerFlushes() async throws {
        let monitor = try InteractionMonitor.testing { c in c.flushInterval = .milliseconds(50) }
        monitor.start()
        monitor.record(.cliCommand, command: "one", status: .success, durationMs: 1)
        var waited = 0
        while monitor.statistics().flushed < 1, waited < 400 {
            try await Task.sleep(for: .milliseconds(10))
            waited += 1
        }
        #expect(monitor.statistics().flushed == 1)
        await monitor.stop()
    }

    @Test func recordsLandInTheirOwnDayEvenWhenTheClockJumps() async throws {
        let store = InMemorySegmentStore()
        let clock = TestClock(start: Timestamp(iso8601: "2026-11-25T23:59:59.5Z")!)
        let monitor = try InteractionMonitor.testing(store: store, clock: clock)
        monitor.record(.cliCommand, command: "before-midnight", status: .success, durationMs: 1)
        clock.advance(bySeconds: 1)
        monitor.record(.cliCommand, command: "after-midnight", status: .success, durationMs: 1)
        clock.advance(bySeconds: -3600 * 30)
        monitor.record(.cliCommand, command: "clock-went-back", status: .success, durationMs: 1)
        monitor.record(
            .cliCommand, command: "backfilled", status: .success, durationMs: 1,
            timestamp: Timestamp(iso8601: "2026-01-01T12:00:00Z"))
        try await monitor.flush()
        #expect(try store.days().map(\.description) == ["2026-01-01", "2026-11-24", "2026-11-25", "2026-11-26"])
        for i in try monitor.storedInteractions() {
            var inDay = false
            _ = try DecryptingReader(store: store, keyring: monitor.keyring).read(from: i.timestamp.day, to: i.timestamp.day) {
                if $0 == i { inDay = true }
            }
            #expect(inDay, "\(i.command) not in its day")
        }
    }

    @Test func concurrentRecordersLoseNothing() async throws {
        let monitor = try InteractionMonitor.testing { c in
            c.maxBufferSize = 100_000
            c.batchSize = 500
        }
        monitor.start()
        await withTaskGroup(of: Void.self) { group in
            for t in 0..<8 {
                group.addTask {
                    for n in 0..<2000 { monitor.record(.cliCommand, command: "t\(t)-\(n)", status: .success, durationMs: 1) }
                }
            }
        }
        await monitor.stop()
        let stored = try monitor.storedInteractions()
        #expect(stored.count == 16_000)
        #expect(Set(stored.map(\.command)).count == 16_000)
        #expect(monitor.statistics().totalDropped == 0)
    }

    @Test func nonFiniteDurationsAreStoredAsZero() async throws {
        let monitor = try InteractionMonitor.testing()
        monitor.record(.cliCommand, command: "nan", status: .error, durationMs: .nan)
        monitor.record(.cliCommand, command: "inf", status: .error, durationMs: .infinity)
        try await monitor.flush()
        #expect(try monitor.storedInteractions().map(\.durationMs) == [0, 0])
    }

    @Test func invalidConfigurationIsATypedError() throws {
        var c = InteractionMonitor.Configuration(dataDirectory: "x", keysDirectory: "x")
        c.batchSize = 0
        #expect(throws: InteractionMonitorError(.configuration, "")) {
            try InteractionMonitor(configuration: c, store: InMemorySegmentStore(), keyring: TestKeyring.make())
        }
    }
}

@Suite(.serialized) struct SharedMonitorTests {
    @Test func sharedInstanceIsCreatedOnceAndStopFlushes() async throws {
        let dir = TemporaryDirectory()
        let config = InteractionMonitor.Configuration(dataDirectory: dir.data, keysDirectory: dir.keys)
        let a = try InteractionMonitor.shared(configuration: config)
        let b = try InteractionMonitor.shared(configuration: config)
        #expect(a === b)
        a.record(.cliCommand, command: "shared", status: .success, durationMs: 1)
        await InteractionMonitor.stopShared()
        #expect(a.statistics().flushed == 1)
        let c = try InteractionMonitor.shared(configuration: config)
        #expect(c !== a)
        await InteractionMonitor.stopShared()
    }
}
