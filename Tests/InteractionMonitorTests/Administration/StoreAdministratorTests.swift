import Foundation
import InteractionMonitorTestKit
import Testing

@testable import InteractionMonitor

struct OptOutTests {
    @Test func optOutAppliesToBufferedRecordsAndNewOnes() async throws {
        let store = InMemorySegmentStore()
        let monitor = try InteractionMonitor.testing(store: store)
        let admin = StoreAdministrator(store: store, keyring: monitor.keyring)
        monitor.record(.cliCommand, command: "a1", status: .success, durationMs: 1, userID: "alice")
        monitor.record(.cliCommand, command: "b1", status: .success, durationMs: 1, userID: "bob")
        #expect(try admin.optOut(userID: "alice"))
        #expect(try !admin.optOut(userID: "alice"))
        try await monitor.flush()  // "another process" opted alice out while a1 was buffered
        monitor.record(.cliCommand, command: "a2", status: .success, durationMs: 1, userID: "alice")
        monitor.record(.cliCommand, command: "anon", status: .success, durationMs: 1)
        try await monitor.flush()
        #expect(try monitor.storedInteractions().map(\.command) == ["b1", "anon"])
        #expect(monitor.statistics().dropped[.optedOut] == 2)
        #expect(try admin.optIn(userID: "alice"))
        try await monitor.flush()
        monitor.record(.cliCommand, command: "a3", status: .success, durationMs: 1, userID: "alice")
        try await monitor.flush()
        #expect(try monitor.storedInteractions().map(\.command) == ["b1", "anon", "a3"])
    }

    @Test func theRegistryHoldsHashesNotRawIds() throws {
        let store = InMemorySegmentStore()
        let keyring = try TestKeyring.make()
        let admin = StoreAdministrator(store: store, keyring: keyring)
        try admin.optOut(userID: "alice@example.com")
        let sealed = try #require(try store.readBlob(named: OptOutRegistry.blobName))
        #expect(!sealed.contains("alice"))
        let plain = try SealedBlob.open(
            sealed, keyring: keyring, what: "registry", name: OptOutRegistry.blobName, storeID: nil)
        #expect(!plain.contains("alice"))
        #expect(try admin.optOuts().map(\.userHash) == [admin.userHash(of: "alice@example.com")])
    }

    @Test func optOutKeepsWorkingAfterTheHashKeyIsRotated() async throws {
        let store = InMemorySegmentStore()
        let before = try TestKeyring.make(seed: 3)
        try StoreAdministrator(store: store, keyring: before).optOut(userID: "alice")
        // Rotate: the old hash key becomes decrypt-only, a new one is active.
        let rotated = try Keyring(
            entries: before.entries.map {
                $0.purpose == .hash
                    ? KeyringEntry(id: $0.id, purpose: .hash, created: $0.created, status: .decryptOnly, key: $0.key) : $0
            } + [
                KeyringEntry(
                    id: KeyID("00000000000000aa")!, purpose: .hash, created: .now(), status: .active,
                    key: try Keyring.generate().activeHashKey)
            ], directory: nil)
        let monitor = try InteractionMonitor.testing(store: store, keyring: rotated)
        try monitor.refreshOptOuts()
        monitor.record(.cliCommand, command: "a", status: .success, durationMs: 1, userID: "alice")
        monitor.record(.cliCommand, command: "b", status: .success, durationMs: 1, userID: "bob")
        try await monitor.flush()
        #expect(try monitor.storedInteractions().map(\.command) == ["b"])
        #expect(monitor.statistics().dropped[.optedOut] == 1)
        // An opt-out made after the rotation covers both epochs.
        try StoreAdministrator(store: store, keyring: rotated).optOut(userID: "carol")
        #expect(try StoreAdministrator(store: store, keyring: rotated).optOuts().count == 3)
    }

    @Test func aDisabledMonitorWritesNothingAtAll() async throws {
        let dir = TemporaryDirectory()
        var configuration = InteractionMonitor.Configuration(dataDirectory: dir.data, keysDirectory: dir.keys)
        configuration.isEnabled = false
        let monitor = try InteractionMonitor(configuration: configuration)
        monitor.start()
        monitor.record(.cliCommand, command: "x", status: .success, durationMs: 1, userID: "alice")
        try await monitor.flush()
        await monitor.stop()
        #expect(monitor.statistics().dropped[.disabled] == 1)
        #expect(!FileManager.default.fileExists(atPath: dir.data))
        #expect(!FileManager.default.fileExists(atPath: dir.keys))
    }

    @Test func tokenLikeSessionIdsArePseudonymisedShortOnesKept() async throws {
        let monitor = try InteractionMonitor.testing()
        monitor.record(.cliCommand, command: "x", status: .success, durationMs: 1, sessionID: "sess-42")
        monitor.record(
            .cliCommand, command: "y", status: .success, durationMs: 1, sessionID: "9f86d081884c7d659a2feaa0c55ad015")
        try await monitor.flush()
        let stored = try monitor.storedInteractions().map(\.sessionID)
        #expect(stored[0] == "sess-42")
        #expect(stored[1] != "9f86d081884c7d659a2feaa0c55ad015" && stored[1]?.count == 32)
        // Never equal to the user hash of the same string.
        #expect(stored[1] != monitor.currentKeys.pseudonymiser.hash("9f86d081884c7d659a2feaa0c55ad015"))
    }
}

struct ErasureTests {
    @Test func forgetRemovesEveryRecordOfTheUserAndOnlyThose() async throws {
        let dir = TemporaryDirectory()
        let monitor = try InteractionMonitor(
            configuration: .init(dataDirectory: dir.data, keysDirectory: dir.keys))
        let start = Timestamp(iso8601: "2026-11-20T10:00:00Z")!
        for n in 0..<300 {
            let user = ["alice", "bob", "carol"][n % 3]
            monitor.record(
                .cliCommand, command: "c\(n)", status: .success, durationMs: 1, userID: user,
                timestamp: Timestamp(microsecondsSinceEpoch: start.microsecondsSinceEpoch + Int64(n) * 3_600_000_000))
        }
        try await monitor.flush()
        let admin = StoreAdministrator(store: monitor.store, keyring: monitor.keyring)
        let aliceHash = admin.userHash(of: "alice")
        let report = try admin.forget(userID: "alice")
        #expect(report.removed == 100)
        #expect(report.files.count >= 12)
        var remaining: [Interaction] = []
        let read = try DecryptingReader(store: monitor.store, keyring: monitor.keyring).read { remaining.append($0) }
        #expect(!read.hasErrors, "\(read.issues)")
        #expect(remaining.count == 200)
        #expect(!remaining.contains { $0.userHash == aliceHash })
        #expect(try admin.optOuts().contains { $0.userHash == aliceHash })
        #expect(try admin.forget(userID: "alice").removed == 0)
        #expect(try !DecryptingReader(store: monitor.store, keyring: monitor.keyring).verify().hasErrors)
    }

    @Test func forgetRefusesToRewriteADamagedFileAndChangesNothingThere() async throws {
        let dir = TemporaryDirectory()
        let (store, keyring, _) = try makeStore(in: dir, segments: 3, perSegment: 3)
        let path = store.path(of: Day("2026-11-20")!)
        var bytes = try readBytes(path)
        bytes[100] ^= 1
        try writeBytes(bytes, to: path)
        #expect(throws: InteractionMonitorError(.dataCorrupted, "")) {
            try StoreAdministrator(store: store, keyring: keyring).forget(userID: "whoever")
        }
        #expect(try readBytes(path) == bytes)
    }
}

struct RetentionTests {
    @Test func oldDaysGoAndTheCutDayIsRewritten() throws {
        let dir = TemporaryDirectory()
        let keyring = try Keyring.loadOrCreate(directory: dir.keys)
        let store = FileSegmentStore(directory: dir.data)
        let now = Timestamp(iso8601: "2026-11-25T12:00:00Z")!
        func at(_ days: Double) -> Timestamp {
            Timestamp(microsecondsSinceEpoch: now.microsecondsSinceEpoch - Int64(days * 86_400_000_000))
        }
        let records = [100, 95, 90.25, 90.1, 89.9, 10, 0].map { d in
            Interaction(timestamp: at(d), interactionType: .cliCommand, command: "age-\(d)", status: .success, durationMs: 1)
        }
        _ = try SegmentWriter(store: store).write(records, batchSize: 2, keyring: keyring)
        let report = try StoreAdministrator(store: store, keyring: keyring).applyRetention(days: 90, now: now)
        #expect(report.filesRemoved.count == 2)
        #expect(report.removedFromCutDay == 2)
        let (got, read) = try readAll(store, keyring)
        #expect(!read.hasErrors, "\(read.issues)")
        #expect(got.map(\.command) == ["age-89.9", "age-10.0", "age-0.0"])
    }

    @Test func startAppliesRetention() async throws {
        let store = InMemorySegmentStore()
        let clock = TestClock(start: Timestamp(iso8601: "2026-11-25T12:00:00Z")!)
        let monitor = try InteractionMonitor.testing(store: store, clock: clock) { $0.retentionDays = 30 }
        monitor.record(.cliCommand, command: "old", status: .success, durationMs: 1, timestamp: Timestamp(iso8601: "2026-09-01T00:00:00Z"))
        monitor.record(.cliCommand, command: "new", status: .success, durationMs: 1)
        try await monitor.flush()
        monitor.start()
        var waited = 0
        while try store.days().count > 1, waited < 300 {
            try await Task.sleep(for: .milliseconds(10))
            waited += 1
        }
        await monitor.stop()
        #expect(try monitor.storedInteractions().map(\.command) == ["new"])
    }
}
