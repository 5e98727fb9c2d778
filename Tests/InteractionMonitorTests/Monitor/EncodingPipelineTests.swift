import Foundation
import InteractionMonitorTestKit
import Synchronization
import Testing

@testable import InteractionMonitor

/// A store whose appends fail while `failing` is set: the failure comes after the day was locked and every part
/// of a pipelined flush was encoded and sealed.
final class FailingAppendStore: SegmentStore {
    let inner = InMemorySegmentStore()
    let failing = Mutex(false)
    let appends = Mutex(0)
    var location: String { "failing-append" }
    func name(of day: Day) -> String { inner.name(of: day) }
    func withExclusiveAccess<R>(to day: Day, create: Bool, _ body: (any DayAccess) throws -> R) throws -> R? {
        try inner.withExclusiveAccess(to: day, create: create) { access in try body(Access(inner: access, store: self)) }
    }
    func days() throws -> [Day] { try inner.days() }
    func scan(day: Day, _ body: (ScannedItem) throws -> Void) throws { try inner.scan(day: day, body) }
    func readBlob(named name: String) throws -> [UInt8]? { try inner.readBlob(named: name) }
    func updateBlob(named name: String, _ transform: ([UInt8]?) throws -> [UInt8]?) throws {
        try inner.updateBlob(named: name, transform)
    }
    func removeBlob(named name: String) throws { try inner.removeBlob(named: name) }
    func blobNames() throws -> [String] { try inner.blobNames() }
    func byteCount(of day: Day) -> Int64? { nil }

    private struct Access: DayAccess {
        let inner: any DayAccess
        let store: FailingAppendStore
        func tail() throws -> SegmentPosition { try inner.tail() }
        func incompleteTail() throws -> Int64? { try inner.incompleteTail() }
        func discardIncompleteTail() throws { try inner.discardIncompleteTail() }
        func append(_ frames: [[UInt8]]) throws {
            if store.failing.withLock({ $0 }) { throw InteractionMonitorError(.storage, "disk on fire") }
            store.appends.withLock { $0 += 1 }
            try inner.append(frames)
        }
        func scan(_ body: (ScannedItem) throws -> Void) throws { try inner.scan(body) }
        func replace(
            producing produce: (_ emit: ([UInt8]) throws -> Void) throws -> Void, beforeCommit: () throws -> Void
        ) throws { try inner.replace(producing: produce, beforeCommit: beforeCommit) }
        func remove() throws { try inner.remove() }
    }
}

/// A large flush of one day is encoded in parts on two threads while the flushing thread seals the parts already
/// encoded: what it stores is what the one-thread encoding stores, line for line, in order, in one append.
struct EncodingPipelineTests {
    static let start = Timestamp(iso8601: "2026-11-20T08:00:00Z")!.microsecondsSinceEpoch

    static func record(_ k: Int, start: Int64 = Self.start) -> BufferedRecord {
        BufferedRecord(
            timestamp: Timestamp(microsecondsSinceEpoch: start + Int64(k) * 1_000), durationMs: Double(k % 7) + 0.5,
            command: k % 9 == 0 ? "mail user\(k % 5)@example.com" : "deploy \(k % 4)", errorMessage: nil,
            sessionID: "s\(k % 11)", userID: "user-\(k % 13)", metadata: ["n": .int(Int64(k % 3)), "region": "eu"],
            typeIndex: 0, status: .success)
    }

    @Test func partsComeInBufferOrderAndJoinToTheOneThreadBatch() throws {
        let monitor = try InteractionMonitor.testing()
        let keys = monitor.currentKeys
        var registry = OptOutRegistry()
        registry.insert(.init(hashKeyID: keys.keyring.activeHashKeyID, userHash: keys.pseudonymiser.hash("user-3"), since: .now()))
        var buffer = RecordBuffer()
        let n = 3 * 4096 + 77
        for k in 0..<n { buffer.append(Self.record(k)) }
        let snapshot = buffer.snapshot()
        let pipeline = EncodingPipeline(
            snapshot, partSize: 4096, transform: monitor.transform, keys: keys, registry: registry, types: [.cliCommand],
            firstSequence: 7)
        defer { pipeline.finish() }
        #expect(pipeline.partCount == 4)
        var joined: [[UInt8]] = []
        var sequences: [UInt64] = []
        var optedOut = 0
        while let part = pipeline.next() {
            for day in part.lines.days {
                joined += lines(day)
                sequences += day.sequences
            }
            optedOut += part.optedOut
        }
        #expect(pipeline.next() == nil)
        let serial = monitor.storedBatch(snapshot.records, count: n, keys: keys, registry: registry, firstSequence: 7)
        #expect(joined == serial.lines.days.flatMap(lines))
        #expect(sequences == serial.lines.days.flatMap(\.sequences))
        #expect(optedOut == serial.optedOut && optedOut > 0)
        #expect(joined.count + optedOut == n)
    }

    @Test func finishingEarlyStopsTheThreadsWithoutWaitingForEveryPart() throws {
        let monitor = try InteractionMonitor.testing()
        var buffer = RecordBuffer()
        for k in 0..<(20 * 512) { buffer.append(Self.record(k)) }
        let pipeline = EncodingPipeline(
            buffer.snapshot(), partSize: 512, transform: monitor.transform, keys: monitor.currentKeys,
            registry: OptOutRegistry(), types: [.cliCommand], firstSequence: 0)
        #expect(pipeline.next()?.count == 512)
        pipeline.finish()
    }

    /// Through the monitor: one flush of a large single-day buffer stores every record once, in order, as one
    /// chained append the reader verifies; scrubbed, pseudonymised and opted-out users left out as always.
    @Test func aLargeOneDayFlushStoresEveryRecordOnceInOrder() async throws {
        let store = InMemorySegmentStore()
        let clock = TestClock(start: Timestamp(microsecondsSinceEpoch: Self.start))
        let monitor = try InteractionMonitor.testing(store: store, clock: clock) { c in
            c.maxBufferSize = 100_000
            c.batchSize = 1000
        }
        let n = InteractionMonitor.parallelEncodingThreshold * 3 + 123
        for k in 0..<n {
            monitor.record(
                .cliCommand, command: k % 9 == 0 ? "mail user\(k % 5)@example.com" : "deploy-\(k)", status: .success,
                durationMs: 1, userID: "user-\(k % 13)", timestamp: Timestamp(microsecondsSinceEpoch: Self.start + Int64(k)))
        }
        try await monitor.flush()
        let stats = monitor.statistics()
        #expect(stats.flushed == n && stats.buffered == 0 && stats.flushCount == 1)
        var commands: [String] = []
        var users = Set<String>()
        let report = try DecryptingReader(store: store, keyring: monitor.keyring).read {
            commands.append($0.command)
            users.insert($0.userHash ?? "")
        }
        #expect(!report.hasErrors && report.interactionsRead == n)
        #expect(commands == (0..<n).map { $0 % 9 == 0 ? "mail [EMAIL]" : "deploy-\($0)" })
        #expect(users == Set((0..<13).map { monitor.currentKeys.pseudonymiser.hash("user-\($0)") }))
        #expect(!(try DecryptingReader(store: store, keyring: monitor.keyring).verify().hasErrors))
        // Parts are cut at whole batches: no more segments than the batch size alone needs.
        #expect(stats.segmentsWritten == (n + 999) / 1000)
    }

    /// Records across midnight, and a clock stepped back into the day before: every record in its own day, each
    /// day's records in the order recorded, every day verified.
    @Test func aLargeFlushAcrossMidnightAndAClockSteppedBackKeepsEachDayInOrder() async throws {
        let store = InMemorySegmentStore()
        let monitor = try InteractionMonitor.testing(store: store) { c in c.maxBufferSize = 100_000 }
        let late = Timestamp(iso8601: "2026-11-20T23:59:50Z")!.microsecondsSinceEpoch
        let n = InteractionMonitor.parallelEncodingThreshold * 2
        var expected: [Day: [String]] = [:]
        for k in 0..<n {
            // 20th, then the 21st from a quarter in, then back to the 20th for the last quarter.
            let at = k < 3 * n / 4 ? late + Int64(k) * 1_000 : late - 1_000_000 + Int64(k)
            let t = Timestamp(microsecondsSinceEpoch: at)
            monitor.record(.cliCommand, command: "c\(k)", status: .success, durationMs: 1, timestamp: t)
            expected[t.day, default: []].append("c\(k)")
        }
        #expect(expected.count == 2)
        try await monitor.flush()
        #expect(monitor.statistics().flushed == n)
        for day in try store.days() {
            var commands: [String] = []
            let report = try DecryptingReader(store: store, keyring: monitor.keyring).read(from: day, to: day) {
                commands.append($0.command)
            }
            #expect(!report.hasErrors)
            #expect(commands == expected[day], "\(day)")
        }
        #expect(try store.days().count == 2)
        #expect(!(try DecryptingReader(store: store, keyring: monitor.keyring).verify().hasErrors))
    }

    /// A pipelined flush that fails after sealing keeps everything buffered and writes nothing; the retry stores
    /// each record once.
    @Test func aFailedPipelinedFlushKeepsTheRecordsAndTheRetryStoresThemOnce() async throws {
        let store = FailingAppendStore()
        let clock = TestClock(start: Timestamp(microsecondsSinceEpoch: Self.start))
        var configuration = InteractionMonitor.Configuration(dataDirectory: "memory", keysDirectory: "memory")
        configuration.now = clock.now
        configuration.retentionDays = nil
        configuration.maxBufferSize = 100_000
        let failing = try InteractionMonitor(configuration: configuration, store: store, keyring: TestKeyring.make())
        let n = InteractionMonitor.parallelEncodingThreshold + 500
        for k in 0..<n {
            failing.record(
                .cliCommand, command: "c\(k)", status: .success, durationMs: 1,
                timestamp: Timestamp(microsecondsSinceEpoch: Self.start + Int64(k)))
        }
        store.failing.withLock { $0 = true }
        await #expect(throws: InteractionMonitorError.self) { try await failing.flush() }
        #expect(failing.statistics().buffered == n && failing.statistics().flushed == 0)
        #expect(store.inner.bytes(of: Timestamp(microsecondsSinceEpoch: Self.start).day).isEmpty)
        store.failing.withLock { $0 = false }
        try await failing.flush()
        #expect(store.appends.withLock { $0 } == 1)
        var commands: [String] = []
        let report = try DecryptingReader(store: store, keyring: failing.keyring).read { commands.append($0.command) }
        #expect(!report.hasErrors && commands == (0..<n).map { "c\($0)" })
        #expect(!(try DecryptingReader(store: store, keyring: failing.keyring).verify().hasErrors))
    }
}
