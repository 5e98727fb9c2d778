import ArgumentParser
import InteractionMonitor

#if canImport(Glibc)
import Glibc
#endif

struct ReencryptCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reencrypt",
        abstract: "Reseal stored data under the active data key (every file, or those under one key).",
        discussion: """
            Each day file is replaced atomically under its lock, so writers may keep appending. A killed run \
            leaves every file wholly old or wholly new: run it again to finish. Exit 1 when a file could not be \
            resealed (damaged, or sealed under a key the keyring lacks).
            """)

    @OptionGroup var store: StoreOptions
    @Option(name: .customLong("key"), help: "Only reseal data sealed under this key id.", transform: { text in
        guard let id = KeyID(text) else { throw ValidationError("'\(text)' is not a key id (16 hex digits)") }
        return id
    })
    var key: KeyID?

    func run() async throws {
        let keyring = try store.loadKeyring()
        if let key {
            guard let e = keyring.entry(key), e.purpose == .data else {
                throw InteractionMonitorError(.configuration, "the keyring has no data key \(key)")
            }
        }
        let started = Timestamp.now()
        var bar = ProgressBar(enabled: Terminal.stderrIsTerminal)
        let outcome = try await journaled(store, "reencrypt") {
            let outcome = try ReEncryptor(store: try store.store, keyring: keyring, onlyKey: key).run { p in
                bar.update(p)
            }
            return (
                outcome,
                [
                    "to_key": keyring.activeDataKeyID.description, "only_key": key?.description ?? "all",
                    "files_rewritten": String(outcome.filesRewritten), "segments": String(outcome.segmentsResealed),
                    "blobs": String(outcome.blobsResealed.count), "failures": String(outcome.failures.count),
                ]
            )
        }
        bar.finish()
        let seconds = Double(Timestamp.now().microsecondsSinceEpoch - started.microsecondsSinceEpoch) / 1e6
        let mb = Double(outcome.bytesRewritten) / 1e6
        for f in outcome.failures { printError("error: \(f)") }
        print(
            "reencrypt: \(outcome.filesRewritten) file(s) rewritten (\(outcome.segmentsResealed) segments, "
                + "\(format(mb, 2)) MB in \(format(seconds, 2)) s, \(format(seconds > 0 ? mb / seconds : 0, 2)) MB/s), "
                + "\(outcome.filesSkipped) already under \(keyring.activeDataKeyID), \(outcome.blobsResealed.count) blob(s) resealed")
        if !outcome.failures.isEmpty { throw ExitCode(1) }
    }
}

/// A one-line progress bar on a terminal (stderr), or one plain line per file otherwise (stdout).
struct ProgressBar {
    let enabled: Bool
    private var lastFile = ""
    private var lastDraw: Int64 = 0
    private let start = Timestamp.now().microsecondsSinceEpoch

    init(enabled: Bool) { self.enabled = enabled }

    mutating func update(_ p: ReEncryptor.Progress) {
        if !enabled {
            if p.current != lastFile, !lastFile.isEmpty { print("reencrypt: done \(lastFile) (\(p.filesDone)/\(p.filesTotal))") }
            lastFile = p.current
            return
        }
        let now = Timestamp.now().microsecondsSinceEpoch
        guard now - lastDraw > 100_000 || p.filesDone == p.filesTotal else { return }
        lastDraw = now
        let fraction = p.bytesTotal > 0 ? Double(p.bytesDone) / Double(p.bytesTotal) : Double(p.filesDone) / Double(max(p.filesTotal, 1))
        let width = 30
        let filled = min(width, Int(fraction * Double(width)))
        let seconds = Double(now - start) / 1e6
        let rate = seconds > 0 ? Double(p.bytesDone) / 1e6 / seconds : 0
        let line = "\r[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "] "
            + "\(Int(fraction * 100))%  \(p.filesDone)/\(p.filesTotal) files  \(format(rate, 2)) MB/s  \(p.current)\u{1B}[K"
        printError(line, newline: false)
    }

    mutating func finish() {
        if enabled {
            printError("")
        } else if !lastFile.isEmpty {
            print("reencrypt: done \(lastFile)")
        }
    }
}
