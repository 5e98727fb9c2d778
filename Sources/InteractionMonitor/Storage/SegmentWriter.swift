/// Turns batches of interactions into sealed segments in a store and keeps the manifest current.
struct SegmentWriter: Sendable {
    let store: any SegmentStore

    struct Result {
        var segments = 0
        var bytes = 0
    }

    /// Writes `interactions` (in order) as segments of at most `batchSize` records, one locked append per day,
    /// updating the manifest while the day is still locked. `hashKeys` names the hash keys the records'
    /// pseudonyms were made under (`nil`: unknown), recorded per day in the manifest so `keys retire` can tell
    /// whether a hash key is still in use.
    ///
    /// `origin` (writer and per-record sequence numbers, parallel to `interactions`) lets idempotent stores skip
    /// records a previous attempt already stored (``DayAccess/lastSequence(of:)``); other stores ignore it.
    func write(
        _ interactions: some Collection<Interaction>, batchSize: Int, keyring: Keyring, hashKeys: Set<KeyID>? = nil,
        plaintext: Bool = false, origin: WriteOrigin? = nil
    ) throws -> Result {
        var byDay: [Day: [Interaction]] = [:]
        var sequencesByDay: [Day: [UInt64]] = [:]
        var order: [Day] = []
        if let first = interactions.first?.timestamp.day, interactions.allSatisfy({ $0.timestamp.day == first }) {
            // The usual case, one day per flush: no regrouping copy.
            byDay[first] = Array(interactions)
            if let origin { sequencesByDay[first] = origin.sequences }
            order = [first]
        } else {
            for (n, i) in interactions.enumerated() {
                let day = i.timestamp.day
                if byDay[day] == nil { order.append(day) }
                byDay[day, default: []].append(i)
                if let origin { sequencesByDay[day, default: []].append(origin.sequences[n]) }
            }
        }
        var result = Result()
        for day in order {
            _ = try store.withExclusiveAccess(to: day, create: true) { access in
                var records = byDay[day]!
                var sequences = sequencesByDay[day] ?? []
                if let origin, let stored = try access.lastSequence(of: origin.writer) {
                    // A retry of a write that was stored although its caller saw an error: skip what is there.
                    let keep = sequences.firstIndex { $0 > stored } ?? sequences.count
                    records.removeFirst(keep)
                    sequences.removeFirst(keep)
                    guard !records.isEmpty else { return }
                }
                let start = try access.tail()
                let (frames, end) =
                    plaintext
                    ? Self.plain(records, from: start, batchSize: batchSize)
                    : try Self.seal(records, day: day, from: start, batchSize: batchSize, keyring: keyring)
                if let origin {
                    let size = max(batchSize, 1)
                    let provenance = stride(from: 0, to: sequences.count, by: size).map { first in
                        SegmentProvenance(
                            writer: origin.writer, firstSequence: sequences[first],
                            lastSequence: sequences[min(first + size, sequences.count) - 1])
                    }
                    try access.append(frames, provenance: provenance)
                } else {
                    try access.append(frames)
                }
                try StoreManifest.update(store: store, keyring: keyring, except: [day]) {
                    let previous: Set<KeyID>? =
                        if let old = $0.entries[day] { old.hashKeys } else { start.index == 0 ? [] : nil }
                    let used = previous.flatMap { p in hashKeys.map { p.union($0) } }
                    $0.entries[day] = .init(current: .init(end), alternate: nil, hashKeys: used)
                }
                result.segments += frames.count
                result.bytes += frames.reduce(0) { $0 + $1.count }
            }
        }
        return result
    }

    /// The JSONL plaintext of each batch of at most `batchSize` records.
    static func batches(_ records: [Interaction], batchSize: Int) -> [[UInt8]] {
        var out: [[UInt8]] = []
        var start = 0
        let size = max(batchSize, 1)
        while start < records.count {
            let end = min(start + size, records.count)
            var w = JSONWriter(reservingCapacity: (end - start) * 256)
            for r in records[start..<end] {
                w.write(r)
                w.bytes.append(UInt8(ascii: "\n"))
            }
            out.append(w.bytes)
            start = end
        }
        return out
    }

    /// Benchmark only: the JSONL of each batch, unsealed (what sealing would have encrypted).
    static func plain(_ records: [Interaction], from position: SegmentPosition, batchSize: Int) -> (frames: [[UInt8]], end: SegmentPosition) {
        let frames = batches(records, batchSize: batchSize)
        return (frames, SegmentPosition(index: position.index + UInt64(frames.count), previousTag: position.previousTag))
    }

    /// Seals `records` into frames of at most `batchSize` records, chained from `position`.
    static func seal(
        _ records: [Interaction], day: Day, from position: SegmentPosition, batchSize: Int, keyring: Keyring
    ) throws -> (frames: [[UInt8]], end: SegmentPosition) {
        var position = position
        var frames: [[UInt8]] = []
        for plaintext in batches(records, batchSize: batchSize) {
            let sealed = try SegmentCodec.seal(
                plaintext, kind: .interactions, day: day, position: position, keyring: keyring)
            frames.append(sealed.frame)
            position = SegmentPosition(index: position.index + 1, previousTag: sealed.tag)
        }
        return (frames, position)
    }
}
