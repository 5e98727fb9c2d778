import Foundation
import Testing

@testable import InteractionMonitor
@testable import InteractionMonitorAnalytics

/// Frames name their store and derived files their name in the authenticated data (segment format 2): what is
/// copied between stores sharing a keyring, or from one derived file to another, is rejected by authentication —
/// without the manifest, and after an operator acknowledged the manifest's finding. Format 1 frames are still read
/// and are rewritten in the current format.
struct StoreBindingTests {
    typealias Fixture = AdversarialStoreTests.Fixture
    let d0 = AdversarialStoreTests.days[0], d1 = AdversarialStoreTests.days[1]

    /// A second store in the same temporary directory, sharing the fixture's keyring, holding `day`.
    func otherStore(_ f: Fixture, day: Day) throws -> FileSegmentStore {
        let other = FileSegmentStore(directory: f.dir.path + "/other")
        _ = try SegmentWriter(store: other).write(
            [sample(day: day, n: 1), sample(day: day, n: 2)], batchSize: 1, keyring: f.keyring)
        return other
    }

    @Test func everyFrameAndEnvelopeNamesItsStore() throws {
        let f = try Fixture()
        try StoreAdministrator(store: f.store, keyring: f.keyring).optOut(userID: "bob")
        let id = try #require(try StoreIdentity.read(store: f.store))
        for day in AdversarialStoreTests.days {
            try FrameScanner(bytes: try f.bytes(day)).scan { item in
                guard case .frame(let frame) = item else { Issue.record("damage in a fresh store"); return }
                #expect(frame.header.version == 2 && frame.header.storeID == id)
            }
        }
        for name in [StoreManifest.blobName, OptOutRegistry.blobName] {
            let frame = try #require(try FrameScanner(bytes: readBytes(f.blobPath(name))).frame(at: 0))
            #expect(frame.header.version == 2 && frame.header.storeID == id, "\(name)")
        }
    }

    @Test func aDayFileFromAnotherStoreIsRejectedEvenWithoutTheManifest() throws {
        var f = try Fixture()
        let other = try otherStore(f, day: d1)
        try writeBytes(try readBytes(other.path(of: d1)), to: f.path(d1))
        // The manifest that would have caught it through the tags is gone too.
        try FileManager.default.removeItem(atPath: f.blobPath(StoreManifest.blobName))
        let foreign = { try f.errors(f.name(d1)).filter { $0.message.contains("sealed for another store") } }
        #expect(try foreign().count == 2, "\(f.issuesText)")
        var got: [Interaction] = []
        _ = try DecryptingReader(store: f.store, keyring: f.keyring).read { got.append($0) }
        #expect(got.allSatisfy { $0.timestamp.day != d1 }, "no record of the other store is delivered")
        // The ordinary operations that follow neither heal nor launder it.
        try f.write(d1, n: 50)
        #expect(try foreign().count == 2, "\(f.issuesText)")
        #expect(throws: InteractionMonitorError.self) { try f.forget(d1) }
        #expect(try foreign().count == 2)
    }

    @Test func aDayFileFromAnotherStoreStaysRejectedAfterTheManifestFindingIsAcknowledged() throws {
        let f = try Fixture()
        let other = try otherStore(f, day: d1)
        try writeBytes(try readBytes(other.path(of: d1)), to: f.path(d1))
        _ = try StoreAdministrator(store: f.store, keyring: f.keyring).acknowledge(reason: "test: accept the file")
        #expect(try f.errors(f.name(d1)).contains { $0.message.contains("sealed for another store") }, "\(f.issuesText)")
        _ = try ReEncryptor(store: f.store, keyring: f.keyring).run()
        #expect(try f.errors(f.name(d1)).contains { $0.message.contains("sealed for another store") })
    }

    @Test func aDerivedFileFromAnotherStoreIsNotTrustedEvenAfterAcknowledgement() async throws {
        let f = try Fixture()
        let admin = StoreAdministrator(store: f.store, keyring: f.keyring)
        try admin.optOut(userID: "bob")
        let other = try otherStore(f, day: d0)
        try StoreAdministrator(store: other, keyring: f.keyring).optOut(userID: "carol")
        try writeBytes(try readBytes(f.dir.path + "/other/" + OptOutRegistry.blobName), to: f.blobPath(OptOutRegistry.blobName))
        _ = try admin.acknowledge(reason: "test: accept the registry")
        #expect(throws: InteractionMonitorError.self) { try OptOutRegistry.load(store: f.store, keyring: f.keyring) }
        #expect(try f.errors(OptOutRegistry.blobName).contains { $0.message.contains("another store") }, "\(f.issuesText)")
        // The recorder fails closed: bob's record is held, not written as if he had opted back in.
        let m = try AdversarialStoreTests().monitor(f)
        m.record(.cliCommand, command: "x", status: .success, durationMs: 1, userID: "bob")
        await #expect(throws: InteractionMonitorError.self) { try await m.flush() }
        #expect(m.statistics().flushed == 0 && m.statistics().buffered == 1)
        await m.stop()
    }

    @Test func aDerivedFileCopiedOverAnotherFailsAuthenticationNamingWhatItIs() throws {
        let f = try Fixture()
        try StoreAdministrator(store: f.store, keyring: f.keyring).optOut(userID: "bob")
        try PrivacyLedger.setBudget(PrivacyAmount(micros: 1_000_000), store: f.store, keyring: f.keyring)
        let ledger = try readBytes(f.blobPath(PrivacyLedger.blobName))
        #expect(SealedBlob.knownNames.contains(PrivacyLedger.blobName))
        let id = try StoreIdentity.read(store: f.store)
        #expect {
            _ = try SealedBlob.open(
                ledger, keyring: f.keyring, what: "opt-out registry", name: OptOutRegistry.blobName, storeID: id)
        } throws: { ($0 as? InteractionMonitorError)?.message.contains("copy of privacy_ledger.enc") == true }
        // Accepted on the record by an operator, it is still not a registry.
        try writeBytes(ledger, to: f.blobPath(OptOutRegistry.blobName))
        _ = try StoreAdministrator(store: f.store, keyring: f.keyring).acknowledge(reason: "test: accept the copy")
        #expect(throws: InteractionMonitorError.self) { try OptOutRegistry.load(store: f.store, keyring: f.keyring) }
        #expect(try f.errors(OptOutRegistry.blobName).contains { $0.message.contains("copy of privacy_ledger.enc") })
    }

    // MARK: Upgrade from segment format 1

    /// Writes `day` as a version-1 writer did: format 1 frames, recorded in the manifest.
    func writeFormat1(_ f: inout Fixture, day: Day, segments: Int) throws -> [Interaction] {
        var bytes: [UInt8] = []
        var position = SegmentPosition.start
        var records: [Interaction] = []
        for s in 0..<segments {
            let batch = [sample(day: day, n: 70 + s)]
            let (frame, tag) = try SegmentCodec.sealFormat1(
                SegmentWriter.batches(batch, batchSize: 10)[0], kind: .interactions, day: day, position: position,
                keyring: f.keyring)
            bytes += frame
            position = SegmentPosition(index: position.index + 1, previousTag: tag)
            records += batch
        }
        try writeBytes(bytes, to: f.path(day))
        let end = StoreManifest.State(position)
        try StoreManifest.update(store: f.store, keyring: f.keyring, except: []) {
            $0.entries[day] = .init(current: end, alternate: nil, hashKeys: nil)
        }
        f.written += records
        return records
    }

    @Test func formatOneFramesAreReadAppendedToAndRewrittenInTheCurrentFormat() throws {
        var f = try Fixture()
        let day = Day("2026-11-23")!
        _ = try writeFormat1(&f, day: day, segments: 3)
        // A format 1 registry, recorded as the previous version recorded it.
        var registry = OptOutRegistry()
        registry.insert(.init(hashKeyID: f.keyring.activeHashKeyID, userHash: String(repeating: "cd", count: 16), since: Timestamp(microsecondsSinceEpoch: 0)))
        let (old, oldTag) = try SegmentCodec.sealFormat1(
            registry.encoded(), kind: .derived, day: Day(daysSinceEpoch: 0), position: .start, keyring: f.keyring)
        try writeBytes(old, to: f.blobPath(OptOutRegistry.blobName))
        try StoreManifest.update(store: f.store, keyring: f.keyring, except: []) {
            $0.blobs[OptOutRegistry.blobName] = .init(generation: 1, tag: oldTag)
        }
        #expect(try f.errors().isEmpty, "\(f.issuesText)")
        #expect(try OptOutRegistry.load(store: f.store, keyring: f.keyring).entries.count == 1)
        // The next write appends format 2 frames after the format 1 ones, in one chain.
        try f.write(day, n: 80)
        #expect(try f.errors().isEmpty, "\(f.issuesText)")
        var versions: [UInt8] = []
        try FrameScanner(bytes: try f.bytes(day)).scan { if case .frame(let fr) = $0 { versions.append(fr.header.version) } }
        #expect(versions == [1, 1, 1, 2])
        // A full re-encryption rewrites every format 1 frame and envelope in the current format.
        let outcome = try ReEncryptor(store: f.store, keyring: f.keyring).run()
        #expect(outcome.failures.isEmpty, "\(outcome.failures)")
        versions = []
        try FrameScanner(bytes: try f.bytes(day)).scan { if case .frame(let fr) = $0 { versions.append(fr.header.version) } }
        #expect(versions == [2, 2, 2, 2])
        let blob = try #require(try FrameScanner(bytes: readBytes(f.blobPath(OptOutRegistry.blobName))).frame(at: 0))
        #expect(blob.header.version == 2)
        #expect(try f.errors().isEmpty, "\(f.issuesText)")
        let (got, _) = try readAll(f.store, f.keyring)
        #expect(Set(got.map(\.command)) == Set(f.written.map(\.command)) && got.count == f.written.count)
        #expect(try OptOutRegistry.load(store: f.store, keyring: f.keyring).entries.count == 1)
    }

    @Test func aFormatTwoFrameCannotBePassedOffAsFormatOne() throws {
        let f = try Fixture()
        var bytes = try f.bytes(d1)
        let frames = try frameOffsets(bytes)
        // Downgrade segment 1: version byte 1, the 16 store-id bytes removed (a consistent format 1 frame shape).
        let o = frames[1].offset
        bytes[o + 4] = 1
        bytes.removeSubrange((o + 72)..<(o + 88))
        try writeBytes(bytes, to: f.path(d1))
        #expect(try f.errors(f.name(d1)).contains { $0.segment == 1 && $0.message.contains("authentication failed") }, "\(f.issuesText)")
    }
}
