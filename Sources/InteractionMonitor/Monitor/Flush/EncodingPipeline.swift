import Foundation
import Synchronization

/// Encodes a large snapshot on two threads of its own, in parts of `partSize` records, so the flushing thread can
/// seal each part (in order) while the next ones are still being encoded.
///
/// Each thread takes the next part not yet taken and keeps its ``PrivacyTransform/EncodingState`` from part to
/// part, so keys, texts and pseudonyms are classified, scrubbed and hashed once per thread, not once per part.
/// ``next()`` hands the parts over in buffer order, waiting for the one due; ``finish()`` stops the threads from
/// taking further parts and waits for them. The threads stay at most ``window`` parts ahead of the part handed over
/// last, so sealing and writing, which come after, get their share of the cores and the encoded lines held stay
/// bounded.
final class EncodingPipeline: Sendable {
    /// Each part's records: slices of the buffer's chunks (not copied).
    private let parts: [[ArraySlice<BufferedRecord>]]
    private let counts: [Int]
    private let firstSequences: [UInt64]
    private let results: Locked<[PrivacyTransform.StoredBatch?]>
    private let ready: [DispatchSemaphore]
    private let taken = Atomic<Int>(0)
    private let handedOver = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    private let done = DispatchGroup()
    /// One permit per part the threads may encode ahead of the parts handed over.
    private let room: DispatchSemaphore
    private let threads: Int
    static let window = 4
    /// Buffers of parts already sealed, for later parts to be encoded into.
    private let spares = Locked<[[UInt8]]>([])

    /// Parts of `partSize` records (the last one what is left). The threads start at once.
    init(
        _ snapshot: RecordBuffer.Snapshot, partSize: Int, transform: PrivacyTransform,
        keys: InteractionMonitor.KeyState, registry: OptOutRegistry, types: [InteractionType], firstSequence: UInt64,
        threads: Int = 2
    ) {
        let partSize = max(partSize, 1)
        var parts: [[ArraySlice<BufferedRecord>]] = []
        var counts: [Int] = []
        var firstSequences: [UInt64] = []
        var part: [ArraySlice<BufferedRecord>] = []
        var count = 0
        var sequence = firstSequence
        func close() {
            parts.append(part)
            counts.append(count)
            firstSequences.append(sequence)
            sequence += UInt64(count)
            part = []
            count = 0
        }
        for chunk in snapshot.recordChunks {
            var rest = chunk[...]
            while !rest.isEmpty {
                let taken = min(rest.count, partSize - count)
                part.append(rest.prefix(taken))
                rest = rest.dropFirst(taken)
                count += taken
                if count == partSize { close() }
            }
        }
        if count > 0 { close() }
        self.parts = parts
        self.counts = counts
        self.firstSequences = firstSequences
        results = Locked(Array(repeating: nil, count: parts.count))
        ready = parts.map { _ in DispatchSemaphore(value: 0) }
        let threads = max(1, min(threads, parts.count))
        self.threads = threads
        // Made empty and then given its permits: libdispatch refuses to free a semaphore holding fewer than it was
        // made with, and the permits the threads use to learn there is nothing left are never given back.
        room = DispatchSemaphore(value: 0)
        for _ in 0..<max(Self.window, threads) { room.signal() }
        for _ in 0..<threads {
            done.enter()
            let thread = Thread { [self] in
                encode(transform: transform, keys: keys, registry: registry, types: types)
                done.leave()
            }
            thread.name = "interaction-monitor.encoder"
            thread.start()
        }
    }

    /// Parts the snapshot was cut into.
    var partCount: Int { parts.count }

    /// The next part's stored lines, in buffer order, once encoded; `nil` after the last part.
    func next() -> PrivacyTransform.StoredBatch? {
        let k = handedOver.load(ordering: .relaxed)
        guard k < parts.count else { return nil }
        handedOver.store(k + 1, ordering: .relaxed)
        ready[k].wait()
        defer { room.signal() }
        return results.withLock { $0[k].take() }
    }

    /// Hands back a part's lines once sealed: their buffers are written into again by a later part, whose pages
    /// are then already in memory (a fresh buffer costs a page fault every 4 KiB).
    func recycle(_ lines: consuming DayBatch) {
        let buffers = lines.buffers()
        spares.withLock { pool in
            for b in buffers where pool.count < 4 { pool.append(b) }
        }
    }

    /// Lets no thread take another part, and waits for the parts already taken.
    func finish() {
        stopping.store(true, ordering: .relaxed)
        for _ in 0..<threads { room.signal() }  // a thread waiting for room sees it is stopping
        done.wait()
    }

    private func encode(
        transform: PrivacyTransform, keys: InteractionMonitor.KeyState, registry: OptOutRegistry,
        types: [InteractionType]
    ) {
        var state = PrivacyTransform.EncodingState(transform)
        while true {
            room.wait()
            guard !stopping.load(ordering: .relaxed) else { return }
            let k = taken.wrappingAdd(1, ordering: .relaxed).oldValue
            guard k < parts.count else { return }
            state.spare = spares.withLock { $0.popLast() }
            let batch = transform.storedBatch(
                chunks: parts[k], count: counts[k], keys: keys, registry: registry, types: types,
                firstSequence: firstSequences[k], state: &state)
            results.withLock { $0[k] = batch }
            ready[k].signal()
        }
    }
}
