/// Where sealed segments live. The store sees only ciphertext and the authenticated header fields.
///
/// Two backends ship with the library: ``FileSegmentStore`` (one file per UTC day, the default) and
/// `InMemorySegmentStore` in the test kit. Every change to a day goes through
/// ``withExclusiveAccess(to:create:_:)``, which must exclude every other writer of that day — in this process and
/// in others — for the duration of the closure. Reads (``scan(day:_:)``) take no lock and see a consistent prefix.
public protocol SegmentStore: Sendable {
    /// A human-readable location for messages (a directory, a database name).
    var location: String { get }

    /// Runs `body` with exclusive access to `day`. With `create: false` and no data for the day, `body` is not
    /// called and the result is `nil`.
    func withExclusiveAccess<R>(to day: Day, create: Bool, _ body: (any DayAccess) throws -> R) throws -> R?

    /// Days that hold data, ascending.
    func days() throws -> [Day]

    /// A name for the container of `day` used in reports (a file name for the file store).
    func name(of day: Day) -> String

    /// Streams every frame and damaged range of `day` in storage order, one frame in memory at a time.
    func scan(day: Day, _ body: (ScannedItem) throws -> Void) throws

    /// Reads a named blob (the manifest, registries, derived files); `nil` when absent.
    func readBlob(named name: String) throws -> [UInt8]?

    /// Replaces a named blob under an exclusive lock: `transform` receives the current bytes and returns the new
    /// ones (or `nil` to leave it unchanged). The replacement is atomic.
    func updateBlob(named name: String, _ transform: ([UInt8]?) throws -> [UInt8]?) throws

    /// Removes a named blob if present.
    func removeBlob(named name: String) throws

    /// Names of the blobs present (the manifest, registries, derived files), ascending.
    func blobNames() throws -> [String]

    /// The stored size of `day` in bytes (for progress reports); `nil` when unknown.
    func byteCount(of day: Day) -> Int64?
}

/// Exclusive access to one day's segments, valid only inside ``SegmentStore/withExclusiveAccess(to:create:_:)``.
public protocol DayAccess {
    /// Where the next segment goes (index and previous tag): after the last complete segment stored. Bytes after
    /// it (see ``incompleteTail()``) are left in place.
    func tail() throws -> SegmentPosition
    /// The length of the bytes after the last complete segment when they are one segment cut short (a writer
    /// killed mid-append), `nil` when there are none. Other trailing damage is not reported here.
    func incompleteTail() throws -> Int64?
    /// Removes the bytes after the last complete segment. Writers call it only for an incomplete segment their
    /// own interrupted write left — never to cut a segment the manifest records.
    func discardIncompleteTail() throws
    /// Appends encoded frames durably (written and synced) or not at all.
    func append(_ frames: [[UInt8]]) throws
    /// Streams the day's frames and damaged ranges.
    func scan(_ body: (ScannedItem) throws -> Void) throws
    /// Atomically replaces the day's contents with the frames `produce` emits (streamed, not held in memory).
    /// `beforeCommit` runs after the new contents are durable and before they replace the old ones. After a
    /// crash, either the old or the new contents remain, never neither and never a mix.
    func replace(
        producing produce: (_ emit: ([UInt8]) throws -> Void) throws -> Void, beforeCommit: () throws -> Void
    ) throws
    /// Removes the day's data.
    func remove() throws

    /// The highest record sequence of `writer` this day holds, when the store tracks write origins (idempotent
    /// stores such as PostgreSQL); `nil` when it holds none or does not track them (the default).
    func lastSequence(of writer: WriteOrigin.WriterID) throws -> UInt64?
    /// Whether the store tracks write origins and commits them with the frames and the manifest (PostgreSQL): then
    /// the manifest also records each writer's last stored sequence, authenticated.
    var tracksWriteOrigins: Bool { get }
    /// Appends encoded frames, each with the records it holds (`provenance` is parallel to `frames`), durably or not
    /// at all. Stores that do not track origins ignore `provenance` (the default calls ``append(_:)``).
    func append(_ frames: [[UInt8]], provenance: [SegmentProvenance]) throws
    /// Appends the frames `produce` hands to `emit`, in order (each call with its frames' provenance, parallel to
    /// them, or none), durably or not at all: when `produce` throws or a write fails, nothing it emitted stays. A
    /// store may write each call's frames before `produce` makes the next (the file store does, and syncs once at
    /// the end), so a large append holds no more than one call's frames in memory; the default collects them and
    /// calls ``append(_:provenance:)`` once.
    func append(producing produce: (_ emit: (_ frames: [[UInt8]], _ provenance: [SegmentProvenance]) throws -> Void) throws -> Void) throws
}

extension DayAccess {
    /// Stores whose writes are atomic never hold an incomplete segment: `nil`.
    public func incompleteTail() throws -> Int64? { nil }
    /// Nothing to remove.
    public func discardIncompleteTail() throws {}
    /// Untracked: `nil`.
    public func lastSequence(of writer: WriteOrigin.WriterID) throws -> UInt64? { nil }
    /// Untracked.
    public var tracksWriteOrigins: Bool { false }
    /// Ignores `provenance` and calls ``append(_:)``.
    public func append(_ frames: [[UInt8]], provenance: [SegmentProvenance]) throws { try append(frames) }
    /// Collects the frames `produce` emits and appends them at once (``append(_:provenance:)``, or ``append(_:)``
    /// when none carry provenance).
    public func append(producing produce: (_ emit: (_ frames: [[UInt8]], _ provenance: [SegmentProvenance]) throws -> Void) throws -> Void) throws {
        var frames: [[UInt8]] = []
        var provenance: [SegmentProvenance] = []
        try produce { f, p in
            frames += f
            provenance += p
        }
        guard !frames.isEmpty else { return }
        if provenance.isEmpty { try append(frames) } else { try append(frames, provenance: provenance) }
    }
}
