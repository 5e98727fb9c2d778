import Foundation
import InteractionMonitorTestKit
import Synchronization
import Testing

@testable import InteractionMonitor

/// Faults while recording: clock jumps, directories removed or replaced, many threads at once.
struct FaultTests {
    func tempDir() -> String {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("im-fault-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }

    @Test func clockJumpsBackwardsAndAcrossMidnightPutEveryRecordInItsOwnDay() async throws {
        let clock = TestClock(start: Timestamp(iso8601: "2026-11-24T23:59:58Z")!)
        let store = InMemorySegmentStore()
        let monitor = try InteractionMonitor.testing(store: store, clock: clock)
        monitor.record(.cliCommand, command: "a", status: .success, durationMs: 1)  // 24th
        clock.set(Timestamp(iso8601: "2026-11-25T00:00:01Z")!)
        monitor.record(.cliCommand, command: "b", status: .success, durationMs: 1)  // 25th
        clock.set(Timestamp(iso8601: "2026-11-24T23:59:59Z")!)  // NTP step backwards
        monitor.record(.cliCommand, command: "c", status: .success, durationMs: 1)  // 24th again
        clock.set(Timestamp(iso8601: "2026-11-23T12:00:00Z")!)  // a day back
        monitor.record(.cliCommand, command: "d", status: .success, durationMs: 1)
        try await monitor.flush()
        var byDay: [String: [String]] = [:]
        for day in try store.days() {
            _ = try DecryptingReader(store: store, keyring: monitor.keyring).read(from: day, to: day) {
                byDay[day.description, default: []].append($0.command)
            }
        }
        #expect(byDay == ["2026-11-23": ["d"], "2026-11-24": ["a", "c"], "2026-11-25": ["b"]])
        #expect(!(try DecryptingReader(store: store, keyring: monitor.keyring).verify().hasErrors))
    }

    @Test func eightThreadsRecordingAtOnceLoseNothing() async throws {
        let perThread = ProcessInfo.processInfo.environment["IM_SOAK"] == nil ? 5_000 : 100_000
        let root = tempDir()
        defer { try? FileManager.default.removeItem(atPath: root) }
        var config = InteractionMonitor.Configuration(dataDirectory: root + "/data", keysDirectory: root + "/keys")
        config.maxBufferSize = 8 * perThread
        config.batchSize = 500
        config.retentionDays = nil
        let monitor = try InteractionMonitor(configuration: config)
        monitor.start()
        let done = DispatchSemaphore(value: 0)
        for t in 0..<8 {
            Thread.detachNewThread {
                for n in 0..<perThread {
                    monitor.record(.cliCommand, command: "t\(t)-\(n)", status: .success, durationMs: 1, userID: "u\(n % 17)")
                }
                done.signal()
            }
        }
        for _ in 0..<8 { done.wait() }
        await monitor.stop()
        let stats = monitor.statistics()
        #expect(stats.recorded == 8 * perThread && stats.totalDropped == 0 && stats.flushed == 8 * perThread)
        var seen = Set<String>()
        let report = try DecryptingReader(store: monitor.store, keyring: monitor.keyring).read { seen.insert($0.command) }
        #expect(!report.hasErrors && seen.count == 8 * perThread)
    }

    @Test func dataDirectoryRemovedReadOnlyOrReplacedByAFileFailsCleanlyAndRecovers() async throws {
        let root = tempDir()
        defer {
            chmod(root + "/data", 0o700)
            try? FileManager.default.removeItem(atPath: root)
        }
        var config = InteractionMonitor.Configuration(dataDirectory: root + "/data", keysDirectory: root + "/keys")
        config.retentionDays = nil
        let monitor = try InteractionMonitor(configuration: config)
        monitor.record(.cliCommand, command: "one", status: .success, durationMs: 1)
        try await monitor.flush()

        // Replaced by a file.
        try FileManager.default.removeItem(atPath: root + "/data")
        try "not a directory".write(toFile: root + "/data", atomically: true, encoding: .utf8)
        monitor.record(.cliCommand, command: "two", status: .success, durationMs: 1)
        await #expect(throws: InteractionMonitorError.self) { try await monitor.flush() }
        #expect(monitor.statistics().buffered == 1 && monitor.statistics().lastError != nil)
        try FileManager.default.removeItem(atPath: root + "/data")

        // Removed: recreated on the next flush.
        try await monitor.flush()
        #expect(monitor.statistics().buffered == 0)

        // Read-only (when not root, who ignores permissions).
        if geteuid() != 0 {
            chmod(root + "/data", 0o500)
            monitor.record(.cliCommand, command: "three", status: .success, durationMs: 1)
            await #expect(throws: InteractionMonitorError.self) { try await monitor.flush() }
            chmod(root + "/data", 0o700)
        }
        try await monitor.flush()
        // The removed directory took "one" with it: that stays reported (the keys directory remembers the store)
        // until an operator acknowledges it; nothing recorded afterwards was lost.
        let store = FileSegmentStore(directory: root + "/data")
        let report = try DecryptingReader(store: store, keyring: monitor.keyring).verify()
        #expect(report.issues.contains { $0.severity == .error && $0.message.contains("was gone") }, "\(report.issues)")
        _ = try StoreAdministrator(store: store, keyring: monitor.keyring).acknowledge(reason: "test removed the directory")
        let commands = try monitor.storedInteractions().map(\.command)
        #expect(commands == (geteuid() == 0 ? ["two"] : ["two", "three"]))
        #expect(monitor.statistics().buffered == 0)
    }

    @Test func keysDirectoryRemovedWhileRecordingKeepsTheLoadedKeys() async throws {
        let root = tempDir()
        defer { try? FileManager.default.removeItem(atPath: root) }
        var config = InteractionMonitor.Configuration(dataDirectory: root + "/data", keysDirectory: root + "/keys")
        config.retentionDays = nil
        let monitor = try InteractionMonitor(configuration: config)
        try FileManager.default.removeItem(atPath: root + "/keys")
        monitor.record(.cliCommand, command: "x", status: .success, durationMs: 1)
        try await monitor.flush()
        try "garbage".write(toFile: root + "/keys", atomically: true, encoding: .utf8)
        monitor.record(.cliCommand, command: "y", status: .success, durationMs: 1)
        try await monitor.flush()
        #expect(try monitor.storedInteractions().map(\.command) == ["x", "y"])
    }
}
