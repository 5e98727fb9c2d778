import Foundation
import Testing

@testable import InteractionMonitor

/// The reader opens and parses chunks of segments on every core: what it delivers, and what it reports, is what
/// reading one segment at a time gives — in storage order, across chunk boundaries, around damage.
struct ChunkedReadingTests {
    @Test func manyChunksAreDeliveredInOrderAndDamageInTheMiddleCostsOnlyItsSegment() throws {
        let dir = TemporaryDirectory()
        let keyring = try Keyring.loadOrCreate(directory: dir.keys)
        let store = FileSegmentStore(directory: dir.data)
        let day = Day("2026-11-20")!
        var written: [Interaction] = []
        for s in 0..<(ChunkOpener.maximumFrames * 5 + 3) {
            let batch = (0..<3).map { sample(day: day, n: s * 3 + $0) }
            _ = try SegmentWriter(store: store).write(batch, batchSize: 3, keyring: keyring)
            written += batch
        }
        var (got, report) = try readAll(store, keyring)
        #expect(got == written)
        #expect(!report.hasErrors, "\(report.issues)")
        // One flipped byte in a segment in the middle of a chunk.
        let path = store.path(of: day)
        var bytes = try readBytes(path)
        let frames = try frameOffsets(bytes)
        let hit = ChunkOpener.maximumFrames * 2 + 3
        bytes[frames[hit].offset + frames[hit].length / 2] ^= 0x20
        try writeBytes(bytes, to: path)
        (got, report) = try readAll(store, keyring)
        #expect(got == Array(written[0..<(hit * 3)] + written[((hit + 1) * 3)...]))
        let errors = report.issues.filter { $0.severity == .error }
        #expect(errors.count == 1 && errors.first?.segment == UInt64(hit), "\(report.issues)")
        // The stored lines are exactly the records' lines, in the same order.
        var lines: [String] = []
        _ = try DecryptingReader(store: store, keyring: keyring).readStoredLines { lines.append(String(decoding: $0, as: UTF8.self)) }
        #expect(lines == got.map(\.jsonLine))
    }

    @Test func aReadFailingPartWayThroughADayStillDeliversWhatWasReadBeforeItAndSaysSo() throws {
        let dir = TemporaryDirectory()
        let segments = ChunkOpener.maximumFrames * (ChunkOpener.chunksAhead + 3) + 5
        let (store, keyring, written) = try makeStore(in: dir, segments: segments, perSegment: 3)
        for failAfter in [1, ChunkOpener.maximumFrames, ChunkOpener.maximumFrames * 2 + 3, segments - 1] {
            let failing = FailingScanStore(inner: store, framesBeforeFailure: failAfter)
            let (got, report) = try readAll(failing, keyring)
            #expect(got == Array(written[0..<(failAfter * 3)]), "failing after \(failAfter) frames")
            #expect(report.issues.contains { $0.severity == .error && $0.message.contains("disk unreadable") }, "\(report.issues)")
        }
        // An error thrown by the question itself comes out unchanged, wherever it happens.
        struct Stop: Error {}
        var seen = 0
        #expect(throws: Stop.self) {
            try DecryptingReader(store: store, keyring: keyring).read { _ in
                seen += 1
                if seen == 40 { throw Stop() }
            }
        }
        #expect(seen == 40)
    }
}

/// A store whose scan of a day hands out `framesBeforeFailure` frames and then fails, as a disk read error would.
final class FailingScanStore: SegmentStore {
    let inner: any SegmentStore
    let framesBeforeFailure: Int
    init(inner: any SegmentStore, framesBeforeFailure: Int) {
        self.inner = inner
        self.framesBeforeFailure = framesBeforeFailure
    }
    var location: String { inner.location }
    func name(of day: Day) -> String { inner.name(of: day) }
    func withExclusiveAccess<R>(to day: Day, create: Bool, _ body: (any DayAccess) throws -> R) throws -> R? {
        try inner.withExclusiveAccess(to: day, create: create, body)
    }
    func days() throws -> [Day] { try inner.days() }
    func scan(day: Day, _ body: (ScannedItem) throws -> Void) throws {
        var handed = 0
        try inner.scan(day: day) { item in
            guard handed < framesBeforeFailure else { throw InteractionMonitorError(.storage, "disk unreadable") }
            handed += 1
            try body(item)
        }
    }
    func readBlob(named name: String) throws -> [UInt8]? { try inner.readBlob(named: name) }
    func updateBlob(named name: String, _ transform: ([UInt8]?) throws -> [UInt8]?) throws {
        try inner.updateBlob(named: name, transform)
    }
    func removeBlob(named name: String) throws { try inner.removeBlob(named: name) }
    func blobNames() throws -> [String] { try inner.blobNames() }
    func byteCount(of day: Day) -> Int64? { nil }
}
