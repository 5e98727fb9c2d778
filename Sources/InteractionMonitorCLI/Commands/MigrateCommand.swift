import ArgumentParser
import InteractionMonitor

/// `migrate --from DIR|URL --to DIR|URL`: copies a store into another and proves the copy.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Copy a store into another (a data directory into PostgreSQL or back), verified.",
        discussion: """
            Sealed segments and blobs are copied byte for byte (no key is needed to copy). The copy is then compared \
            frame by frame with the source and, with the keyring, verified and its records counted on both sides. \
            Stop the writers of the source first. Exit 1 when the copy differs or does not verify.
            """)

    @OptionGroup var store: StoreOptions

    @Option(help: ArgumentHelp("The store to copy: a data directory or a postgres:// URL.", valueName: "dir-or-url"))
    var from: String

    @Option(help: ArgumentHelp("The store to copy into: a data directory or a postgres:// URL.", valueName: "dir-or-url"))
    var to: String

    @Flag(help: "Copy and compare frames only, without the keyring (no authentication, no record counts).")
    var noKeys = false

    func validate() throws {
        guard from != to else { throw ValidationError("--from and --to name the same store") }
    }

    func run() async throws {
        let source = try StoreOptions.store(at: from, tenant: try store.tenant)
        let destination = try StoreOptions.store(at: to, tenant: try store.tenant)
        let keyring = noKeys ? nil : try store.loadKeyring()
        let copier = StoreCopier(source: source, destination: destination)
        let summary = try await journaled(store, "migrate") {
            let s = try copier.copy { day, s in
                printError("copied \(day): \(s.segments) segment(s) so far")
            }
            return (s, ["days": String(s.days), "segments": String(s.segments), "blobs": String(s.blobs)])
        }
        print("copied \(summary.days) day(s), \(summary.segments) segment(s), \(summary.bytes) bytes, \(summary.blobs) blob(s) from \(source.location) to \(destination.location)")
        var failed = false
        let differences = try copier.differences()
        for d in differences { print("DIFFERENT \(d)") }
        if !differences.isEmpty { failed = true }
        if let keyring {
            let before = try DecryptingReader(store: source, keyring: keyring).read { _ in }
            let after = try DecryptingReader(store: destination, keyring: keyring).read { _ in }
            for issue in after.issues where issue.severity == .error { print("FAIL \(issue.file): \(issue.message)") }
            if after.hasErrors { failed = true }
            if before.interactionsRead != after.interactionsRead {
                print("DIFFERENT records: \(before.interactionsRead) in the source, \(after.interactionsRead) in the copy")
                failed = true
            }
            print("verified: \(after.interactionsRead) record(s) in \(after.segmentsVerified) segment(s) \(after.hasErrors ? "FAILED" : "intact"); source \(before.interactionsRead) record(s)")
        }
        if failed { throw ExitCode(1) }
        print("migrate: the copy is identical")
    }
}
