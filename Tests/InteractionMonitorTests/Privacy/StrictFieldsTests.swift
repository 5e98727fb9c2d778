import Foundation
import InteractionMonitorTestKit
import Testing

@testable import InteractionMonitor

/// Strict fields: only declared metadata keys reach storage; the others are dropped and counted by (scrubbed)
/// key name, in `statistics()` and in the sealed counts `audit` reads.
struct StrictFieldsTests {
    @Test func undeclaredKeysAreDroppedBeforeStorageAndCountedByNameOnly() async throws {
        let store = InMemorySegmentStore()
        let monitor = try InteractionMonitor.testing(store: store) {
            $0.scrubbing.declaredMetadataKeys = ["region", "retries"]
            $0.scrubbing.strictFields = true
        }
        for n in 0..<3 {
            monitor.record(
                .cliCommand, command: "deploy", status: .success, durationMs: 1,
                metadata: ["region": "eu", "retries": .int(Int64(n)), "email": "alice@example.com", "bob@example.com": "x"])
        }
        monitor.record(.cliCommand, command: "build", status: .success, durationMs: 1, metadata: ["region": "us"])
        try await monitor.flush()
        let stored = try monitor.storedInteractions()
        #expect(stored.count == 4)
        #expect(stored.allSatisfy { Set($0.metadata.keys).isSubset(of: ["region", "retries"]) })
        #expect(stored[0].metadata["region"] == "eu" && stored[3].metadata["region"] == "us")
        let expected = ["email": 3, "[EMAIL]": 3]  // a key that is itself PII is counted under its scrubbed name
        #expect(monitor.statistics().undeclaredMetadataKeys == expected)
        #expect(try UndeclaredKeyCounts.read(store: store, keyring: monitor.keyring) == expected)
        // Counts accumulate across flushes; values never appear.
        monitor.record(.cliCommand, command: "x", status: .success, durationMs: 1, metadata: ["email": "carol@example.com"])
        try await monitor.flush()
        #expect(try UndeclaredKeyCounts.read(store: store, keyring: monitor.keyring) == ["email": 4, "[EMAIL]": 3])
        let audit = try StoreAudit.run(store: store, keyring: monitor.keyring, retentionDays: nil)
        #expect(audit.undeclaredMetadataKeys == ["email": 4, "[EMAIL]": 3] && !audit.hasErrors)
    }

    @Test func withoutStrictModeEveryKeyIsStored() async throws {
        let store = InMemorySegmentStore()
        let monitor = try InteractionMonitor.testing(store: store) { $0.scrubbing.declaredMetadataKeys = ["region"] }
        monitor.record(.cliCommand, command: "deploy", status: .success, durationMs: 1, metadata: ["region": "eu", "plan": "pro"])
        try await monitor.flush()
        #expect(try monitor.storedInteractions()[0].metadata.keys.sorted() == ["plan", "region"])
        #expect(monitor.statistics().undeclaredMetadataKeys.isEmpty)
        #expect(try store.readBlob(named: UndeclaredKeyCounts.blobName) == nil)
    }

    @Test func theConfigurationFileDeclaresKeysInBothFormats() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("strict-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try #"{"declared_metadata_keys": ["region", "plan"], "strict_fields": true}"#.write(toFile: dir + "/a.json", atomically: true, encoding: .utf8)
        let json = try ScrubberConfiguration(contentsOf: dir + "/a.json")
        #expect(json.declaredMetadataKeys == ["region", "plan"] && json.strictFields)
        try "# fields\ndeclare region\ndeclare plan\nstrict\n".write(toFile: dir + "/b.conf", atomically: true, encoding: .utf8)
        let lines = try ScrubberConfiguration(contentsOf: dir + "/b.conf")
        #expect(lines.declaredMetadataKeys == ["region", "plan"] && lines.strictFields)
        try #"{"strict_fields": "yes"}"#.write(toFile: dir + "/c.json", atomically: true, encoding: .utf8)
        #expect(throws: ScrubberConfigurationError.self) { try ScrubberConfiguration(contentsOf: dir + "/c.json") }
        try "strict now\n".write(toFile: dir + "/d.conf", atomically: true, encoding: .utf8)
        #expect(throws: ScrubberConfigurationError.self) { try ScrubberConfiguration(contentsOf: dir + "/d.conf") }
        // Through the monitor's configuration file.
        var c = InteractionMonitor.Configuration(dataDirectory: dir + "/data", keysDirectory: dir + "/keys")
        c.scrubbingConfigurationFile = dir + "/b.conf"
        let monitor = try InteractionMonitor(configuration: c, store: InMemorySegmentStore(), keyring: TestKeyring.make())
        #expect(monitor.scrubber.configuration.strictFields && monitor.scrubber.configuration.declaredMetadataKeys == ["region", "plan"])
    }
}
