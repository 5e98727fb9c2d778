/// The monitor's in-memory buffer: records in fixed-size chunks.
///
/// A chunk is allocated once at full size and never grows, so appending never copies the records already held
/// (a growing array would copy all of them, under the monitor's lock, on some unlucky caller's thread), and the
/// memory held is the records plus at most one partly filled chunk.
///
/// A flush takes a ``snapshot()``: the chunks held so far, shared rather than copied, and marked so that later
/// appends start a new chunk instead of writing into a shared one. The flush removes them with
/// ``removeSnapshot(_:)`` once they are written; records appended meanwhile stay.
struct RecordBuffer {
    static let chunkCapacity = 256

    private var chunks: [[BufferedRecord]] = []
    /// Chunks handed to a snapshot: appends must not write into them (it would copy the chunk).
    private var frozen = 0
    private(set) var count = 0
    /// About how many bytes the records hold (their estimates as appended).
    private(set) var bytes = 0

    var isEmpty: Bool { count == 0 }

    mutating func append(_ record: consuming BufferedRecord, bytes size: Int = 0) {
        bytes += size
        if chunks.count == frozen || chunks[chunks.count - 1].count == Self.chunkCapacity {
            var chunk: [BufferedRecord] = []
            chunk.reserveCapacity(Self.chunkCapacity)
            chunks.append(chunk)
        }
        chunks[chunks.count - 1].append(record)
        count += 1
    }

    /// The records held now (chunks shared, not copied).
    struct Snapshot: Sendable {
        fileprivate let chunks: [[BufferedRecord]]
        let count: Int
        let bytes: Int

        /// The records in order.
        var records: FlattenSequence<[[BufferedRecord]]> { chunks.joined() }

        /// The records in their chunks, in order.
        var recordChunks: [[BufferedRecord]] { chunks }
    }

    /// Everything buffered now; appends from here on go to new chunks.
    mutating func snapshot() -> Snapshot {
        frozen = chunks.count
        return Snapshot(chunks: chunks, count: count, bytes: bytes)
    }

    /// Removes the records of `snapshot` (which must be this buffer's latest one) after they were written.
    mutating func removeSnapshot(_ snapshot: Snapshot) {
        let n = snapshot.chunks.count
        chunks.removeFirst(min(n, chunks.count))
        frozen = 0
        count -= snapshot.count
        bytes -= snapshot.bytes
    }

    /// The records held now, without freezing anything (a read-only look).
    func peek() -> FlattenSequence<[[BufferedRecord]]> { chunks.joined() }

    /// A snapshot is not written (the flush failed): appends may fill its last chunk again.
    mutating func release(_ snapshot: Snapshot) { frozen = 0 }
}
