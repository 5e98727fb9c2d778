/// Stored lines ready to be sealed: the JSONL bytes of each day's records, in the order they were appended,
/// with where each line ends and (for writers that number their records) each record's sequence number.
///
/// The flush writes each record into one reusable ``JSONWriter`` and adds it to its day's growing buffer in one copy;
/// ``SegmentWriter`` cuts each day's buffer into segments of whole lines without copying a record again.
struct EncodedLines: Sendable {
    /// One day's lines.
    struct DayLines: Sendable {
        let day: Day
        /// The lines, each ending in `\n`.
        var bytes: [UInt8] = []
        /// The end offset (after the `\n`) of each line in ``bytes``.
        var ends: [Int] = []
        /// Each line's sequence number in its writer's stream (empty when the writer does not number records).
        var sequences: [UInt64] = []

        var count: Int { ends.count }

        init(day: Day) { self.day = day }

        /// `records` as lines of `day`, whatever their own days.
        init(day: Day, _ records: some Sequence<Interaction>) {
            self.day = day
            var scratch = JSONWriter(reservingCapacity: 4096)
            for r in records {
                scratch.write(r)
                append(sequence: nil, line: &scratch)
            }
        }

        /// Where lines `range` (whole lines, newlines included) lie in ``bytes``.
        func byteRange(_ range: Range<Int>) -> Range<Int> {
            (range.lowerBound == 0 ? 0 : ends[range.lowerBound - 1])..<ends[range.upperBound - 1]
        }

        /// Lines `range` (whole lines) as one plaintext.
        func plaintext(_ range: Range<Int>) -> [UInt8] { Array(bytes[byteRange(range)]) }

        /// Each line without its newline, in order.
        func forEachLine(_ body: (ArraySlice<UInt8>) -> Void) {
            for k in ends.indices { body(bytes[byteRange(k..<(k + 1))].dropLast()) }
        }

        /// Leaves out the first `n` lines (what an earlier attempt already stored).
        mutating func removeFirst(_ n: Int) {
            guard n > 0 else { return }
            let cut = ends[n - 1]
            bytes.removeFirst(cut)
            ends.removeFirst(n)
            for k in ends.indices { ends[k] -= cut }
            if !sequences.isEmpty { sequences.removeFirst(n) }
        }
    }

    /// The days in the order their first line was appended.
    private(set) var days: [DayLines] = []
    private var current = -1

    /// Lines in all days.
    var count: Int { days.reduce(0) { $0 + $1.count } }
    var isEmpty: Bool { days.allSatisfy { $0.ends.isEmpty } }

    init() {}

    /// Appends the line written in `line` (without the newline) for `day`, and empties `line`.
    mutating func append(day: Day, sequence: UInt64?, capacity: Int = 64 * 1024, line: inout JSONWriter) {
        select(day, capacity: capacity)
        days[current].append(sequence: sequence, line: &line)
    }

    /// Makes `day`'s lines the current ones, adding them (with room for `capacity` bytes) when new.
    private mutating func select(_ day: Day, capacity: Int) {
        if current < 0 || days[current].day != day {
            if let found = days.firstIndex(where: { $0.day == day }) {
                current = found
            } else {
                var fresh = DayLines(day: day)
                fresh.bytes.reserveCapacity(capacity)
                days.append(fresh)
                current = days.count - 1
            }
        }
    }

    /// Appends `other`'s lines after these, day by day.
    mutating func append(contentsOf other: EncodedLines) {
        for d in other.days where d.count > 0 {
            if let k = days.firstIndex(where: { $0.day == d.day }) {
                let shift = days[k].bytes.count
                days[k].bytes += d.bytes
                days[k].ends += d.ends.map { $0 + shift }
                days[k].sequences += d.sequences
            } else {
                days.append(d)
            }
        }
        current = -1
    }

    /// The stored JSONL of `interactions` (as ``JSONWriter`` writes them), numbered by `sequences` when given.
    init(_ interactions: some Collection<Interaction>, sequences: [UInt64]? = nil) {
        var scratch = JSONWriter(reservingCapacity: 4096)
        for (n, i) in interactions.enumerated() {
            scratch.write(i)
            append(day: i.timestamp.day, sequence: sequences?[n], line: &scratch)
        }
    }
}

extension EncodedLines.DayLines {
    /// Appends the line written in `line` (without the newline) in one copy, and empties `line`.
    mutating func append(sequence: UInt64?, line: inout JSONWriter) {
        line.append(UInt8(ascii: "\n"))
        line.withBytes { bytes.append(contentsOf: $0) }
        line.removeAll()
        ends.append(bytes.count)
        if let sequence { sequences.append(sequence) }
    }
}
