import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// SIGINT / SIGTERM turned into a flag that long-running commands (`watch`, `serve`) poll, so they finish their
/// current step, flush their output and exit 0.
enum StopSignal {
    private static let raised = Atomic<Bool>(false)

    /// Installs the handlers (idempotent).
    static func install() {
        signal(SIGINT) { _ in StopSignal.raised.store(true, ordering: .relaxed) }
        signal(SIGTERM) { _ in StopSignal.raised.store(true, ordering: .relaxed) }
    }

    /// Whether SIGINT or SIGTERM arrived.
    static var isRaised: Bool { raised.load(ordering: .relaxed) }

    /// Sleeps up to `seconds`, waking early (within 50 ms) when a signal arrives.
    static func sleep(seconds: Double) async {
        var left = seconds
        while left > 0, !isRaised {
            let step = min(left, 0.05)
            try? await Task.sleep(for: .milliseconds(Int64(step * 1000)))
            left -= step
        }
    }
}

/// Writes a line to standard output at once (alerts must not wait in a buffer when stdout is a pipe).
func writeLineNow(_ text: String) {
    var line = text + "\n"
    line.withUTF8 { u in
        var offset = 0
        while offset < u.count {
            let n = Glibc.write(1, u.baseAddress.map { $0 + offset }, u.count - offset)
            if n <= 0 {
                if n < 0 && errno == EINTR { continue }
                return
            }
            offset += n
        }
    }
}
