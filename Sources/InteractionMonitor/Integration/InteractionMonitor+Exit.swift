import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Short-lived command-line tools: flush the last records before the process ends, within a bounded time.
extension InteractionMonitor {
    /// Writes everything buffered now, synchronously, giving up after `timeout` if another flush holds the store
    /// (the caller is exiting: an exit must never hang). Returns whether the buffer was flushed.
    @discardableResult
    public func flushBeforeExit(timeout: Duration = .milliseconds(500)) -> Bool {
        guard !isDisabled else { return true }
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while true {
            if let done = flushGate.withLockIfAvailable({ _ in (try? flushNowLocked(forced: true)) != nil }) {
                return done && bufferedCount == 0
            }
            if clock.now >= deadline { return false }
            usleep(1000)
        }
    }

    /// Makes sure this monitor's buffered records reach disk when the process ends: at a normal exit or
    /// `exit()` (an `atexit` handler) and on `signals` (default SIGINT and SIGTERM; the handler flushes, then
    /// re-raises the signal with its default action, so the exit status is what it would have been). Each flush
    /// waits at most `timeout` for a flush already in progress.
    ///
    /// Meant for CLIs; a server under swift-service-lifecycle should add the monitor to its `ServiceGroup`
    /// instead (its own signal handling then applies).
    public func installExitHandlers(
        timeout: Duration = .milliseconds(500), signals: [Int32] = [SIGINT, SIGTERM]
    ) {
        ExitFlushRegistry.register(self, timeout: timeout, signals: signals)
    }
}

/// The monitors to flush at exit, and the installed handlers (process-wide).
///
/// Signals use the self-pipe pattern: the `sigaction` handler only writes the signal number to a pipe (which is
/// async-signal-safe); a dedicated thread reads it, flushes every registered monitor (bounded), restores the
/// default action and re-raises the signal.
enum ExitFlushRegistry {
    private struct State: Sendable {
        var monitors: [(InteractionMonitor, Duration)] = []
        var atexitInstalled = false
        var handled: Set<Int32> = []
        var pipeStarted = false
    }

    private static let state = Locked(State())
    /// The pipe's write end, read by the signal handler (set once, before any handler is installed).
    nonisolated(unsafe) static var signalPipeWrite: Int32 = -1

    static func register(_ monitor: InteractionMonitor, timeout: Duration, signals: [Int32]) {
        let (installAtexit, startPipe, newSignals) = state.withLock { s -> (Bool, Bool, [Int32]) in
            if !s.monitors.contains(where: { $0.0 === monitor }) { s.monitors.append((monitor, timeout)) }
            let first = !s.atexitInstalled
            s.atexitInstalled = true
            let pipe = !s.pipeStarted && !signals.isEmpty
            if pipe { s.pipeStarted = true }
            let fresh = signals.filter { !s.handled.contains($0) }
            s.handled.formUnion(fresh)
            return (first, pipe, fresh)
        }
        if installAtexit { atexit { ExitFlushRegistry.flushAll() } }
        if startPipe { startSignalThread() }
        guard signalPipeWrite >= 0 else { return }
        for sig in newSignals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { sig in
                var byte = UInt8(truncatingIfNeeded: sig)
                _ = Glibc.write(ExitFlushRegistry.signalPipeWrite, &byte, 1)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            sigaction(sig, &action, nil)
        }
    }

    private static func startSignalThread() {
        var fds: [Int32] = [-1, -1]
        guard Glibc.pipe(&fds) == 0 else { return }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        signalPipeWrite = fds[1]
        let readEnd = fds[0]
        Thread.detachNewThread {
            while true {
                var byte: UInt8 = 0
                let n = Glibc.read(readEnd, &byte, 1)
                if n < 0 && errno == EINTR { continue }
                guard n == 1 else { return }
                let sig = Int32(byte)
                ExitFlushRegistry.flushAll()
                Glibc.signal(sig, SIG_DFL)
                // Process-directed (this thread may block the signal): the default action ends the process with
                // the status the signal would have given.
                Glibc.kill(getpid(), sig)
            }
        }
    }

    static func flushAll() {
        let monitors = state.withLock { $0.monitors }
        for (m, timeout) in monitors { m.flushBeforeExit(timeout: timeout) }
    }
}
