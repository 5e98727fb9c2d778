import Foundation
import Testing

@testable import InteractionMonitor

/// A day's append is written batch by batch as it is sealed, after the manifest recorded its intent: what a crash or
/// a failure part-way through leaves.
struct ProgressiveAppendTests {
    let day = Day("2026-11-20")!

    /// Four batches of two records each, after the fixture's own.
    private func batches(from n: Int) -> [[Interaction]] {
        (0..<4).map { b in (0..<2).map { sample(day: day, n: n + 2 * b + $0) } }
    }

    private struct Interrupted: Error {}

    @Test func eachBatchReachesTheFileAfterTheIntentAndACrashBetweenBatchesLeavesAStoreThatVerifies() throws {
        let dir = TemporaryDirectory()
        let (store, keyring, written) = try makeStore(in: dir, segments: 2, perSegment: 2)
        let path = store.path(of: day)
        let before = try readBytes(path)
        let more = batches(from: 100)
        var given = 0
        var crash: (file: [UInt8], manifest: [UInt8])? = nil
        let result = try SegmentWriter(store: store).write(
            day: day, writer: nil, batchSize: 2, maxFrames: 8, keyring: keyring, hashKeys: { [] }
        ) {
            if given == 2 {
                // Two batches handed over: their segments are in the file already, and the manifest announced the
                // append before the first of them.
                let file = try readBytes(path)
                #expect(try frameOffsets(file).count == 4)
                #expect(file.starts(with: before))
                let manifest = try #require(try StoreManifest.current(store: store, keyring: keyring))
                let entry = try #require(manifest.entries[day])
                #expect(entry.current.count == 2)
                #expect((entry.alternate?.count ?? 0) > 4, "the intent covers every segment the append may add")
                // What a crash now would leave on disk.
                crash = (file, try #require(try store.readBlob(named: StoreManifest.blobName)))
            }
            defer { given += 1 }
            return given < more.count ? DayBatch(EncodedLines.DayLines(day: day, more[given])) : nil
        }
        #expect(result.segments == 4)
        var (got, report) = try readAll(store, keyring)
        #expect(got == written + more.flatMap { $0 })
        #expect(report.issues.isEmpty, "\(report.issues)")
        let confirmed = try #require(try StoreManifest.current(store: store, keyring: keyring)?.entries[day])
        #expect(confirmed.current.count == 6 && confirmed.alternate == nil)

        // The crash: the file ends after the second batch, the manifest holds the intent only.
        let (file, manifest) = try #require(crash)
        try writeBytes(file, to: path)
        try writeBytes(manifest, to: dir.data + "/" + StoreManifest.blobName)
        (got, report) = try readAll(store, keyring)
        #expect(got == written + more.prefix(2).flatMap { $0 })
        #expect(!report.hasErrors, "\(report.issues)")
        // The next write continues from there without a finding.
        let later = [sample(day: day, n: 200)]
        _ = try SegmentWriter(store: store).write(later, batchSize: 2, keyring: keyring)
        (got, report) = try readAll(store, keyring)
        #expect(got == written + more.prefix(2).flatMap { $0 } + later)
        #expect(report.issues.isEmpty, "\(report.issues)")
    }

    @Test func aFailurePartWayThroughCutsTheFileBackAndTheRetryStoresEachRecordOnce() throws {
        let dir = TemporaryDirectory()
        let (store, keyring, written) = try makeStore(in: dir, segments: 2, perSegment: 2)
        let path = store.path(of: day)
        let before = try readBytes(path)
        let more = batches(from: 100)
        var given = 0
        #expect(throws: Interrupted.self) {
            try SegmentWriter(store: store).write(
                day: day, writer: nil, batchSize: 2, maxFrames: 8, keyring: keyring, hashKeys: { [] }
            ) {
                defer { given += 1 }
                if given == 3 { throw Interrupted() }  // after three batches were written
                return DayBatch(EncodedLines.DayLines(day: day, more[given]))
            }
        }
        #expect(try readBytes(path) == before, "nothing of the failed append stays")
        var (got, report) = try readAll(store, keyring)
        #expect(got == written)
        #expect(!report.hasErrors, "\(report.issues)")
        _ = try SegmentWriter(store: store).write(more.flatMap { $0 }, batchSize: 2, keyring: keyring)
        (got, report) = try readAll(store, keyring)
        #expect(got == written + more.flatMap { $0 })
        #expect(report.issues.isEmpty, "\(report.issues)")
    }

    @Test func anAppendOfMoreSegmentsThanItAnnouncedWritesNothing() throws {
        let dir = TemporaryDirectory()
        let (store, keyring, written) = try makeStore(in: dir, segments: 2, perSegment: 2)
        let before = try readBytes(store.path(of: day))
        let more = batches(from: 100)
        var given = 0
        #expect(throws: InteractionMonitorError.self) {
            try SegmentWriter(store: store).write(
                day: day, writer: nil, batchSize: 2, maxFrames: 3, keyring: keyring, hashKeys: { [] }
            ) {
                defer { given += 1 }
                return given < more.count ? DayBatch(EncodedLines.DayLines(day: day, more[given])) : nil
            }
        }
        #expect(try readBytes(store.path(of: day)) == before)
        let (got, report) = try readAll(store, keyring)
        #expect(got == written)
        #expect(!report.hasErrors, "\(report.issues)")
    }

    @Test func theIntentNamesTheActiveHashKeyAndTheConfirmationTheKeysUsed() throws {
        let dir = TemporaryDirectory()
        let keyring = try Keyring.loadOrCreate(directory: dir.keys)
        let store = FileSegmentStore(directory: dir.data)
        var seen: Set<KeyID>?? = nil
        var given = 0
        let more = batches(from: 100)
        _ = try SegmentWriter(store: store).write(
            day: day, writer: nil, batchSize: 2, maxFrames: 8, keyring: keyring, hashKeys: { [] }
        ) {
            if given == 1 { seen = try StoreManifest.current(store: store, keyring: keyring)?.entries[day]?.hashKeys }
            defer { given += 1 }
            return given < more.count ? DayBatch(EncodedLines.DayLines(day: day, more[given])) : nil
        }
        // A crash before the confirmation must not leave a set that misses a key the append may have used.
        #expect(seen == .some(.some([keyring.activeHashKeyID])))
        #expect(try StoreManifest.current(store: store, keyring: keyring)?.entries[day]?.hashKeys == .some([]))
    }
}
