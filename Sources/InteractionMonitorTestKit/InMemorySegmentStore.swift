public import InteractionMonitor
import Synchronization

/// A ``SegmentStore`` that keeps sealed frames in memory, for testing instrumentation without a disk.
/// Frames go through the same sealing and verification as on disk.
public final class InMemorySegmentStore: SegmentStore {
    private let state = Mutex<(days: [Day: [UInt8]], blobs: [String: [UInt8]])>(([:], [:]))

    /// An empty store.
    public init() {}

    public var location: String { "memory" }

    public func name(of day: Day) -> String { "interactions_\(day)" }

    public func append(to day: Day, _ makeFrames: (SegmentPosition) throws -> [[UInt8]]) throws {
        try state.withLock { s in
            let bytes = s.days[day] ?? []
            let position = try Self.tail(of: bytes)
            let frames = try makeFrames(position)
            s.days[day, default: []] += frames.flatMap { $0 }
        }
    }

    public func days() throws -> [Day] { state.withLock { $0.days.keys.sorted() } }

    public func scan(day: Day, _ body: (ScannedItem) throws -> Void) throws {
        let bytes = state.withLock { $0.days[day] } ?? []
        try Self.scanner(bytes).scan(body)
    }

    public func readBlob(named name: String) throws -> [UInt8]? { state.withLock { $0.blobs[name] } }

    public func updateBlob(named name: String, _ transform: ([UInt8]?) throws -> [UInt8]?) throws {
        try state.withLock { s in
            if let new = try transform(s.blobs[name]) { s.blobs[name] = new }
        }
    }

    /// The raw bytes stored for a day (to assert on ciphertext or to tamper with in tests).
    public func bytes(of day: Day) -> [UInt8] { state.withLock { $0.days[day] } ?? [] }

    /// Replaces the raw bytes of a day (for tampering tests).
    public func replaceBytes(of day: Day, with bytes: [UInt8]) { state.withLock { $0.days[day] = bytes } }

    private static func tail(of bytes: [UInt8]) throws -> SegmentPosition {
        try scanner(bytes).tail()
    }

    private static func scanner(_ bytes: [UInt8]) -> FrameScanner {
        FrameScanner(bytes: bytes)
    }
}
