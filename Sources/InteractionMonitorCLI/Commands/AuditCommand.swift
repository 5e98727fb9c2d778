import ArgumentParser
import InteractionMonitor

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "What is stored, without printing any interaction: days, files, segments, records, keys, retention, opt-outs, verification, journal.",
        discussion: "Exit 0 when every file verifies; 1 when any fails (listed).")

    @OptionGroup var store: StoreOptions
    @Flag(help: "One JSON object.") var json = false
    @Option(help: "The retention period the apps use, in days (default 90), to show the horizon.")
    var retentionDays: Int = 90

    func validate() throws {
        guard retentionDays >= 1 else { throw ValidationError("--retention-days must be at least 1") }
    }

    func run() async throws {
        try store.checkDataDirectory()
        let keyring = try store.loadKeyring()
        let audit = try StoreAudit.run(store: try store.store, keyring: keyring, retentionDays: retentionDays)
        // A checkpoint of the store as audited, for the auditor to keep (`verify --checkpoint` later).
        let segmentStore = try store.store
        let hasManifest = try segmentStore.blobNames().contains("manifest.enc")
        var checkpoint: StoreCheckpoint? = nil
        if !audit.days.isEmpty || hasManifest {
            do {
                checkpoint = try StoreAdministrator(store: segmentStore, keyring: keyring).checkpoint()
            } catch let error as InteractionMonitorError {
                // A store audit can still be read without one (a read-only copy, say): say why there is none.
                printError("note: no checkpoint: \(error.message)")
            }
        }
        let journal = try store.journal
        let summary = try journal.summary()
        if json {
            var object = jsonObject(audit, keyring: keyring, journal: summary, journalPath: journal.path)
            if case .object(var o) = object {
                o["checkpoint"] = checkpoint.map { .string($0.description) } ?? .null
                o["findings"] = .array(
                    audit.findings.map { f in
                        [
                            "file": .string(f.file), "message": .string(f.message), "generation": .int(Int64(f.generation)),
                            "acknowledged_at": f.acknowledgedAt.map { .string($0.iso8601) } ?? .null,
                            "acknowledged_reason": f.acknowledgedReason.map { .string($0) } ?? .null,
                        ]
                    })
                o["removed_days"] = .array(
                    audit.tombstones.map { ["day": .string($0.day.description), "removed_by": .string($0.removedBy)] })
                object = .object(o)
            }
            print(object.jsonText)
        } else {
            printHuman(audit, keyring: keyring, journal: summary, journalPath: journal.path)
            if !audit.tombstones.isEmpty {
                print("removed days     \(audit.tombstones.map { "\($0.day) (\($0.removedBy))" }.joined(separator: ", "))")
            }
            if !audit.findings.isEmpty {
                print("findings         (the manifest's history; open ones fail verify until `acknowledge`)")
                for f in audit.findings {
                    let state = f.acknowledgedAt.map { "acknowledged \($0.iso8601): \(f.acknowledgedReason ?? "")" } ?? "OPEN"
                    print("  \(f.file): \(f.message) — \(state)")
                }
            }
            if let checkpoint {
                print("checkpoint       \(checkpoint)")
                print("                 keep it; `verify --checkpoint` fails unless the store's history extends it")
            }
        }
        if audit.hasErrors { throw ExitCode(1) }
    }

    private func printHuman(_ a: StoreAudit, keyring: Keyring, journal: OperationsJournal.Summary, journalPath: String) {
        print("\(store.isDatabaseStore ? "store          " : "data directory") \(store.storeDescription)")
        print("tenant           \(keyring.tenant)")
        print("keys directory   \((try? store.resolvedKeysDirectory) ?? "-") (protection: \(keyring.protection.rawValue))")
        print("records          \(a.records) in \(a.segments) segments, \(a.days.count) day file(s)")
        print("oldest / newest  \(a.oldest?.iso8601 ?? "-") / \(a.newest?.iso8601 ?? "-")")
        if let days = a.retentionDays, let horizon = a.retentionHorizon {
            let past = a.days.filter(\.pastRetention).count
            print("retention        \(days) days: data before \(horizon) should be gone (\(past) day file(s) past it\(past > 0 ? ": run cleanup" : ""))")
        }
        print("opt-outs         \(a.optOutUsers) user(s) (\(a.optOutEntries) registry entries)")
        print("derived files    \(a.blobs.isEmpty ? "-" : a.blobs.joined(separator: ", "))")
        if !a.undeclaredMetadataKeys.isEmpty {
            let names = a.undeclaredMetadataKeys.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value))" }
            print("undeclared keys  dropped by strict fields: \(names.joined(separator: ", "))")
        }
        print("keys")
        for e in keyring.entries {
            let use =
                e.purpose == .data
                ? "\(a.keyUsage.segments[e.id] ?? 0) segment(s)\((a.keyUsage.blobs[e.id] ?? []).isEmpty ? "" : ", " + (a.keyUsage.blobs[e.id] ?? []).joined(separator: ", "))"
                : "\(a.keyUsage.hashKeyDays[e.id] ?? 0) day(s), \(a.keyUsage.registryEntries[e.id] ?? 0) opt-out entries"
            print("  \(e.purpose.rawValue.padding(5)) \(e.id)  \(e.status.rawValue.padding(12))  \(use)")
        }
        for id in Set(a.keyUsage.segments.keys).subtracting(keyring.entries.map(\.id)).sorted() {
            print("  data  \(id)  NOT IN KEYRING  \(a.keyUsage.segments[id] ?? 0) segment(s)")
        }
        print("days")
        for d in a.days {
            let keys = d.dataKeys.sorted().map(\.description).joined(separator: ",")
            let size = d.bytes.map { "\($0) B" } ?? "-"
            print("  \(d.day)  \(d.verified ? "OK  " : "FAIL")  \(String(d.segments).leftPadding(5)) seg  \(String(d.records).leftPadding(8)) rec  \(size.leftPadding(12))  key \(keys)\(d.pastRetention ? "  PAST RETENTION" : "")")
            for e in d.errors { print("      error: \(e)") }
        }
        for p in a.problems { print("problem: \(p)") }
        print("verification     \(a.failingFiles.isEmpty && a.problems.isEmpty ? "all files intact" : "\(a.failingFiles.count) file(s) failing: \(a.failingFiles.joined(separator: ", "))")")
        let ops = journal.countByOperation.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        let total = journal.countByOperation.values.reduce(0, +)
        print("journal          \(journalPath): \(total) entr\(total == 1 ? "y" : "ies")\(total > 0 ? " (\(ops)); \(journal.failures) failed" : "")")
        if let first = journal.first, let last = journal.last {
            print("                 from \(first.at.iso8601) to \(last.at.iso8601)")
        }
        for e in journal.recent.suffix(5) { print("  \(e.at.iso8601)  \(e.operation)  \(e.outcome)  \(e.details)") }
    }

    private func jsonObject(_ a: StoreAudit, keyring: Keyring, journal: OperationsJournal.Summary, journalPath: String) -> JSONValue {
        func str(_ s: String?) -> JSONValue { s.map { .string($0) } ?? .null }
        let days: [JSONValue] = a.days.map { d in
            .object([
                "day": .string(d.day.description), "file": .string(d.file), "bytes": d.bytes.map { .int($0) } ?? .null,
                "segments": .int(Int64(d.segments)), "records": .int(Int64(d.records)),
                "data_keys": .array(d.dataKeys.sorted().map { .string($0.description) }),
                "verified": .bool(d.verified), "errors": .array(d.errors.map { .string($0) }),
                "past_retention": .bool(d.pastRetention),
            ])
        }
        let keys: [JSONValue] = keyring.entries.map { e in
            var o: [String: JSONValue] = [
                "id": .string(e.id.description), "purpose": .string(e.purpose.rawValue),
                "status": .string(e.status.rawValue), "created": .string(e.created.iso8601),
            ]
            if e.purpose == .data {
                o["segments"] = .int(Int64(a.keyUsage.segments[e.id] ?? 0))
                o["blobs"] = .array((a.keyUsage.blobs[e.id] ?? []).map { .string($0) })
            } else {
                o["days"] = .int(Int64(a.keyUsage.hashKeyDays[e.id] ?? 0))
                o["opt_out_entries"] = .int(Int64(a.keyUsage.registryEntries[e.id] ?? 0))
            }
            return .object(o)
        }
        var ops: [String: JSONValue] = [:]
        for (k, v) in journal.countByOperation { ops[k] = .int(Int64(v)) }
        return .object([
            "data_directory": .string(store.storeDescription), "tenant": .string(keyring.tenant.name),
            "keyring_protection": .string(keyring.protection.rawValue),
            "records": .int(Int64(a.records)), "segments": .int(Int64(a.segments)), "files": .int(Int64(a.days.count)),
            "oldest": str(a.oldest?.iso8601), "newest": str(a.newest?.iso8601),
            "retention_days": a.retentionDays.map { .int(Int64($0)) } ?? .null,
            "retention_horizon": str(a.retentionHorizon?.description),
            "opt_out_users": .int(Int64(a.optOutUsers)), "opt_out_entries": .int(Int64(a.optOutEntries)),
            "derived_files": .array(a.blobs.map { .string($0) }),
            "undeclared_metadata_keys": .object(a.undeclaredMetadataKeys.mapValues { .int(Int64($0)) }),
            "keys": .array(keys), "days": .array(days),
            "failing_files": .array(a.failingFiles.map { .string($0) }),
            "problems": .array(a.problems.map { .string($0) }),
            "journal": .object([
                "path": .string(journalPath), "entries": .int(Int64(journal.countByOperation.values.reduce(0, +))),
                "by_operation": .object(ops), "failures": .int(Int64(journal.failures)),
                "first": str(journal.first?.at.iso8601), "last": str(journal.last?.at.iso8601),
            ]),
        ])
    }
}
