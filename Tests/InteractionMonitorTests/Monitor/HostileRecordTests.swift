import Foundation
import InteractionMonitorTestKit
import Testing

@testable import InteractionMonitor

/// Hostile records: huge strings, very deep nesting, huge objects, bad numbers, empty and huge commands. Nothing
/// crashes, the limits in `RecordLimits` hold, and the rest of the batch is stored.
struct HostileRecordTests {
    /// Runs `body` on a thread with a large stack: building and releasing a 10,000-deep value is the caller's
    /// business (its own recursion), not the monitor's.
    func onBigStack(_ body: @escaping @Sendable () -> Void) {
        let done = DispatchSemaphore(value: 0)
        let t = Thread {
            body()
            done.signal()
        }
        t.stackSize = 256 << 20
        t.start()
        done.wait()
    }

    @Test func hostileRecordsAreBoundedStoredAndNeverCrash() async throws {
        let store = InMemorySegmentStore()
        let monitor = try InteractionMonitor.testing(store: store)
        monitor.record(.cliCommand, command: "before", status: .success, durationMs: 1)
        onBigStack {
            var deep: JSONValue = "bottom alice@example.com"
            for _ in 0..<10_000 { deep = .array([deep]) }
            var deepObject: JSONValue = 1
            for i in 0..<10_000 { deepObject = .object(["k\(i % 3)": deepObject]) }
            let huge = String(repeating: "x", count: 10 << 20)
            var wide: [String: JSONValue] = [:]
            for i in 0..<5000 { wide["key\(i)"] = .int(Int64(i)) }
            monitor.record(.cliCommand, command: "deep", status: .success, durationMs: 1, metadata: ["v": deep, "o": deepObject])
            monitor.record(.cliCommand, command: "huge", status: .success, durationMs: 1, errorMessage: huge, metadata: ["big": .string(huge), String(repeating: "k", count: 100_000): 1])
            monitor.record(.cliCommand, command: "wide", status: .success, durationMs: 1, metadata: wide)
            monitor.record(.cliCommand, command: String(repeating: "c", count: 5 << 20), status: .success, durationMs: .nan)
            monitor.record(.cliCommand, command: "", status: .error, durationMs: -5)
            monitor.record(.cliCommand, command: "inf", status: .timeout, durationMs: .infinity)
        }
        monitor.record(.cliCommand, command: "after", status: .success, durationMs: 1)
        try await monitor.flush()
        let stored = try monitor.storedInteractions()
        #expect(stored.count == 8)
        #expect(stored.first?.command == "before" && stored.last?.command == "after")
        for i in stored {
            #expect(i.command.utf8.count <= RecordLimits.storedCommandBytes)
            #expect((i.errorMessage?.utf8.count ?? 0) <= RecordLimits.storedTextBytes)
            #expect(i.durationMs >= 0 && i.durationMs.isFinite)
            #expect(depth(.object(i.metadata)) <= RecordLimits.maximumDepth + 1)
            #expect(i.metadata.count <= RecordLimits.maximumEntries + 1)
            #expect(i.jsonLine.utf8.count < 300_000)
        }
        let deep = stored.first { $0.command == "deep" }!
        #expect(deep.jsonLine.contains(RecordLimits.tooDeep))
        #expect(!deep.jsonLine.contains("alice@example.com"))
        let huge = stored.first { $0.command == "huge" }!
        #expect(huge.errorMessage!.hasSuffix(RecordLimits.marker))
        #expect(huge.metadata.keys.allSatisfy { $0.utf8.count <= RecordLimits.storedKeyBytes })
        #expect(stored.first { $0.command == "wide" }!.metadata["…"] == "[TRUNCATED: 4744 more]")
        #expect(stored.contains { $0.command.hasPrefix("ccc") && $0.command.hasSuffix(RecordLimits.marker) && $0.durationMs == 0 })
        #expect(stored.contains { $0.command == "" && $0.status == .error && $0.durationMs == 0 })
        // Buffer memory stayed bounded: each buffered string was cut to 64 KiB on the caller's thread.
        #expect(monitor.statistics().bytesWritten < 2 << 20)
    }

    @Test func cutsHappenAtCharacterBoundaries() {
        let text = String(repeating: "é🙂", count: 1000)
        for limit in [1, 13, 14, 15, 16, 100, 1001] {
            let cut = RecordLimits.cut(text, to: limit)
            #expect(cut.utf8.count <= max(limit, RecordLimits.marker.utf8.count))
            #expect(cut.hasSuffix(RecordLimits.marker))
            #expect(String(decoding: Array(cut.utf8), as: UTF8.self) == cut)
        }
        #expect(RecordLimits.cut("short", to: 100) == "short")
    }

    func depth(_ v: JSONValue) -> Int {
        switch v {
        case .array(let a): 1 + (a.map(depth).max() ?? 0)
        case .object(let o): 1 + (o.values.map(depth).max() ?? 0)
        default: 1
        }
    }
}
