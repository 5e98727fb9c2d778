import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// One line of progress on stderr for work that can run past two seconds — records, rate, share done and time
/// left — redrawn at most four times a second, and only when stderr is a terminal (nothing otherwise).
final class TerminalProgress: Sendable {
    private struct State {
        var shown = false
        var lastDraw: Int64 = 0
    }

    private let label: String
    private let enabled: Bool
    private let started = TerminalProgress.nanos()
    private let state = Mutex(State())

    /// A progress line for `label` ("ingest", "stats", …), shown only when stderr is a terminal.
    init(_ label: String, enabled: Bool = Terminal.stderrIsTerminal) {
        self.label = label
        self.enabled = enabled
    }

    /// How long work runs before progress is shown: 2 s, or `INTERACTION_MONITOR_PROGRESS_AFTER_MS`.
    static let delay: Int64 = {
        if let v = getenv("INTERACTION_MONITOR_PROGRESS_AFTER_MS"), let ms = Int64(String(cString: v)), ms >= 0 {
            return ms * 1_000_000
        }
        return 2_000_000_000
    }()

    static func nanos() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }

    /// Reports `records` done and, when known, the share of the work done (`done` of `total`, any unit).
    func update(records: Int, done: Int64 = 0, total: Int64 = 0) {
        guard enabled else { return }
        let now = Self.nanos()
        let elapsed = now - started
        guard elapsed >= Self.delay else { return }
        let line: String? = state.withLock { s in
            guard s.lastDraw == 0 || now - s.lastDraw >= 250_000_000 else { return nil }
            s.lastDraw = now
            s.shown = true
            let seconds = Double(elapsed) / 1e9
            var text = "\(label): \(Self.grouped(records)) records, \(Self.grouped(Int(Double(records) / seconds)))/s"
            if total > 0, done > 0 {
                let fraction = min(Double(done) / Double(total), 1)
                text += ", \(Int(fraction * 100)) %"
                if fraction > 0.01 { text += ", about \(Int((seconds / fraction - seconds).rounded())) s left" }
            }
            text += ", \(Int(seconds)) s"
            return text
        }
        if let line { Self.write("\r\u{1B}[K" + line) }
    }

    /// Clears the line (when one was shown).
    func finish() {
        guard enabled, state.withLock({ $0.shown }) else { return }
        Self.write("\r\u{1B}[K")
    }

    private static func write(_ text: String) {
        var t = text
        t.withUTF8 { _ = Glibc.write(2, $0.baseAddress, $0.count) }
    }

    static func grouped(_ n: Int) -> String {
        let digits = String(n)
        var out = ""
        for (i, c) in digits.reversed().enumerated() {
            if i > 0, i % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return String(out.reversed())
    }
}
