internal import MonitorCrypto

/// Where the records of a write come from: one writer (a monitor instance) and each record's sequence number in
/// that writer's stream. Stores that must survive retried writes (``DayAccess/lastSequence(of:)``) use it to skip
/// records they already hold, so a flush retried after an error whose outcome was unknown (a lost connection at
/// commit time) never stores a record twice.
public struct WriteOrigin: Sendable, Hashable {
    /// The writer: 16 random bytes, new for every monitor instance.
    public struct WriterID: Hashable, Sendable, CustomStringConvertible {
        /// The 16 id bytes.
        public let bytes: [UInt8]

        /// An id from 16 bytes; `nil` for any other length.
        public init?(bytes: [UInt8]) {
            guard bytes.count == 16 else { return nil }
            self.bytes = bytes
        }

        /// A new random writer id.
        public static func random() throws -> WriterID {
            do {
                return WriterID(bytes: try RandomBytes.generate(16))!
            } catch {
                throw InteractionMonitorError(.cryptoFailure, "cannot generate a writer id: \(error)")
            }
        }

        /// 32 lower-case hex digits.
        public var description: String { Hex.encode(bytes) }
    }

    /// The writer.
    public var writer: WriterID
    /// Each record's sequence number in the writer's stream, parallel to the records written (increasing).
    public var sequences: [UInt64]

    /// An origin for records numbered `sequences` by `writer`.
    public init(writer: WriterID, sequences: [UInt64]) {
        self.writer = writer
        self.sequences = sequences
    }
}

/// The records one stored segment holds, by writer and sequence range (for idempotent stores).
public struct SegmentProvenance: Sendable, Hashable {
    /// The writer.
    public var writer: WriteOrigin.WriterID
    /// Sequence number of the segment's first record.
    public var firstSequence: UInt64
    /// Sequence number of the segment's last record.
    public var lastSequence: UInt64

    /// A segment holding `firstSequence...lastSequence` of `writer`'s records.
    public init(writer: WriteOrigin.WriterID, firstSequence: UInt64, lastSequence: UInt64) {
        self.writer = writer
        self.firstSequence = firstSequence
        self.lastSequence = lastSequence
    }
}
