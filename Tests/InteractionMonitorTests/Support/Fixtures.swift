@testable import InteractionMonitor

/// Builds a file store with `segments` segments of `perSegment` records each for `day`, returning the store,
/// keyring and the records written.
func makeStore(in dir: TemporaryDirectory, day: Day = Day("2026-11-20")!, segments: Int = 5, perSegment: Int = 3)
    throws -> (FileSegmentStore, Keyring, [Interaction])
{
    let keyring = try Keyring.loadOrCreate(directory: dir.keys)
    let store = FileSegmentStore(directory: dir.data)
    var all: [Interaction] = []
    for s in 0..<segments {
        let batch = (0..<perSegment).map { n in
            sample(day: day, n: s * perSegment + n)
        }
        _ = try SegmentWriter(store: store).write(batch, batchSize: perSegment, keyring: keyring)
        all += batch
    }
    return (store, keyring, all)
}

func sample(day: Day, n: Int, command: String = "cmd") -> Interaction {
    Interaction(
        timestamp: Timestamp(microsecondsSinceEpoch: day.start.microsecondsSinceEpoch + Int64(n) * 1_000_000),
        interactionType: .cliCommand, command: "\(command)-\(n)", status: n % 4 == 0 ? .failure : .success,
        durationMs: Double(n), metadata: ["n": .int(Int64(n))], userHash: "u\(n % 3)")
}

/// Frame offsets of a day file (structure only).
func frameOffsets(_ bytes: [UInt8]) throws -> [(offset: Int, length: Int)] {
    var out: [(Int, Int)] = []
    try FrameScanner(bytes: bytes).scan { item in
        if case .frame(let f) = item { out.append((Int(f.offset), f.encodedLength)) }
    }
    return out
}

func readAll(_ store: any SegmentStore, _ keyring: Keyring, from: Day? = nil, to: Day? = nil) throws -> (
    [Interaction], StoreReport
) {
    var got: [Interaction] = []
    let report = try DecryptingReader(store: store, keyring: keyring).read(from: from, to: to) { got.append($0) }
    return (got, report)
}
