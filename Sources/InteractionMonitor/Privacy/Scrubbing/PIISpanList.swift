/// The spans of one scan, in order. The first four live inline, so that scrubbing a short
/// field with a match or two allocates nothing but the result string.
struct PIISpanList {
    private(set) var count = 0
    private var inline: (PIISpan, PIISpan, PIISpan, PIISpan) = (.empty, .empty, .empty, .empty)
    private var overflow: [PIISpan] = []

    var isEmpty: Bool { count == 0 }

    mutating func append(_ span: PIISpan) {
        switch count {
        case 0: inline.0 = span
        case 1: inline.1 = span
        case 2: inline.2 = span
        case 3: inline.3 = span
        default: overflow.append(span)
        }
        count += 1
    }

    subscript(index: Int) -> PIISpan {
        switch index {
        case 0: inline.0
        case 1: inline.1
        case 2: inline.2
        case 3: inline.3
        default: overflow[index - 4]
        }
    }

    /// The spans as an array (for callers outside the hot path).
    var array: [PIISpan] { (0..<count).map { self[$0] } }
}
