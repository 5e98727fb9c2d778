import ArgumentParser
import InteractionMonitor

struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check every segment of every day file: authenticity, order, place, truncation, missing files.",
        discussion: "Exit 0 when everything is intact; 1 with a per-file report otherwise.")

    @OptionGroup var store: StoreOptions
    @OptionGroup var range: DayRangeOptions
    @Option(help: "A checkpoint printed by audit: fail unless the store's history extends it (no rollback, no fork).")
    var checkpoint: String?

    func run() async throws {
        let reader = try store.reader()
        if let text = checkpoint {
            guard let c = StoreCheckpoint(text) else {
                throw ValidationError("--checkpoint: not a checkpoint (expected imcp1:<store id>:<generation>:<digest>)")
            }
            if let problem = try StoreAdministrator(store: reader.store, keyring: reader.keyring).check(checkpoint: c) {
                print("FAIL checkpoint \(c.generation): \(problem)")
                throw ExitCode(1)
            }
            print("OK   checkpoint \(c.generation): the store's history extends it")
        }
        let report = try reader.verify(from: range.from, to: range.to)
        var files = report.files
        for issue in report.issues where !files.contains(issue.file) { files.append(issue.file) }
        for file in files {
            let issues = report.issues.filter { $0.file == file }
            let errors = issues.filter { $0.severity == .error }
            print("\(errors.isEmpty ? "OK  " : "FAIL") \(file)")
            for issue in issues {
                var location = ""
                if let s = issue.segment { location += "segment \(s)" }
                if let o = issue.offset { location += (location.isEmpty ? "" : ", ") + "offset \(o)" }
                print("     \(issue.severity.rawValue): \(location.isEmpty ? "" : location + ": ")\(issue.message)")
            }
        }
        let state = report.hasErrors ? "FAILED" : "intact"
        print("\(report.files.count) file(s), \(report.segmentsVerified) segment(s) verified: \(state)")
        if report.hasErrors { throw ExitCode(1) }
    }
}
