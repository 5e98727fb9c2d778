/// Where sealed segments live. The store sees only ciphertext and the authenticated header fields.
///
/// Two backends ship with the library: ``FileSegmentStore`` (one file per UTC day, the default) and
/// `InMemorySegmentStore` in the test kit. Implementations must make ``append(to:_:)`` atomic with respect
/// to other writers of the same day (in this and other processes): the position handed to `makeFrames` must be
/// the true tail, and no other writer may append between reading it and writing the frames.
public protocol SegmentStore: Sendable {
    /// A human-readable location for messages (a directory, a database name).
    var location: String { get }

    /// Appends frames to `day`. `makeFrames` is called under the store's exclusive lock for that day with the
    /// position of the next segment, and returns encoded frames in order. On failure nothing is left half-written.
    func append(to day: Day, _ makeFrames: (SegmentPosition) throws -> [[UInt8]]) throws

    /// Days that hold data, ascending.
    func days() throws -> [Day]

    /// A name for the container of `day` used in reports (a file name for the file store).
    func name(of day: Day) -> String

    /// Streams every frame and damaged range of `day` in storage order, one frame in memory at a time.
    func scan(day: Day, _ body: (ScannedItem) throws -> Void) throws

    /// Reads a named blob (the manifest, derived files); `nil` when absent.
    func readBlob(named name: String) throws -> [UInt8]?

    /// Replaces a named blob under an exclusive lock: `transform` receives the current bytes and returns the new
    /// ones (or `nil` to leave it unchanged). The replacement is atomic.
    func updateBlob(named name: String, _ transform: ([UInt8]?) throws -> [UInt8]?) throws
}
