/// The spans of one scan, in order. The first four live inline, so that scrubbing a short
/// field with a match or two allocates nothing but the result string; more spill into a
/// buffer that this list owns and frees.
///
/// Not copyable, so the buffer has exactly one owner and the scanner that holds the list
/// needs no reference counting: a scan that finds nothing costs no retain, release or
/// generic destroy.
struct PIISpanList: ~Copyable {
    private(set) var count = 0
    private var inline: (PIISpan, PIISpan, PIISpan, PIISpan) = (.empty, .empty, .empty, .empty)
    private var overflow: UnsafeMutablePointer<PIISpan>?
    private var overflowCapacity = 0

    init() {}

    deinit {
        overflow?.deallocate()
    }

    var isEmpty: Bool { count == 0 }

    mutating func append(_ span: PIISpan) {
        switch count {
        case 0: inline.0 = span
        case 1: inline.1 = span
        case 2: inline.2 = span
        case 3: inline.3 = span
        default: appendOverflow(span)
        }
        count += 1
    }

    private mutating func appendOverflow(_ span: PIISpan) {
        let index = count - 4
        if index == overflowCapacity {
            let capacity = max(8, overflowCapacity * 2)
            let grown = UnsafeMutablePointer<PIISpan>.allocate(capacity: capacity)
            if let old = overflow {
                grown.initialize(from: old, count: index)
                old.deallocate()
            }
            overflow = grown
            overflowCapacity = capacity
        }
        overflow?.advanced(by: index).initialize(to: span)
    }

    subscript(index: Int) -> PIISpan {
        switch index {
        case 0: inline.0
        case 1: inline.1
        case 2: inline.2
        case 3: inline.3
        default: overflow?[index - 4] ?? .empty
        }
    }

    /// The spans as an array (for callers outside the hot path).
    var array: [PIISpan] { (0..<count).map { self[$0] } }
}
