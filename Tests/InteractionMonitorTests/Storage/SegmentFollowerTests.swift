import Foundation
import InteractionMonitorTestKit
import Testing

@testable import InteractionMonitor

@Suite struct SegmentFollowerTests {
    private func records(_ n: Int, from start: Int, day: String = "2026-11-20") -> [Interaction] {
        (start..<(start + n)).map { i in
            Interaction(
                timestamp: Timestamp(iso8601: "\(day)T10:00:00Z")!, interactionType: .cliCommand, command: "c\(i)",
                status: .success, durationMs: Double(i))
        }
    }

    @Test func eachPollDecryptsOnlySegmentsAppendedSinceTheLast() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("im-follow-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = FileSegmentStore(directory: dir)
        let keyring = try TestKeyring.make()
        let writer = SegmentWriter(store: store)
        _ = try writer.write(records(30, from: 0), batchSize: 10, keyring: keyring)
        let follower = SegmentFollower(store: store, keyring: keyring)
        var seen: [String] = []
        #expect(try follower.poll { seen.append($0.command) } == 3)
        #expect(seen.count == 30)
        #expect(try follower.poll { seen.append($0.command) } == 0)
        _ = try writer.write(records(15, from: 30), batchSize: 10, keyring: keyring)
        _ = try writer.write(records(5, from: 45, day: "2026-11-21"), batchSize: 10, keyring: keyring)
        #expect(try follower.poll { seen.append($0.command) } == 3)
        #expect(seen == (0..<50).map { "c\($0)" })
        // A torn frame at the end (a writer mid-append) is left for the next poll; nothing is delivered twice.
        let path = dir + "/" + store.name(of: Day("2026-11-21")!)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data([0x49, 0x4D]))
        try handle.close()
        #expect(try follower.poll { seen.append($0.command) } == 0)
        #expect(seen.count == 50)
    }

    @Test func skippedDaysAreNotRead() throws {
        let store = InMemorySegmentStore()
        let keyring = try TestKeyring.make()
        let writer = SegmentWriter(store: store)
        _ = try writer.write(records(10, from: 0, day: "2026-11-19"), batchSize: 5, keyring: keyring)
        _ = try writer.write(records(10, from: 10, day: "2026-11-20"), batchSize: 5, keyring: keyring)
        let follower = SegmentFollower(store: store, keyring: keyring)
        try follower.skip(daysBefore: Day("2026-11-20")!)
        var seen = 0
        #expect(try follower.poll { _ in seen += 1 } == 2)
        #expect(seen == 10)
        _ = try writer.write(records(5, from: 20, day: "2026-11-19"), batchSize: 5, keyring: keyring)
        #expect(try follower.poll { _ in seen += 1 } == 1)
        #expect(seen == 15)
    }
}
