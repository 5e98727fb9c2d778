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

    /// Appends `batches` to the day as a flush does, one `next` call per batch; `before(k)` runs as batch `k` is
    /// asked for (`k == batches.count`: the call that ends the append).
    @discardableResult
    private func append(
        _ batches: [[Interaction]], to store: FileSegmentStore, _ keyring: Keyring, maxFrames: Int = 8,
        before: (Int) throws -> Void = { _ in }
    ) throws -> SegmentWriter.Result {
        var given = 0
        return try SegmentWriter(store: store).write(
            day: day, writer: nil, batchSize: 2, maxFrames: maxFrames, keyring: keyring, hashKeys: { [] }
        ) {
            try before(given)
            defer { given += 1 }
            return given < batches.count ? DayBatch(EncodedLines.DayLines(day: day, batches[given])) : nil
        }
    }

    @Test func eachBatchReachesTheFileAfterTheIntentAndACrashBetweenBatchesLeavesAStoreThatVerifies() throws {
        let dir = TemporaryDirectory()
        let (store, keyring, written) = try makeStore(in: dir, segments: 2, perSegment: 2)
        let path = store.path(of: day)
        let before = try readBytes(path)
        let more = batches(from: 100)
        var crash: (file: [UInt8], manifest: [UInt8])? = nil
        let result = try append(more, to: store, keyring) { given in
            if given == 1 {
                // The first batch handed over: its segment is in the file already (written before the next batch
                // is sealed), and the manifest announced the append before it.
                let file = try readBytes(path)
                #expect(try frameOffsets(file).count == 3)
                #expect(file.starts(with: before))
                let manifest = try #require(try StoreManifest.current(store: store, keyring: keyring))
                let entry = try #require(manifest.entries[day])
                #expect(entry.current.count == 2)
                #expect((entry.alternate?.count ?? 0) > 6, "the intent covers every segment the append may add")
            }
            if given == 2 {
                // What a crash now would leave on disk: the later batches are written on another thread, so the
                // file may end anywhere after the first batch's segment, even inside a segment.
                crash = (try readBytes(path), try #require(try store.readBlob(named: StoreManifest.blobName)))
            }
        }
        #expect(result.segments == 4)
        var (got, report) = try readAll(store, keyring)
        #expect(got == written + more.flatMap { $0 })
        #expect(report.issues.isEmpty, "\(report.issues)")
        let confirmed = try #require(try StoreManifest.current(store: store, keyring: keyring)?.entries[day])
        #expect(confirmed.current.count == 6 && confirmed.alternate == nil)

        // The crash: the file as it was then, the manifest holding the intent only.
        let (file, manifest) = try #require(crash)
        let complete = try frameOffsets(file).count - 2
        #expect((1...2).contains(complete))
        for cut in [file, Array(file.prefix(file.count - 7))] {
            // As it was, and with a segment cut short (the crash came during a write).
            try writeBytes(cut, to: path)
            try writeBytes(manifest, to: dir.data + "/" + StoreManifest.blobName)
            let kept = cut.count == file.count ? complete : complete - (try frameOffsets(cut).count - 2 < complete ? 1 : 0)
            (got, report) = try readAll(store, keyring)
            #expect(got == written + more.prefix(kept).flatMap { $0 })
            #expect(!report.hasErrors, "\(report.issues)")
            // The next write continues from there without a finding.
            let later = [sample(day: day, n: 200)]
            _ = try SegmentWriter(store: store).write(later, batchSize: 2, keyring: keyring)
            (got, report) = try readAll(store, keyring)
            #expect(got == written + more.prefix(kept).flatMap { $0 } + later)
            #expect(report.issues.isEmpty, "\(report.issues)")
        }
    }

    @Test func aFailurePartWayThroughCutsTheFileBackAndTheRetryStoresEachRecordOnce() throws {
        let dir = TemporaryDirectory()
        let (store, keyring, written) = try makeStore(in: dir, segments: 2, perSegment: 2)
        let path = store.path(of: day)
        let before = try readBytes(path)
        let more = batches(from: 100)
        #expect(throws: Interrupted.self) {
            // After three batches were written.
            try append(more, to: store, keyring) { given in if given == 3 { throw Interrupted() } }
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
        #expect(throws: InteractionMonitorError.self) { try append(batches(from: 100), to: store, keyring, maxFrames: 3) }
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
        try append(batches(from: 100), to: store, keyring) { given in
            if given == 1 { seen = try StoreManifest.current(store: store, keyring: keyring)?.entries[day]?.hashKeys }
        }
        // A crash before the confirmation must not leave a set that misses a key the append may have used.
        #expect(seen == .some(.some([keyring.activeHashKeyID])))
        #expect(try StoreManifest.current(store: store, keyring: keyring)?.entries[day]?.hashKeys == .some([]))
    }
}

struct FrameWriterTests {
    @Test func batchesAreWrittenInOrderAndAFailedWriteIsThrownAndStopsTheRest() throws {
        let dir = TemporaryDirectory()
        let path = dir.data + ".frames"
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        #expect(fd >= 0)
        let writer = FrameWriter(fd: fd, path: path, depth: 2)
        let batches: [[[UInt8]]] = (0..<50).map { b in (0..<3).map { f in [UInt8](repeating: UInt8(b), count: 100 + f) } }
        for b in batches { try writer.write(b) }
        try writer.close()
        close(fd)
        #expect(try readBytes(path) == batches.flatMap { $0.flatMap { $0 } })

        // A descriptor that cannot be written: the failure reaches the caller, at a later hand-over or at close.
        let readOnly = open(path, O_RDONLY)
        let failing = FrameWriter(fd: readOnly, path: path, depth: 1)
        #expect(throws: InteractionMonitorError.self) {
            for b in batches { try failing.write(b) }
            try failing.close()
        }
        try? failing.close()
        close(readOnly)
        #expect(try readBytes(path).count == batches.flatMap { $0.flatMap { $0 } }.count)
    }
}
