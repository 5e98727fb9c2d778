import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

@testable import InteractionMonitor
@testable import InteractionMonitorAnalytics

/// Attacks by someone who can write the data directory but holds no keys, each followed by the ordinary operation
/// that used to hide it (a write, a rewrite for erasure or retention, re-encryption): afterwards `verify` still
/// reports the attack naming the file, or the operation refuses and changes nothing. SECURITY.md lists each case.
struct AdversarialStoreTests {
    static let days = [Day("2026-11-20")!, Day("2026-11-21")!, Day("2026-11-22")!]

    /// A store of three days, three segments a day (two records each).
    struct Fixture {
        let dir = TemporaryDirectory()
        let store: FileSegmentStore
        let keyring: Keyring
        var written: [Interaction] = []

        init() throws {
            keyring = try Keyring.loadOrCreate(directory: dir.keys)
            store = FileSegmentStore(directory: dir.data)
            for day in AdversarialStoreTests.days {
                for s in 0..<3 { try write(day, n: s * 2, count: 2) }
            }
        }

        mutating func write(_ day: Day, n: Int, count: Int = 1) throws {
            let batch = (0..<count).map { sample(day: day, n: n + $0) }
            _ = try SegmentWriter(store: store).write(batch, batchSize: 2, keyring: keyring)
            written += batch
        }

        func path(_ day: Day) -> String { store.path(of: day) }
        func name(_ day: Day) -> String { store.name(of: day) }
        func bytes(_ day: Day) throws -> [UInt8] { try readBytes(path(day)) }
        func verify() throws -> StoreReport { try DecryptingReader(store: store, keyring: keyring).verify() }
        var issuesText: String { (try? verify().issues.description) ?? "(verify threw)" }
        func errors(_ file: String? = nil) throws -> [StoreIssue] {
            try verify().issues.filter { $0.severity == .error && (file == nil || $0.file == file) }
        }
        /// The ordinary write that used to heal tampering: one more record for `day`.
        func nextWrite(_ day: Day) throws {
            _ = try SegmentWriter(store: store).write([sample(day: day, n: 90)], batchSize: 2, keyring: keyring)
        }
        func rewriter(_ purpose: String = "forget") -> SegmentRewriter {
            SegmentRewriter(store: store, keyring: keyring, purpose: purpose)
        }
        /// An erasure of records of user hash `u2` from `day`.
        func forget(_ day: Day) throws -> SegmentRewriter.Outcome {
            try rewriter().rewrite(day: day) { $0.userHash == "u2" }
        }
        func blobPath(_ name: String) -> String { dir.data + "/" + name }
    }

    let d0 = days[0], d1 = days[1], d2 = days[2]

    // MARK: The next write never heals

    @Test func aFileCutAtASegmentBoundaryStaysReportedAfterWrites() throws {
        let f = try Fixture()
        let frames = try frameOffsets(try f.bytes(d1))
        try writeBytes(Array(try f.bytes(d1).prefix(frames[2].offset)), to: f.path(d1))
        #expect(try f.errors(f.name(d1)).contains { $0.message.contains("truncated") })
        for _ in 0..<3 { try f.nextWrite(d1) }
        #expect(try f.errors(f.name(d1)).contains { $0.message.contains("truncated") })
    }

    @Test func aDeletedDayFileStaysReportedAfterTheDayIsWrittenAgain() throws {
        let f = try Fixture()
        try FileManager.default.removeItem(atPath: f.path(d1))
        #expect(try f.errors(f.name(d1)).contains { $0.message.contains("missing") })
        try f.nextWrite(d1)
        #expect(try !f.errors(f.name(d1)).isEmpty)
    }

    @Test func aRecordedSegmentChoppedToLookTornIsNeverCut() throws {
        let f = try Fixture()
        let bytes = try f.bytes(d1)
        let frames = try frameOffsets(bytes)
        let chopped = Array(bytes.prefix(frames[2].offset + frames[2].length / 2))
        try writeBytes(chopped, to: f.path(d1))
        try f.nextWrite(d1)
        #expect(try f.bytes(d1).starts(with: chopped), "the chopped segment's bytes are kept as evidence")
        #expect(try !f.errors(f.name(d1)).isEmpty)
    }

    @Test func aSurplusSegmentNoWriteAnnouncedIsAFindingBeforeAndAfterWrites() throws {
        let f = try Fixture()
        let bytes = try f.bytes(d1)
        let frames = try frameOffsets(bytes)
        // A copy of the day's first segment appended (a replay at the end).
        try writeBytes(bytes + Array(bytes[frames[0].offset..<frames[0].offset + frames[0].length]), to: f.path(d1))
        #expect(try !f.errors(f.name(d1)).isEmpty)
        try f.nextWrite(d1)
        #expect(try !f.errors(f.name(d1)).isEmpty)
    }

    @Test func aDeletedManifestIsNeverSilentlyReplaced() throws {
        let f = try Fixture()
        try FileManager.default.removeItem(atPath: f.blobPath("manifest.enc"))
        for _ in 0..<3 { try f.nextWrite(d2) }
        let errors = try f.errors("manifest.enc")
        #expect(errors.contains { $0.message.contains("missing") }, "\(f.issuesText)")
    }

    @Test func anAlteredManifestIsReportedAfterWrites() throws {
        let f = try Fixture()
        var bytes = try readBytes(f.blobPath("manifest.enc"))
        bytes[bytes.count / 2] ^= 0x40
        try writeBytes(bytes, to: f.blobPath("manifest.enc"))
        try f.nextWrite(d2)
        try f.nextWrite(d0)
        #expect(try !f.errors("manifest.enc").isEmpty)
    }

    @Test func anOlderManifestPutBackIsReportedAfterWrites() throws {
        var f = try Fixture()
        let old = try readBytes(f.blobPath("manifest.enc"))
        try f.write(d1, n: 20, count: 2)
        try writeBytes(old, to: f.blobPath("manifest.enc"))
        #expect(try !f.errors(f.name(d1)).isEmpty)
        try f.nextWrite(d1)
        #expect(try !f.errors(f.name(d1)).isEmpty)
    }

    @Test func aManifestFromAnotherStoreSharingTheKeyringIsRefused() throws {
        let f = try Fixture()
        let other = FileSegmentStore(directory: f.dir.path + "/other")
        _ = try SegmentWriter(store: other).write([sample(day: d0, n: 1)], batchSize: 2, keyring: f.keyring)
        try writeBytes(try readBytes(f.dir.path + "/other/manifest.enc"), to: f.blobPath("manifest.enc"))
        #expect(try f.errors("manifest.enc").contains { $0.message.contains("another store") })
        try f.nextWrite(d0)
        #expect(try !f.errors("manifest.enc").isEmpty)
    }

    @Test func aDayFileFromAnotherStoreSharingTheKeyringIsReported() throws {
        let f = try Fixture()
        let other = FileSegmentStore(directory: f.dir.path + "/other")
        let extra = Day("2026-11-25")!
        _ = try SegmentWriter(store: other).write([sample(day: extra, n: 1)], batchSize: 2, keyring: f.keyring)
        try writeBytes(try readBytes(other.path(of: extra)), to: f.path(extra))
        #expect(try f.errors(f.name(extra)).contains { $0.message.contains("not recorded") })
        try f.nextWrite(extra)
        #expect(try !f.errors(f.name(extra)).isEmpty)
    }

    @Test func aDeletedStoreIDIsReportedAndPutBackOnTheRecord() throws {
        let f = try Fixture()
        let id = try readBytes(f.blobPath("store.id"))
        try FileManager.default.removeItem(atPath: f.blobPath("store.id"))
        #expect(try f.errors("store.id").contains { $0.message.contains("missing") })
        try f.nextWrite(d2)
        #expect(try readBytes(f.blobPath("store.id")) == id)
        #expect(try f.errors("store.id").contains { $0.message.contains("written again") }, "the repair stays on the record")
    }

    @Test func aWholeStoreDeletedIsReportedThroughTheKeysDirectorysRegister() throws {
        let f = try Fixture()
        for name in try FileManager.default.contentsOfDirectory(atPath: f.dir.data) {
            try FileManager.default.removeItem(atPath: f.dir.data + "/" + name)
        }
        #expect(try f.errors().contains { $0.message.contains("is gone") }, "\(f.issuesText)")
        try f.nextWrite(d2)
        #expect(try f.errors("manifest.enc").contains { $0.message.contains("was gone") }, "\(f.issuesText)")
    }

    // MARK: Deletions and generations are remembered

    @Test func aDayFilePutBackAfterErasureIsReported() throws {
        let f = try Fixture()
        let before = try f.bytes(d1)
        #expect(try f.forget(d1).removed > 0)
        try writeBytes(before, to: f.path(d1))
        #expect(try !f.errors(f.name(d1)).isEmpty)
        try f.nextWrite(d1)
        #expect(try !f.errors(f.name(d1)).isEmpty)
    }

    @Test func aDayRemovedByRetentionStaysATombstoneAndARestoredCopyIsReported() throws {
        let f = try Fixture()
        let before = try f.bytes(d0)
        #expect(try f.rewriter("retention").removeDay(d0))
        #expect(try f.errors().isEmpty, "\(f.issuesText)")
        let m = try #require(try StoreManifest.current(store: f.store, keyring: f.keyring))
        #expect(m.entries[d0]?.removedBy == "retention")
        try writeBytes(before, to: f.path(d0))
        #expect(try f.errors(f.name(d0)).contains { $0.message.contains("removed") })
    }

    @Test func anOlderLongerGenerationIsReported() throws {
        let f = try Fixture()
        let before = try f.bytes(d1)
        _ = try f.forget(d1)  // shorter now
        try writeBytes(before, to: f.path(d1))
        #expect(try !f.errors(f.name(d1)).isEmpty)
    }

    @Test func anOlderGenerationOfEqualLengthIsReported() throws {
        let f = try Fixture()
        let before = try f.bytes(d1)
        // Re-encryption under a new key: same count, new tags.
        _ = try KeyringAdministration.rotate(directory: f.dir.keys, secret: nil, purpose: .data)
        let rotated = try Keyring.load(directory: f.dir.keys)
        let outcome = try ReEncryptor(store: f.store, keyring: rotated).run()
        #expect(outcome.failures.isEmpty, "\(outcome.failures)")
        #expect(try f.bytes(d1).count == before.count)
        try writeBytes(before, to: f.path(d1))
        let report = try DecryptingReader(store: f.store, keyring: rotated).verify()
        #expect(report.issues.contains { $0.severity == .error && $0.file == f.name(d1) }, "\(report.issues)")
    }

    @Test func everyRewriteAdvancesTheDaysGeneration() throws {
        let f = try Fixture()
        let g0 = try #require(try StoreManifest.current(store: f.store, keyring: f.keyring)?.entries[d1]?.generation)
        _ = try f.forget(d1)
        let g1 = try #require(try StoreManifest.current(store: f.store, keyring: f.keyring)?.entries[d1]?.generation)
        #expect(g1 == g0 + 1)
        #expect(try f.errors().isEmpty)
    }

    // MARK: Rewrites check what the reader checks

    @Test func aReplayedSegmentIsNotLaunderedByAnUnrelatedErasure() throws {
        let f = try Fixture()
        let bytes = try f.bytes(d1)
        let frames = try frameOffsets(bytes)
        let replayed = Array(bytes.prefix(frames[2].offset)) + Array(bytes[frames[0].offset..<frames[0].offset + frames[0].length])
            + Array(bytes[frames[2].offset...])
        try writeBytes(replayed, to: f.path(d1))
        #expect(throws: InteractionMonitorError.self) { try f.forget(d1) }
        #expect(try f.bytes(d1) == replayed, "refused: nothing changed")
        #expect(try f.errors(f.name(d1)).contains { $0.message.contains("replayed") })
    }

    @Test func aSegmentMovedFromAnotherDayIsNotLaunderedByErasureOrRetention() throws {
        let f = try Fixture()
        let other = try f.bytes(d2)
        let frames = try frameOffsets(other)
        let moved = try f.bytes(d1) + Array(other[frames[1].offset..<frames[1].offset + frames[1].length])
        try writeBytes(moved, to: f.path(d1))
        #expect(throws: InteractionMonitorError.self) { try f.forget(d1) }
        #expect(throws: InteractionMonitorError.self) { try f.rewriter("retention").removeDay(d1) }
        #expect(try f.bytes(d1) == moved)
        #expect(try f.errors(f.name(d1)).contains { $0.message.contains("moved") })
    }

    @Test func reEncryptionRefusesATamperedFileAndChangesNothing() throws {
        let f = try Fixture()
        let bytes = try f.bytes(d1)
        let frames = try frameOffsets(bytes)
        let replayed = bytes + Array(bytes[frames[0].offset..<frames[0].offset + frames[0].length])
        try writeBytes(replayed, to: f.path(d1))
        _ = try KeyringAdministration.rotate(directory: f.dir.keys, secret: nil, purpose: .data)
        let rotated = try Keyring.load(directory: f.dir.keys)
        let outcome = try ReEncryptor(store: f.store, keyring: rotated).run()
        #expect(outcome.failures.contains { $0.contains(f.name(d1)) }, "\(outcome.failures)")
        #expect(try f.bytes(d1) == replayed)
        #expect(try DecryptingReader(store: f.store, keyring: rotated).verify().hasErrors)
    }

    // MARK: The state that protects people

    func monitor(_ f: Fixture) throws -> InteractionMonitor {
        var c = InteractionMonitor.Configuration(dataDirectory: f.dir.data, keysDirectory: f.dir.keys)
        c.retentionDays = nil
        return try InteractionMonitor(configuration: c, store: f.store, keyring: f.keyring)
    }

    @Test func aDeletedOptOutRegistryNeverOptsAnyoneBackIn() async throws {
        let f = try Fixture()
        let admin = StoreAdministrator(store: f.store, keyring: f.keyring)
        try admin.optOut(userID: "bob")
        try FileManager.default.removeItem(atPath: f.blobPath(OptOutRegistry.blobName))
        let m = try monitor(f)
        m.record(.cliCommand, command: "x", status: .success, durationMs: 1, userID: "bob")
        await #expect(throws: InteractionMonitorError.self) { try await m.flush() }
        #expect(m.statistics().flushed == 0 && m.statistics().buffered == 1)
        #expect(m.statistics().lastError?.contains("opt-out registry") == true)
        #expect(try !f.errors(OptOutRegistry.blobName).isEmpty)
        await m.stop()
    }

    @Test func anOlderOptOutRegistryPutBackIsNotTrusted() async throws {
        let f = try Fixture()
        let admin = StoreAdministrator(store: f.store, keyring: f.keyring)
        try admin.optOut(userID: "alice")
        let old = try readBytes(f.blobPath(OptOutRegistry.blobName))
        try admin.optOut(userID: "bob")
        try writeBytes(old, to: f.blobPath(OptOutRegistry.blobName))
        #expect(throws: InteractionMonitorError.self) { try OptOutRegistry.load(store: f.store, keyring: f.keyring) }
        let m = try monitor(f)
        m.record(.cliCommand, command: "x", status: .success, durationMs: 1, userID: "bob")
        await #expect(throws: InteractionMonitorError.self) { try await m.flush() }
        #expect(m.statistics().flushed == 0)
        #expect(try !f.errors(OptOutRegistry.blobName).isEmpty)
        await m.stop()
    }

    @Test func anOlderPrivacyLedgerPutBackRefusesEveryRelease() throws {
        let f = try Fixture()
        try PrivacyLedger.setBudget(PrivacyAmount(micros: 1_000_000), store: f.store, keyring: f.keyring)
        let fresh = try readBytes(f.blobPath(PrivacyLedger.blobName))
        try PrivacyLedger.charge(PrivacyAmount(micros: 900_000), command: "stats", store: f.store, keyring: f.keyring)
        try writeBytes(fresh, to: f.blobPath(PrivacyLedger.blobName))
        #expect(throws: InteractionMonitorError.self) {
            try PrivacyLedger.charge(PrivacyAmount(micros: 900_000), command: "stats", store: f.store, keyring: f.keyring)
        }
        #expect(throws: InteractionMonitorError.self) { try PrivacyLedger.read(store: f.store, keyring: f.keyring) }
        #expect(try !f.errors(PrivacyLedger.blobName).isEmpty)
    }

    @Test func theLedgerCopiedOverTheRegistryIsReportedAndNotTrusted() throws {
        let f = try Fixture()
        try StoreAdministrator(store: f.store, keyring: f.keyring).optOut(userID: "bob")
        try PrivacyLedger.setBudget(PrivacyAmount(micros: 1_000_000), store: f.store, keyring: f.keyring)
        try writeBytes(try readBytes(f.blobPath(PrivacyLedger.blobName)), to: f.blobPath(OptOutRegistry.blobName))
        #expect(throws: InteractionMonitorError.self) { try OptOutRegistry.load(store: f.store, keyring: f.keyring) }
        #expect(try !f.errors(OptOutRegistry.blobName).isEmpty)
    }

    @Test func aDeletedDerivedFileIsReported() throws {
        let f = try Fixture()
        try DerivedFiles.save(patterns: [], store: f.store, keyring: f.keyring)
        #expect(try f.errors().isEmpty)
        try FileManager.default.removeItem(atPath: f.blobPath("patterns.enc"))
        #expect(try !f.errors("patterns.enc").isEmpty)
    }

    @Test func aFIFOInPlaceOfTheRegistryFailsAtOnceInsteadOfHanging() throws {
        let f = try Fixture()
        #expect(mkfifo(f.blobPath(OptOutRegistry.blobName), 0o600) == 0)
        #expect(throws: InteractionMonitorError.self) { try OptOutRegistry.load(store: f.store, keyring: f.keyring) }
        #expect(try !f.errors(OptOutRegistry.blobName).isEmpty)
    }

    // MARK: Paths

    @Test func aDayFileReplacedByASymbolicLinkIsNeverWrittenThrough() throws {
        let f = try Fixture()
        let outside = f.dir.path + "/outside"
        try writeBytes(Array("someone else's file\n".utf8), to: outside)
        #expect(chmod(outside, 0o644) == 0)
        try FileManager.default.removeItem(atPath: f.path(d2))
        try FileManager.default.createSymbolicLink(atPath: f.path(d2), withDestinationPath: outside)
        #expect(throws: InteractionMonitorError.self) { try f.nextWrite(d2) }
        #expect(try readBytes(outside) == Array("someone else's file\n".utf8))
        #expect(try mode(of: outside) == 0o644)
        #expect(try !f.errors(f.name(d2)).isEmpty)
    }

    @Test func lockAndTemporaryFilesAreNeverCreatedThroughDanglingLinks() throws {
        let f = try Fixture()
        let target = f.dir.path + "/created-through-link"
        try? FileManager.default.removeItem(atPath: f.dir.data + "/.manifest.enc.lock")
        try FileManager.default.createSymbolicLink(atPath: f.dir.data + "/.manifest.enc.lock", withDestinationPath: target)
        #expect(throws: InteractionMonitorError.self) { try f.nextWrite(d2) }
        #expect(!FileManager.default.fileExists(atPath: target))
    }

    @Test func aDataDirectoryOpenToOthersIsRefusedWithTheFix() throws {
        let f = try Fixture()
        #expect(chmod(f.dir.data, 0o777) == 0)
        do {
            try f.nextWrite(d2)
            Issue.record("a world-writable data directory must be refused")
        } catch let e as InteractionMonitorError {
            #expect(e.code == .configuration && e.message.contains("chmod go-w"))
        }
        #expect(chmod(f.dir.data, 0o700) == 0)
    }

    // MARK: Time

    @Test func timestampsOutsideYearsOneToNineThousandNineHundredNinetyNineAreRejected() async throws {
        #expect(Timestamp(iso8601: "9999-12-31T23:59:59-23:59") == nil)
        #expect(Timestamp(iso8601: "0000-01-01T00:00:00+00:01") == nil)
        #expect(Timestamp(iso8601: "9999-12-31T23:59:59Z") != nil)
        let store = InMemorySegmentStoreForTests()
        let m = try InteractionMonitor(
            configuration: .init(dataDirectory: "memory", keysDirectory: "memory"), store: store.store,
            keyring: try Keyring.generate())
        m.record(.cliCommand, command: "far", status: .success, durationMs: 1,
                 timestamp: Timestamp(microsecondsSinceEpoch: 253_402_300_800_000_000))  // 10000-01-01
        m.record(.cliCommand, command: "ok", status: .success, durationMs: 1)
        try await m.flush()
        #expect(m.statistics().dropped[.invalidTimestamp] == 1 && m.statistics().flushed == 1)
        #expect(try store.store.days().allSatisfy { Day.storable.contains($0) })
        await m.stop()
    }

    @Test func recordsOlderThanTheRetentionPeriodAreDroppedWhenRecordedNotStoredThenDeleted() async throws {
        let store = InMemorySegmentStoreForTests()
        var c = InteractionMonitor.Configuration(dataDirectory: "memory", keysDirectory: "memory")
        c.retentionDays = 30
        let m = try InteractionMonitor(configuration: c, store: store.store, keyring: try Keyring.generate())
        let now = Timestamp.now().microsecondsSinceEpoch
        for n in 0..<10 {
            m.record(.cliCommand, command: "old", status: .success, durationMs: 1,
                     timestamp: Timestamp(microsecondsSinceEpoch: now - 40 * 86_400_000_000 + Int64(n)))
            m.record(.cliCommand, command: "new", status: .success, durationMs: 1,
                     timestamp: Timestamp(microsecondsSinceEpoch: now - 86_400_000_000 + Int64(n)))
        }
        try await m.flush()
        #expect(m.statistics().recorded == 10 && m.statistics().dropped[.pastRetention] == 10)
        #expect(m.statistics().flushed == 10)
        await m.stop()
    }

    // MARK: Acknowledgement and history

    @Test func anAcknowledgedFindingStopsFailingButStaysInTheHistory() throws {
        let f = try Fixture()
        let frames = try frameOffsets(try f.bytes(d1))
        try writeBytes(Array(try f.bytes(d1).prefix(frames[2].offset)), to: f.path(d1))
        try f.nextWrite(d1)
        #expect(try !f.errors().isEmpty)
        let done = try StoreAdministrator(store: f.store, keyring: f.keyring).acknowledge(reason: "restored from backup")
        #expect(!done.isEmpty)
        #expect(try f.errors().isEmpty, "\(f.issuesText)")
        let m = try #require(try StoreManifest.current(store: f.store, keyring: f.keyring))
        #expect(m.findings.contains { $0.acknowledged?.reason == "restored from backup" && $0.file == f.name(d1) })
        try f.nextWrite(d1)
        #expect(try f.errors().isEmpty)
    }

    // MARK: Rollback of the whole store

    func copyDirectory(_ from: String, _ to: String) throws {
        try? FileManager.default.removeItem(atPath: to)
        try FileManager.default.copyItem(atPath: from, toPath: to)
        #expect(chmod(to, 0o700) == 0)
    }

    @Test func aCheckpointDetectsAWholeStoreRolledBack() throws {
        let f = try Fixture()
        let backup = f.dir.path + "/backup"
        try copyDirectory(f.dir.data, backup)
        let admin = StoreAdministrator(store: f.store, keyring: f.keyring)
        let c = try admin.checkpoint()
        #expect(try admin.check(checkpoint: c) == nil)
        try f.nextWrite(d2)
        #expect(try admin.check(checkpoint: c) == nil, "the history extends the checkpoint")
        try FileManager.default.removeItem(atPath: f.dir.data)
        try copyDirectory(backup, f.dir.data)
        #expect(try f.errors().isEmpty, "a consistent older store verifies on its own")
        #expect(try admin.check(checkpoint: c)?.contains("rolled back") == true)
        #expect(StoreCheckpoint(c.description) == c)
    }

    @Test func aCheckpointDetectsAStoreForkedFromAnOlderCopy() throws {
        let f = try Fixture()
        let backup = f.dir.path + "/backup"
        try copyDirectory(f.dir.data, backup)
        let admin = StoreAdministrator(store: f.store, keyring: f.keyring)
        let c = try admin.checkpoint()
        // The old copy put back and written to by an ordinary writer until it is past the checkpoint's generation.
        try FileManager.default.removeItem(atPath: f.dir.data)
        try copyDirectory(backup, f.dir.data)
        for _ in 0..<3 { try f.nextWrite(d2) }
        #expect(try admin.check(checkpoint: c) != nil)
    }

    // MARK: Upgrade

    @Test func aFormatThreeManifestIsReadAndUpgradedInPlace() throws {
        let f = try Fixture()
        // The previous format's text: the same records under the format 3 header (no writer progress).
        let m = try #require(try StoreManifest.current(store: f.store, keyring: f.keyring))
        var lines = String(decoding: m.encoded(), as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0] == "interaction-monitor-manifest 4")
        lines[0] = Substring(StoreManifest.headerV3)
        let sealed = try SegmentCodec.sealFormat1(
            Array(lines.joined(separator: "\n").utf8), kind: .manifest, day: Day(daysSinceEpoch: 0), position: .start,
            keyring: f.keyring
        ).frame
        try writeBytes(sealed, to: f.blobPath("manifest.enc"))
        #expect(try StoreManifest.current(store: f.store, keyring: f.keyring)?.format == 3)
        #expect(try f.errors().isEmpty, "\(f.issuesText)")
        try f.nextWrite(d2)
        let upgraded = try #require(try StoreManifest.current(store: f.store, keyring: f.keyring))
        #expect(upgraded.format == 4 && upgraded.storeID == m.storeID && upgraded.entries.count == m.entries.count)
        #expect(try f.errors().isEmpty, "\(f.issuesText)")
    }

    @Test func aFormatTwoManifestIsReadAndUpgradedInPlace() throws {
        let f = try Fixture()
        // Rewrite the manifest as format 2 (what the previous version wrote).
        let m = try #require(try StoreManifest.current(store: f.store, keyring: f.keyring))
        var text = StoreManifest.headerV2 + "\n"
        for (day, e) in m.entries.sorted(by: { $0.key < $1.key }) {
            text += "\(day) \(e.current.count) \(e.current.lastTag.map { String(format: "%02x", $0) }.joined()) h=?\n"
        }
        let sealed = try SegmentCodec.sealFormat1(
            Array(text.utf8), kind: .manifest, day: Day(daysSinceEpoch: 0), position: .start, keyring: f.keyring
        ).frame
        try writeBytes(sealed, to: f.blobPath("manifest.enc"))
        #expect(try f.errors().isEmpty, "\(f.issuesText)")
        try f.nextWrite(d2)
        let upgraded = try #require(try StoreManifest.current(store: f.store, keyring: f.keyring))
        #expect(upgraded.format == 4 && upgraded.storeID != nil && upgraded.tracksBlobs)
        #expect(try f.errors().isEmpty, "\(f.issuesText)")
        // And the upgraded store detects what the old one could not: a later cut.
        let frames = try frameOffsets(try f.bytes(d0))
        try writeBytes(Array(try f.bytes(d0).prefix(frames[1].offset)), to: f.path(d0))
        try f.nextWrite(d0)
        #expect(try !f.errors(f.name(d0)).isEmpty)
    }
}

/// An in-memory store for the tests above (the test kit's type, without depending on the test kit target).
struct InMemorySegmentStoreForTests {
    let store: any SegmentStore

    init() {
        let dir = TemporaryDirectory()
        store = FileSegmentStore(directory: dir.data)
        keep = dir
    }

    private let keep: TemporaryDirectory
}
