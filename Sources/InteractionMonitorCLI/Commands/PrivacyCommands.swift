import ArgumentParser
import InteractionMonitor

/// A raw user id argument; `-` reads it from the first line of stdin (keeps it out of shell history and `ps`).
struct UserIDArgument: ParsableArguments {
    @Argument(help: "The raw user id, or '-' to read it from standard input. It is hashed at once and never stored.")
    var userID: String

    func resolved() throws -> String {
        guard userID == "-" else { return userID }
        guard let line = readLine(strippingNewline: true), !line.isEmpty else {
            throw ValidationError("expected a user id on standard input")
        }
        return line
    }
}

extension StoreOptions {
    /// An administrator over the store; needs an existing keyring.
    func administrator() throws -> StoreAdministrator {
        try checkDataDirectory()
        return StoreAdministrator(store: try store, keyring: try loadKeyring())
    }
}

struct OptOutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "opt-out",
        abstract: "Opt a user out: from now on no record of theirs reaches disk, also from running processes.")
    @OptionGroup var store: StoreOptions
    @OptionGroup var user: UserIDArgument

    func run() async throws {
        let admin = try store.administrator()
        let id = try user.resolved()
        try await journaled(store, "opt-out") {
            let added = try admin.optOut(userID: id)
            print("\(added ? "opted out" : "already opted out"): user \(admin.userHash(of: id))")
            return ((), ["user_hash": admin.userHash(of: id), "changed": String(added)])
        }
    }
}

struct OptInCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "opt-in", abstract: "Remove a user's opt-out.")
    @OptionGroup var store: StoreOptions
    @OptionGroup var user: UserIDArgument

    func run() async throws {
        let admin = try store.administrator()
        let id = try user.resolved()
        try await journaled(store, "opt-in") {
            let removed = try admin.optIn(userID: id)
            print("\(removed ? "opted in" : "was not opted out"): user \(admin.userHash(of: id))")
            return ((), ["user_hash": admin.userHash(of: id), "changed": String(removed)])
        }
    }
}

struct OptOutsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "opt-outs", abstract: "List opted-out users (hashes and dates; raw ids are never stored).")
    @OptionGroup var store: StoreOptions
    @Flag(help: "One JSON array of objects: user_hash, hash_key_id, since.") var json = false

    func run() async throws {
        let entries = try store.administrator().optOuts()
        if json {
            let all: [JSONValue] = entries.map { e in
                [
                    "user_hash": .string(e.userHash), "hash_key_id": .string(e.hashKeyID.description),
                    "since": .string(e.since.iso8601),
                ]
            }
            print(JSONValue.array(all).jsonText)
            return
        }
        for e in entries { print("\(e.userHash)  key \(e.hashKeyID)  since \(e.since.iso8601)") }
        if !json { print("\(entries.count) opt-out entr\(entries.count == 1 ? "y" : "ies")") }
    }
}

struct ForgetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forget",
        abstract: "Erase every stored interaction of a user (right to be forgotten) and opt them out.",
        discussion: "Each affected day file is rewritten atomically: a crash leaves the old or the new file.")
    @OptionGroup var store: StoreOptions
    @OptionGroup var user: UserIDArgument

    func run() async throws {
        let admin = try store.administrator()
        let id = try user.resolved()
        try await journaled(store, "forget") {
            let report = try admin.forget(userID: id)
            for f in report.files { print("  \(f.name): removed \(f.removed)") }
            print("forgot user \(report.userHash): removed \(report.removed) interaction(s) from \(report.files.count) file(s); user opted out")
            return (
                (),
                ["user_hash": report.userHash, "removed": String(report.removed), "files": String(report.files.count)]
            )
        }
    }
}

struct CleanupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cleanup", abstract: "Delete interactions older than the retention period.")
    @OptionGroup var store: StoreOptions
    @Option(help: "Days to keep.") var retentionDays: Int = 90

    func validate() throws {
        guard retentionDays >= 1 else { throw ValidationError("--retention-days must be at least 1") }
    }

    func run() async throws {
        let admin = try store.administrator()
        try await journaled(store, "cleanup") {
            let report = try admin.applyRetention(days: retentionDays)
            for f in report.filesRemoved { print("  removed \(f)") }
            print(
                "cleanup: kept interactions since \(report.cutoff.iso8601); removed \(report.filesRemoved.count) file(s) and \(report.removedFromCutDay) older interaction(s) from the cut day"
            )
            return (
                (),
                [
                    "retention_days": String(retentionDays), "files_removed": String(report.filesRemoved.count),
                    "records_removed_from_cut_day": String(report.removedFromCutDay),
                ]
            )
        }
    }
}

struct AccessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "access",
        abstract: "Everything stored about one user (data-subject access request): interactions, profile, opt-out state, files and keys.",
        discussion: """
            The counterpart of `forget`. Prints only this user's data: their pseudonyms, their interactions as \
            stored (scrubbed), the profile they give, whether they opted out, and which files and data keys hold \
            them. The raw id is hashed at once; it is never stored or printed. Recorded in the operations journal \
            (user hash only).
            """)
    @OptionGroup var store: StoreOptions
    @OptionGroup var user: UserIDArgument
    @Flag(help: "One JSON object: user_hashes, opted_out, opted_out_since, interactions, files, derived_files, profile.")
    var json = false

    func run() async throws {
        let admin = try store.administrator()
        let id = try user.resolved()
        let report = try await journaled(store, "access") {
            let r = try admin.subjectAccess(userID: id)
            return (r, ["user_hash": admin.userHash(of: id), "interactions": String(r.interactions.count), "files": String(r.holders.count)])
        }
        if json {
            print(report.json.jsonText)
        } else {
            let pseudonyms = report.userHashes.map { "\($0.userHash) (hash key \($0.hashKeyID))" }
            print("Subject access: \(pseudonyms.first ?? "-")")
            for other in pseudonyms.dropFirst() { print("  also known as \(other)") }
            print("  opted out:     " + (report.optedOutSince.map { "yes, since \($0.iso8601)" } ?? "no"))
            print("  interactions:  \(report.interactions.count) in \(report.holders.count) file(s)")
            for h in report.holders {
                print("    \(h.file): \(h.interactions), sealed under \(h.keyIDs.map { "\($0)" }.joined(separator: ", "))")
            }
            print("  derived files: " + (report.derivedFiles.isEmpty ? "none" : report.derivedFiles.joined(separator: ", ")))
            if let p = report.profile {
                print("  profile:       success rate \(percent(p.successRate)), commands \(p.commonCommands.joined(separator: ", ")), peak hours (UTC) \(p.peakUsageHours.map(String.init).joined(separator: ", "))")
            }
            if !report.interactions.isEmpty { print("Interactions as stored:") }
            for i in report.interactions { print(i.jsonLine) }
        }
        for issue in report.storeReport.issues { printError("\(issue.severity.rawValue): \(issue)") }
        if report.storeReport.hasErrors { throw ExitCode(1) }
    }
}
