import Foundation
import Synchronization

/// Writes batches of frames to a day file on a thread of its own, in the order they are handed over, so the
/// caller seals the next batch while this one is copied to the file. At most `depth` batches wait; a failed write
/// stops all later ones and is thrown to the caller at its next hand-over or at ``close()``. Used by one append of
/// the file store, which syncs the file after ``close()`` and cuts it back on any failure.
final class FrameWriter: Sendable {
    private struct State {
        var queue: [[[UInt8]]] = []
        var failure: (any Error)?
        var closed = false
    }

    private let fd: Int32
    private let path: String
    private let state = Locked(State())
    /// One signal per batch handed over, and one from ``close()``.
    private let items = DispatchSemaphore(value: 0)
    private let space: DispatchSemaphore
    private let finished = DispatchSemaphore(value: 0)

    /// Starts the writing thread for the open file `fd` (`path` is for messages). Call ``close()`` before the file
    /// is synced, cut or closed.
    init(fd: Int32, path: String, depth: Int = 2) {
        self.fd = fd
        self.path = path
        // Made empty and then given its permits: libdispatch refuses to free a semaphore holding fewer than it was
        // made with.
        space = DispatchSemaphore(value: 0)
        for _ in 0..<max(depth, 1) { space.signal() }
        Thread.detachNewThread { [self] in run() }
    }

    private func run() {
        while true {
            items.wait()
            // Empty at a wake-up: that was ``close()``'s signal, after every batch was taken.
            guard let frames = state.withLock({ s in s.queue.isEmpty ? nil : s.queue.removeFirst() }) else { break }
            if state.withLock({ $0.failure == nil }) {
                do {
                    for f in frames { try POSIX.writeAll(fd, f, path: path) }
                } catch {
                    state.withLock { $0.failure = error }
                }
            }
            space.signal()
        }
        finished.signal()
    }

    /// Hands `frames` over to be written after those before; waits while `depth` batches are waiting. Throws the
    /// failure of an earlier write (nothing more is written then).
    func write(_ frames: [[UInt8]]) throws {
        precondition(!state.withLock { $0.closed }, "a frame writer takes no frames once closed")
        if let failure = state.withLock({ $0.failure }) { throw failure }
        space.wait()
        state.withLock { $0.queue.append(frames) }
        items.signal()
    }

    /// Waits until every batch handed over is written, or the first failure, and ends the thread; throws that
    /// failure. Later calls only throw it again.
    func close() throws {
        let first = state.withLock { s in
            defer { s.closed = true }
            return !s.closed
        }
        if first {
            items.signal()
            finished.wait()
        }
        if let failure = state.withLock({ $0.failure }) { throw failure }
    }
}
