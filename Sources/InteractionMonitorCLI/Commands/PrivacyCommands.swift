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
    @Flag(help: "One JSON object per line: user_hash, hash_key_id, since.") var json = false

    func run() async throws {
        let entries = try store.administrator().optOuts()
        for e in entries {
            if json {
                let o: JSONValue = [
                    "user_hash": .string(e.userHash), "hash_key_id": .string(e.hashKeyID.description),
                    "since": .string(e.since.iso8601),
                ]
                print(o.jsonText)
            } else {
                print("\(e.userHash)  key \(e.hashKeyID)  since \(e.since.iso8601)")
            }
        }
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
