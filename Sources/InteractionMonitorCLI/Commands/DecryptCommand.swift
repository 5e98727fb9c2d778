import ArgumentParser
import InteractionMonitor

struct DecryptCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decrypt",
        abstract: "Audit: print stored interactions as plaintext JSON lines, verifying every segment.",
        discussion: "Problems found are listed on stderr and the exit code is 1; good segments are still printed.")

    @OptionGroup var store: StoreOptions
    @OptionGroup var range: DayRangeOptions

    @Option(help: "Print a derived file instead: user_profiles or patterns (JSON).")
    var derived: String?

    func run() async throws {
        let reader = try store.reader()
        if let derived {
            guard let text = try DerivedFiles.read(derived, store: try store.store, keyring: reader.keyring) else {
                throw InteractionMonitorError(.configuration, "no \(derived) file yet (run `interaction-monitor \(derived == "patterns" ? "patterns" : "profile USER_ID")`)")
            }
            print(text)
            return
        }
        var out = OutputStream.standardOutput()
        let report = try reader.readStoredLines(from: range.from, to: range.to) { out.line(bytes: $0) }
        out.flush()
        for issue in report.issues { printError("\(issue.severity.rawValue): \(issue)") }
        if report.hasErrors { throw ExitCode(1) }
    }
}
