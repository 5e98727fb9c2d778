import Foundation
import InteractionMonitorTestKit
import Testing

@testable import InteractionMonitor

/// Rotation on a live monitor, re-encryption, retirement and the key-usage scan.
struct RotationTests {
    func tempDir() -> String {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("im-rot-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }

    func segmentKeys(_ store: any SegmentStore) throws -> [KeyID: Int] {
        var out: [KeyID: Int] = [:]
        for day in try store.days() {
            try store.scan(day: day) { if case .frame(let f) = $0 { out[f.header.keyID, default: 0] += 1 } }
        }
        return out
    }

    @Test func aRunningMonitorSwitchesToTheRotatedKeysAtItsNextFlushWithoutARestart() async throws {
        let root = tempDir()
        defer { try? FileManager.default.removeItem(atPath: root) }
        var config = InteractionMonitor.Configuration(dataDirectory: root + "/data", keysDirectory: root + "/keys")
        config.flushInterval = .milliseconds(100)
        config.retentionDays = nil
        let monitor = try InteractionMonitor(configuration: config)
        monitor.start()
        let before = monitor.keyring
        monitor.record(.cliCommand, command: "before", status: .success, durationMs: 1, userID: "alice")
        try await monitor.flush()
        let (newData, oldData) = try KeyringAdministration.rotate(directory: root + "/keys", secret: nil, purpose: .data)
        let (newHash, oldHash) = try KeyringAdministration.rotate(directory: root + "/keys", secret: nil, purpose: .hash)
        #expect(oldData.id == before.activeDataKeyID && oldHash.id == before.activeHashKeyID)
        // One flush tick later, without any call from us, the monitor uses the new keys.
        var switched = false
        for _ in 0..<50 where !switched {
            try await Task.sleep(for: .milliseconds(50))
            switched = monitor.keyring.activeDataKeyID == newData.id
        }
        #expect(switched)
        monitor.record(.cliCommand, command: "after", status: .success, durationMs: 1, userID: "alice")
        await monitor.stop()
        let store = FileSegmentStore(directory: root + "/data")
        let keys = try segmentKeys(store)
        #expect(keys[oldData.id] == 1 && keys[newData.id] == 1)
        let stored = try monitor.storedInteractions()
        #expect(stored.map(\.command) == ["before", "after"])
        // A new pseudonym epoch: the same user gets a different hash, and the manifest records both hash keys.
        #expect(stored[0].userHash != stored[1].userHash)
        let usage = try KeyUsage.scan(store: store, keyring: monitor.keyring)
        #expect(usage.hashKeyDays[oldHash.id] == 1 && usage.hashKeyDays[newHash.id] == 1)
        #expect(usage.daysWithUnknownHashKeys.isEmpty)
    }

    @Test func reencryptMovesEverythingToTheActiveKeyThenRetireErasesTheOldOne() async throws {
        let root = tempDir()
        defer { try? FileManager.default.removeItem(atPath: root) }
        var config = InteractionMonitor.Configuration(dataDirectory: root + "/data", keysDirectory: root + "/keys")
        config.retentionDays = nil
        config.batchSize = 7
        let monitor = try InteractionMonitor(configuration: config)
        let base = Timestamp(microsecondsSinceEpoch: 1_764_000_000_000_000)
        for i in 0..<200 {
            monitor.record(
                .cliCommand, command: "c\(i)", status: .success, durationMs: Double(i), userID: "u\(i % 9)",
                timestamp: Timestamp(microsecondsSinceEpoch: base.microsecondsSinceEpoch + Int64(i) * 3_600_000_000))
        }
        try await monitor.flush()
        let store = FileSegmentStore(directory: root + "/data")
        _ = try StoreAdministrator(store: store, keyring: monitor.keyring).optOut(userID: "u3")
        let (_, old) = try KeyringAdministration.rotate(directory: root + "/keys", secret: nil, purpose: .data)

        // Retiring while segments and blobs still use the key is refused, naming why; nothing changes.
        do {
            try KeyringAdministration.retire(directory: root + "/keys", secret: nil, keyID: old.id, store: store)
            Issue.record("retire of a key in use must be refused")
        } catch let e as InteractionMonitorError {
            #expect(e.code == .keyInUse && e.message.contains("segments") && e.message.contains("reencrypt"))
        }
        #expect(try Keyring.load(directory: root + "/keys").entry(old.id)?.status == .decryptOnly)
        // The active key cannot be retired at all.
        let active = try Keyring.load(directory: root + "/keys")
        #expect(throws: InteractionMonitorError(.keyInUse, "")) {
            try KeyringAdministration.retire(directory: root + "/keys", secret: nil, keyID: active.activeDataKeyID, store: store)
        }

        let keyring = try Keyring.load(directory: root + "/keys")
        var progressCalls = 0
        let outcome = try ReEncryptor(store: store, keyring: keyring).run { _ in progressCalls += 1 }
        let dayCount = try store.days().count
        #expect(outcome.failures.isEmpty && outcome.filesRewritten == dayCount && progressCalls > 0)
        #expect(try segmentKeys(store).keys.sorted() == [keyring.activeDataKeyID])
        // Running again finds nothing to do.
        let again = try ReEncryptor(store: store, keyring: keyring).run()
        #expect(again.filesRewritten == 0 && again.blobsResealed.isEmpty)

        try KeyringAdministration.retire(directory: root + "/keys", secret: nil, keyID: old.id, store: store)
        let after = try Keyring.load(directory: root + "/keys")
        #expect(after.entry(old.id)?.status == .retired && after.dataKey(old.id) == nil)
        let text = try String(contentsOfFile: root + "/keys/keyring", encoding: .utf8)
        #expect(text.contains("data \(old.id) ") && text.contains(" retired -"))
        // Everything still decrypts and verifies with the old key gone.
        var n = 0
        let report = try DecryptingReader(store: store, keyring: after).read { _ in n += 1 }
        #expect(!report.hasErrors && n == 200)
        #expect(try StoreAdministrator(store: store, keyring: after).optOuts().count >= 1)
    }

    @Test func hashKeysUsedByPseudonymsOrTheOptOutRegistryCannotBeRetired() async throws {
        let root = tempDir()
        defer { try? FileManager.default.removeItem(atPath: root) }
        var config = InteractionMonitor.Configuration(dataDirectory: root + "/data", keysDirectory: root + "/keys")
        config.retentionDays = nil
        let monitor = try InteractionMonitor(configuration: config)
        monitor.record(.cliCommand, command: "x", status: .success, durationMs: 1, userID: "alice")
        try await monitor.flush()
        let store = FileSegmentStore(directory: root + "/data")
        _ = try StoreAdministrator(store: store, keyring: monitor.keyring).optOut(userID: "bob")
        let (_, oldHash) = try KeyringAdministration.rotate(directory: root + "/keys", secret: nil, purpose: .hash)
        do {
            try KeyringAdministration.retire(directory: root + "/keys", secret: nil, keyID: oldHash.id, store: store)
            Issue.record("must be refused")
        } catch let e as InteractionMonitorError {
            #expect(e.code == .keyInUse && e.message.contains("day file") && e.message.contains("opt-out"))
        }
        // The opt-out made under the old epoch still applies after the rotation.
        let reloaded = try InteractionMonitor(configuration: config)
        reloaded.record(.cliCommand, command: "y", status: .success, durationMs: 1, userID: "bob")
        try await reloaded.flush()
        #expect(reloaded.statistics().dropped[.optedOut] == 1 && reloaded.statistics().flushed == 0)
        // Once the data and the registry entry are gone, the hash key can go.
        let keyring = try Keyring.load(directory: root + "/keys")
        let admin = StoreAdministrator(store: store, keyring: keyring)
        _ = try admin.forget(userID: "alice")
        _ = try admin.optIn(userID: "bob")
        _ = try admin.optIn(userID: "alice")
        for day in try store.days() { _ = try SegmentRewriter(store: store, keyring: keyring).removeDay(day) }
        try KeyringAdministration.retire(directory: root + "/keys", secret: nil, keyID: oldHash.id, store: store)
        #expect(try Keyring.load(directory: root + "/keys").entry(oldHash.id)?.status == .retired)
    }

    @Test func aMonitorWhoseKeyringCannotBeReloadedKeepsRecordingWithItsKeys() async throws {
        let root = tempDir()
        defer { try? FileManager.default.removeItem(atPath: root) }
        var config = InteractionMonitor.Configuration(dataDirectory: root + "/data", keysDirectory: root + "/keys")
        config.retentionDays = nil
        let monitor = try InteractionMonitor(configuration: config)
        let before = monitor.keyring.activeDataKeyID
        // Sealed by a passphrase this process does not have: the reload fails, the monitor carries on.
        try KeyringAdministration.protect(directory: root + "/keys", secret: nil, with: try .passphrase("p"), strength: .interactive)
        monitor.record(.cliCommand, command: "x", status: .success, durationMs: 1)
        try await monitor.flush()
        #expect(monitor.keyring.activeDataKeyID == before)
        #expect(try monitor.storedInteractions().count == 1)
    }
}
