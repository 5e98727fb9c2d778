import InteractionMonitor
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A swift-log handler appending one line per message to a file (default `~/vy_logs/interaction_monitor.log`):
/// `<UTC time> <level> <label>: <message> key=value…`. Each line is one `write(2)` on an `O_APPEND` descriptor,
/// so lines from concurrent processes never interleave. Callers log no PII or key material; the CLI logs command
/// names and outcomes only.
struct FileLogHandler: LogHandler {
    /// Default path: `INTERACTION_MONITOR_LOG_FILE`, else `~/vy_logs/interaction_monitor.log`.
    static func defaultPath() -> String {
        if let p = getenv("INTERACTION_MONITOR_LOG_FILE"), p.pointee != 0 { return String(cString: p) }
        let home = getenv("HOME").map { String(cString: $0) } ?? "/tmp"
        return home + "/vy_logs/interaction_monitor.log"
    }

    /// The log file, opened (and its directory made) on the first line written, so a command that logs nothing —
    /// `--help`, a usage error — creates nothing in the home directory.
    final class Sink: Sendable {
        let path: String
        private let fd = Mutex<Int32?>(nil)
        init(path: String) { self.path = path }
        deinit { fd.withLock { if let d = $0, d >= 0 { Glibc.close(d) } } }

        func write(_ line: inout String) {
            fd.withLock { d in
                if d == nil { d = FileLogHandler.openDescriptor(path: path) }
                guard let d, d >= 0 else { return }
                line.withUTF8 { _ = Glibc.write(d, $0.baseAddress, $0.count) }
            }
        }
    }

    private let sink: Sink
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    /// Opens (creating, 0600, in a 0700 directory) the log file; -1 when it cannot be opened.
    static func openDescriptor(path: String) -> Int32 {
        // mkdir -p of the parent, 0700.
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropLast()
        var prefix = ""
        for (i, part) in parts.enumerated() {
            prefix += (i == 0 ? "" : "/") + part
            if !prefix.isEmpty { _ = Glibc.mkdir(prefix, 0o700) }
        }
        return Glibc.open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
    }

    private init(label: String, sink: Sink) {
        self.label = label
        self.sink = sink
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var line = "\(Timestamp.now().iso8601) \(event.level) \(label): \(event.message)"
        var all = metadata
        if let extra = event.metadata { all.merge(extra) { _, new in new } }
        for (k, v) in all.sorted(by: { $0.key < $1.key }) { line += " \(k)=\(v)" }
        line = String(line.map { $0.isNewline ? " " : $0 }) + "\n"
        sink.write(&line)
    }

    private static let bootstrapped = Locked(false)

    /// Routes swift-log to the log file once per process (to nowhere when the file cannot be opened).
    static func bootstrapOnce() {
        let first = bootstrapped.withLock { done -> Bool in
            defer { done = true }
            return !done
        }
        guard first else { return }
        // No log file (read-only home, …): lines are dropped rather than mixed into the CLI's output.
        let sink = Sink(path: defaultPath())
        LoggingSystem.bootstrap { label in FileLogHandler(label: label, sink: sink) }
    }
}
