import Foundation
import Synchronization

/// Opens and parses a run of consecutive frames of one day on worker threads, one per core, while the reader
/// delivers the run before: what the reader delivers is exactly what opening them one by one would give, only sooner.
/// Checking (place, chain, duplicates, the manifest) stays sequential in ``DayChecker``, which takes each frame's
/// pre-opened result.
struct ChunkOpener: Sendable {
    let opener: FrameOpener
    /// Whether records are parsed (`verify` only authenticates).
    let parse: Bool
    /// The fields records are parsed with.
    let fields: InteractionFields

    /// Frames gathered before a chunk is opened, and the ciphertext bytes that end a chunk early: enough to keep two
    /// cores busy, few enough that the parsed records of a chunk stay a few megabytes.
    static let maximumFrames = 8
    static let maximumBytes = 2 << 20
    /// Chunks opened ahead of the one being delivered (memory: this many more chunks and their records).
    static let chunksAhead = 2

    /// One record line of an opened frame: the record and where its line is in the plaintext, or a line that is not
    /// a valid interaction.
    enum Line: Sendable {
        case record(Interaction, Range<Int>)
        case invalid
    }

    /// A frame opened (and its lines parsed when it opened).
    struct Opened: Sendable {
        var result: Result<[UInt8], FrameOpener.Failure>
        var lines: [Line] = []
    }

    private static let cores = ProcessInfo.processInfo.activeProcessorCount

    /// A chunk being opened in the background (``start(_:on:)``): each frame is its own job on the worker threads,
    /// so every core takes frames while the caller delivers the chunk before. ``wait()`` gives the frames, opened, in
    /// order.
    final class Opening: @unchecked Sendable {
        // `remaining` is only touched with `condition` locked; each slot is written by one job before it locks
        // `condition` to count itself done, and read after `wait()` has seen the count reach zero under the lock.
        private let condition = NSCondition()
        private var remaining: Int
        private let slots: Slots

        fileprivate init(_ frames: [StoredFrame], _ opener: ChunkOpener, on workers: WorkerThreads) {
            slots = Slots(count: frames.count)
            remaining = frames.count
            for (i, frame) in frames.enumerated() {
                workers.submit { [self] in
                    slots.set(i, opener.openOne(frame))
                    condition.lock()
                    remaining -= 1
                    if remaining == 0 { condition.broadcast() }
                    condition.unlock()
                }
            }
        }

        /// Blocks until every frame is opened (the worker threads, never the caller's, do the work) and hands the
        /// results over: they are moved out, so a second call gives only failures.
        func wait() -> [Opened] {
            condition.lock()
            while remaining > 0 { condition.wait() }
            condition.unlock()
            return slots.values()
        }
    }

    /// Starts opening `frames` on `workers`, as ``open(_:)`` does.
    func start(_ frames: [StoredFrame], on workers: WorkerThreads) -> Opening { Opening(frames, self, on: workers) }

    /// Threads for ``start(_:on:)``: one per core.
    static func workers() -> WorkerThreads { WorkerThreads(count: cores) }

    private func openOne(_ frame: StoredFrame) -> Opened {
        var opened = Opened(result: opener.open(frame))
        guard parse, case .success(let plaintext) = opened.result else { return opened }
        var decoder = decoders.take()
        defer { decoders.give(decoder) }
        plaintext.withUnsafeBytes { all in
            plaintext.forEachLine { line in
                let bytes = UnsafeRawBufferPointer(rebasing: all[line.startIndex..<line.endIndex])
                if let record = try? decoder.decode(bytes) {
                    opened.lines.append(.record(record, line.startIndex..<line.endIndex))
                } else {
                    opened.lines.append(.invalid)
                }
            }
        }
        return opened
    }

    /// One decoder per worker at a time, each keeping its table of repeated texts across the frames it decodes.
    private let decoders: DecoderPool

    init(opener: FrameOpener, parse: Bool, fields: InteractionFields) {
        self.opener = opener
        self.parse = parse
        self.fields = fields
        decoders = DecoderPool(fields: fields)
    }

    private final class DecoderPool: Sendable {
        private let idle = Locked<[RecordLineDecoder]>([])
        private let fields: InteractionFields
        init(fields: InteractionFields) { self.fields = fields }
        func take() -> RecordLineDecoder {
            idle.withLock { $0.popLast() } ?? RecordLineDecoder(fields: fields, interning: true)
        }
        func give(_ decoder: RecordLineDecoder) { idle.withLock { $0.append(decoder) } }
    }

    /// One result slot per frame, each written by exactly one worker (distinct memory, so no two workers touch the
    /// same bytes), read after ``Opening/wait()``, whose lock orders every write before the read.
    private final class Slots: @unchecked Sendable {
        private let storage: UnsafeMutablePointer<Opened?>
        private let count: Int
        init(count: Int) {
            self.count = count
            storage = .allocate(capacity: count)
            storage.initialize(repeating: nil, count: count)
        }
        deinit {
            storage.deinitialize(count: count)
            storage.deallocate()
        }
        func set(_ i: Int, _ value: Opened) { storage[i] = value }
        /// The results, moved out (each slot is left empty: the caller owns them).
        func values() -> [Opened] {
            (0..<count).map { storage[$0].take() ?? Opened(result: .failure(.authentication)) }
        }
    }
}
