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
}
