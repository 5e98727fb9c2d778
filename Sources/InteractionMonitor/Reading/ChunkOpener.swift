import Dispatch
import Foundation

/// Opens and parses a run of consecutive frames of one day on every core, in order: what the reader delivers is
/// exactly what opening them one by one would give, only sooner. Checking (place, chain, duplicates, the manifest)
/// stays sequential in ``DayChecker``, which takes each frame's pre-opened result.
struct ChunkOpener: Sendable {
    let opener: FrameOpener
    /// Whether records are parsed (`verify` only authenticates).
    let parse: Bool
    /// Whether records are parsed with their metadata.
    let metadata: Bool

    /// Frames gathered before a chunk is opened, and the ciphertext bytes that end a chunk early: enough to keep two
    /// cores busy, few enough that the parsed records of a chunk stay a few megabytes.
    static let maximumFrames = 8
    static let maximumBytes = 2 << 20

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

    /// `frames` opened, in their order; several at once when records are parsed (authenticating alone is cheaper
    /// than handing frames to other threads), there are several and more than one core.
    func open(_ frames: [StoredFrame]) -> [Opened] {
        guard parse, frames.count > 1, Self.cores > 1 else { return frames.map(openOne) }
        let slots = Slots(count: frames.count)
        DispatchQueue.concurrentPerform(iterations: frames.count) { i in slots.set(i, openOne(frames[i])) }
        return slots.values()
    }

    private static let cores = ProcessInfo.processInfo.activeProcessorCount

    private func openOne(_ frame: StoredFrame) -> Opened {
        var opened = Opened(result: opener.open(frame))
        guard parse, case .success(let plaintext) = opened.result else { return opened }
        plaintext.forEachLine { line in
            if let record = try? Interaction(jsonLine: line, metadata: metadata) {
                opened.lines.append(.record(record, line.startIndex..<line.endIndex))
            } else {
                opened.lines.append(.invalid)
            }
        }
        return opened
    }

    /// One result slot per frame, each written by exactly one worker (distinct memory, so no two workers touch the
    /// same bytes), read after `concurrentPerform` has returned, which orders every write before the read.
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
        func values() -> [Opened] {
            (0..<count).map { storage[$0] ?? Opened(result: .failure(.authentication)) }
        }
    }
}
