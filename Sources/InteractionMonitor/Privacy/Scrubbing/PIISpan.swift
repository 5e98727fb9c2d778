/// A detected byte range `start..<end` and the category whose placeholder replaces it.
///
/// Offsets are stored in 32 bits to keep spans small (the scanner keeps a few inline);
/// the scrubber never scans more than `Int32.max` bytes at once.
struct PIISpan {
    private let storedStart: Int32
    private let storedEnd: Int32
    let category: PIICategory

    var start: Int { Int(storedStart) }
    var end: Int { Int(storedEnd) }

    /// A zero-length value for unused storage.
    static let empty = PIISpan(0, 0, .secret)

    init(_ start: Int, _ end: Int, _ category: PIICategory) {
        self.storedStart = Int32(truncatingIfNeeded: start)
        self.storedEnd = Int32(truncatingIfNeeded: end)
        self.category = category
    }
}
