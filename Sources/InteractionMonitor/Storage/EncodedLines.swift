/// Stored lines ready to be sealed: the JSONL bytes of each day's records, in the order they were appended,
/// with where each line ends and (for writers that number their records) each record's sequence number.
///
/// The flush writes each record into one reusable ``JSONWriter`` and adds it to its day's growing buffer in one copy;
/// ``SegmentWriter`` cuts each day's buffer into segments of whole lines without copying a record again. Lines
/// encoded on another thread are joined as further parts of their day (``append(contentsOf:)``), not copied.
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

    /// The parts in the order their first line was appended: one per day, and one more for a day each time
    /// lines encoded elsewhere were joined (``append(contentsOf:)``).
    private var parts: [DayLines] = []
    private var current = -1

    /// Lines in all days.
    var count: Int { parts.reduce(0) { $0 + $1.count } }
    var isEmpty: Bool { parts.allSatisfy { $0.ends.isEmpty } }

    /// Each day's lines, days in the order their first line was appended, a day's parts in order.
    var days: [DayBatch] {
        var out: [DayBatch] = []
        for part in parts where part.count > 0 {
            if let k = out.firstIndex(where: { $0.day == part.day }) {
                out[k].append(part)
            } else {
                out.append(DayBatch(part))
            }
        }
        return out
    }

    /// An emptied buffer a first new part starts in instead of a fresh one (its pages already in memory).
    private var spare: [UInt8]? = nil

    init() {}

    /// No lines yet; the first day's lines are written into `spare` (emptied, its capacity kept).
    init(spare: [UInt8]?) { self.spare = spare }

    /// Appends the line written in `line` (without the newline) for `day`, and empties `line`.
    mutating func append(day: Day, sequence: UInt64?, capacity: Int = 64 * 1024, line: inout JSONWriter) {
        select(day, capacity: capacity)
        parts[current].append(sequence: sequence, line: &line)
    }

    /// Makes `day`'s lines the current ones, adding them (with room for `capacity` bytes) when new.
    private mutating func select(_ day: Day, capacity: Int) {
        if current < 0 || parts[current].day != day {
            // The day's last part: lines go after everything already held for the day.
            if let found = parts.lastIndex(where: { $0.day == day }) {
                current = found
            } else {
                var fresh = DayLines(day: day)
                if var reused = spare.take() {
                    reused.removeAll(keepingCapacity: true)
                    fresh.bytes = reused
                }
                fresh.bytes.reserveCapacity(capacity)
                parts.append(fresh)
                current = parts.count - 1
            }
        }
    }

    /// Appends `other`'s lines after these, day by day, as further parts (no line is copied).
    mutating func append(contentsOf other: EncodedLines) {
        parts += other.parts.filter { $0.count > 0 }
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

/// One day's lines as a flush holds them: one or more parts (``EncodedLines/DayLines``), in order. Sealing cuts each
/// part into runs of whole lines where they lie, so joining parts never copies a line.
struct DayBatch: Sendable {
    let day: Day
    private(set) var parts: [DayLines]

    typealias DayLines = EncodedLines.DayLines

    init(_ lines: DayLines) {
        day = lines.day
        parts = [lines]
    }

    /// Adds `later`'s lines (of the same day) after these.
    mutating func append(_ later: DayLines) {
        precondition(later.day == day, "a day's batch holds that day's lines only")
        parts.append(later)
    }

    /// Lines held.
    var count: Int { parts.reduce(0) { $0 + $1.count } }

    /// Each line's sequence number in its writer's stream, in order (empty when the writer does not number records).
    var sequences: [UInt64] { parts.count == 1 ? parts[0].sequences : parts.flatMap(\.sequences) }

    /// Leaves out the first `n` lines (what an earlier attempt already stored).
    mutating func removeFirst(_ n: Int) {
        var left = n
        while left > 0, let first = parts.first {
            if first.count <= left {
                left -= first.count
                parts.removeFirst()
            } else {
                parts[0].removeFirst(left)
                left = 0
            }
        }
    }

    /// The lines as runs of at most `size` whole lines (a run never spans two parts), in order: each run's bytes
    /// (newlines included) and the numbers of its lines in the batch.
    func forEachRun(size: Int, _ body: (UnsafeRawBufferPointer, Range<Int>) throws -> Void) rethrows {
        let size = max(size, 1)
        var base = 0
        for part in parts {
            try part.bytes.withUnsafeBytes { all in
                for first in stride(from: 0, to: part.count, by: size) {
                    let lines = first..<min(first + size, part.count)
                    try body(UnsafeRawBufferPointer(rebasing: all[part.byteRange(lines)]), (base + lines.lowerBound)..<(base + lines.upperBound))
                }
            }
            base += part.count
        }
    }

    /// Each line without its newline, in order.
    func forEachLine(_ body: (ArraySlice<UInt8>) -> Void) {
        for part in parts { part.forEachLine(body) }
    }

    /// The parts' byte buffers, for the next lines to be written into.
    consuming func buffers() -> [[UInt8]] { parts.map(\.bytes) }
}
