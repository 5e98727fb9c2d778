public import InteractionMonitor
import Synchronization

/// A ``SegmentStore`` that keeps sealed frames in memory, for testing instrumentation without a disk.
/// Frames go through the same sealing and verification as on disk.
public final class InMemorySegmentStore: SegmentStore {
    private struct Storage {
        var days: [Day: [UInt8]] = [:]
        var blobs: [String: [UInt8]] = [:]
    }

    // Day changes are serialised by `dayLock`; `state` guards the dictionaries themselves.
    private let dayLock = Locked(())
    private let state = Locked(Storage())

    /// An empty store.
    public init() {}

    public var location: String { "memory" }

    public func name(of day: Day) -> String { "interactions_\(day)" }

    public func withExclusiveAccess<R>(to day: Day, create: Bool, _ body: (any DayAccess) throws -> R) throws -> R? {
        try dayLock.withLock { _ in
            guard create || state.withLock({ $0.days[day] != nil }) else { return nil }
            return try body(Access(store: self, day: day))
        }
    }

    public func days() throws -> [Day] { state.withLock { $0.days.keys.sorted() } }

    /// Replaces a day's raw bytes, bypassing every check (tamper and fuzz tests).
    public func setDayForFuzzing(_ day: Day, bytes: [UInt8]) { state.withLock { $0.days[day] = bytes } }

    public func scan(day: Day, _ body: (ScannedItem) throws -> Void) throws {
        try FrameScanner(bytes: bytes(of: day)).scan(body)
    }

    public func readBlob(named name: String) throws -> [UInt8]? { state.withLock { $0.blobs[name] } }

    public func updateBlob(named name: String, _ transform: ([UInt8]?) throws -> [UInt8]?) throws {
        // Blob updates happen inside day access in the library; `state` is not held while `transform` runs.
        let current = state.withLock { $0.blobs[name] }
        if let new = try transform(current) { state.withLock { $0.blobs[name] = new } }
    }

    public func removeBlob(named name: String) throws { _ = state.withLock { $0.blobs.removeValue(forKey: name) } }

    public func blobNames() throws -> [String] { state.withLock { $0.blobs.keys.sorted() } }

    public func byteCount(of day: Day) -> Int64? { nil }

    /// The raw bytes stored for a day (to assert on ciphertext or to tamper with in tests).
    public func bytes(of day: Day) -> [UInt8] { state.withLock { $0.days[day] } ?? [] }

    /// Replaces the raw bytes of a day (for tampering tests).
    public func replaceBytes(of day: Day, with bytes: [UInt8]) { state.withLock { $0.days[day] = bytes } }

    private struct Access: DayAccess {
        let store: InMemorySegmentStore
        let day: Day

        func tail() throws -> SegmentPosition { try FrameScanner(bytes: store.bytes(of: day)).tail() }
        func append(_ frames: [[UInt8]]) throws {
            store.state.withLock { $0.days[day, default: []] += frames.flatMap { $0 } }
        }
        func scan(_ body: (ScannedItem) throws -> Void) throws { try store.scan(day: day, body) }
        func replace(
            producing produce: (_ emit: ([UInt8]) throws -> Void) throws -> Void, beforeCommit: () throws -> Void
        ) throws {
            var bytes: [UInt8] = []
            try produce { bytes += $0 }
            try beforeCommit()
            store.state.withLock { $0.days[day] = bytes }
        }
        func remove() throws { _ = store.state.withLock { $0.days.removeValue(forKey: day) } }
    }
}
