import ArgumentParser
import InteractionMonitor

/// `acknowledge`: an operator accepts what `verify` reports, on the record.
struct AcknowledgeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "acknowledge",
        abstract: "Accept every finding verify reports now (a cut, deleted or replaced file, a lost manifest), on the record.",
        discussion: """
            Findings stay reported (verify exits 1) after any number of writes until they are acknowledged. \
            Acknowledging records each finding as accepted, with the reason and the time, in the sealed manifest \
            (audit lists them) and in the operations journal, and accepts the files as they are now. Damaged \
            segments inside a file stay reported.
            """)

    @OptionGroup var store: StoreOptions
    @Option(help: "Why the findings are accepted (recorded with them).") var reason: String

    func validate() throws {
        guard reason.contains(where: { !$0.isWhitespace }) else {
            throw ValidationError("--reason must say why the findings are accepted")
        }
    }

    func run() async throws {
        let admin = try store.administrator()
        let done = try await journaled(store, "acknowledge") {
            let done = try admin.acknowledge(reason: reason)
            return (done, ["findings": "\(done.count)", "reason": reason])
        }
        for a in done { print("acknowledged  \(a.file): \(a.message)") }
        print(done.isEmpty ? "nothing to acknowledge" : "\(done.count) finding(s) acknowledged")
    }
}
