/// Turns batches of interactions into sealed segments in a store and keeps the manifest current.
struct SegmentWriter: Sendable {
    let store: any SegmentStore

    struct Result {
        var segments = 0
        var bytes = 0
    }

    /// Writes `interactions` (in order) as segments of at most `batchSize` records, one file append per day.
    func write(_ interactions: some Collection<Interaction>, batchSize: Int, keyring: Keyring) throws -> Result {
        var byDay: [Day: [Interaction]] = [:]
        var order: [Day] = []
        for i in interactions {
            let day = i.timestamp.day
            if byDay[day] == nil { order.append(day) }
            byDay[day, default: []].append(i)
        }
        var result = Result()
        var tails: [Day: SegmentPosition] = [:]
        for day in order {
            let records = byDay[day]!
            var bytes = 0
            try store.append(to: day) { position in
                var position = position
                var frames: [[UInt8]] = []
                var start = 0
                while start < records.count {
                    let end = min(start + max(batchSize, 1), records.count)
                    var w = JSONWriter(reservingCapacity: (end - start) * 256)
                    for r in records[start..<end] {
                        w.write(r)
                        w.bytes.append(UInt8(ascii: "\n"))
                    }
                    let sealed = try SegmentCodec.seal(
                        w.bytes, kind: .interactions, day: day, position: position,
                        keyID: keyring.activeDataKeyID, key: keyring.activeDataKey)
                    frames.append(sealed.frame)
                    bytes += sealed.frame.count
                    position = SegmentPosition(index: position.index + 1, previousTag: sealed.tag)
                    start = end
                }
                tails[day] = position
                return frames
            }
            result.bytes += bytes
            result.segments += (records.count + max(batchSize, 1) - 1) / max(batchSize, 1)
        }
        try StoreManifest.record(tails, store: store, keyring: keyring)
        return result
    }
}
