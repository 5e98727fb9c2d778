import Foundation
import InteractionMonitorTestKit
import Testing

@testable import InteractionMonitor

/// A full disk, on a 1 MiB tmpfs mounted by the test (needs root and mount rights; skipped otherwise).
struct DiskFullTests {
    static let mountPoint: String? = {
        guard geteuid() == 0 else { return nil }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("im-tmpfs-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/mount")
        p.arguments = ["-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", dir]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return nil }
        p.waitUntilExit()
        return p.terminationStatus == 0 ? dir : nil
    }()

    @Test(.enabled(if: mountPoint != nil, "needs root and permission to mount a tmpfs"))
    func aFullDiskDropsAndCountsRecordsLeavesNoBrokenSegmentAndRecovers() async throws {
        let root = Self.mountPoint!
        defer {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/umount")
            p.arguments = [root]
            try? p.run()
            p.waitUntilExit()
        }
        let keys = FileManager.default.temporaryDirectory.appendingPathComponent("im-keys-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: keys) }
        var config = InteractionMonitor.Configuration(dataDirectory: root + "/data", keysDirectory: keys)
        config.maxBufferSize = 200
        config.batchSize = 50
        config.retentionDays = nil
        let monitor = try InteractionMonitor(configuration: config)
        let payload = String(repeating: "p", count: 2000)
        for n in 0..<50 { monitor.record(.cliCommand, command: "ok-\(n)", status: .success, durationMs: 1, metadata: ["p": .string(payload)]) }
        try await monitor.flush()
        // Fill the file system.
        let filler = root + "/filler"
        _ = FileManager.default.createFile(atPath: filler, contents: nil)
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: filler))
        while (try? h.write(contentsOf: Data(count: 16 * 1024))) != nil {}
        try? h.close()
        for n in 0..<400 {
            monitor.record(.cliCommand, command: "full-\(n)", status: .success, durationMs: 1, metadata: ["p": .string(payload)])
            if n % 50 == 49 { _ = try? await monitor.flush() }
        }
        let stats = monitor.statistics()
        #expect(stats.failedFlushes > 0 && stats.lastError != nil)
        #expect(stats.dropped[.bufferFull, default: 0] > 0)
        #expect(stats.buffered <= 200)
        // What is on disk is intact: no half-written segment.
        let report = try DecryptingReader(store: monitor.store, keyring: monitor.keyring).verify()
        #expect(!report.hasErrors, "\(report.issues)")
        // Space returns: the buffered records are written.
        try FileManager.default.removeItem(atPath: filler)
        try await monitor.flush()
        #expect(monitor.statistics().buffered == 0)
        let stored = try monitor.storedInteractions()
        #expect(stored.filter { $0.command.hasPrefix("ok-") }.count == 50)
        #expect(stored.count == 50 + 400 - monitor.statistics().dropped[.bufferFull, default: 0])
    }
}
