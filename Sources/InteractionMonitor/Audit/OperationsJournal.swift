#if canImport(Glibc)
import Glibc
#endif

/// The append-only operations journal: one Markdown list line per administrative operation (`keys init`,
/// `keys rotate`, `keys retire`, passphrase changes, `reencrypt`, `opt-out`, `opt-in`, `forget`, `cleanup`, …):
///
/// ```
/// - 2026-11-30T09:12:44.120000Z | keys rotate | ok | new_data_key=3f9a0c1d22e4b781 previous=0b1c2d3e4f506172
/// ```
///
/// Fields: time (UTC), operation, outcome (`ok`, or `failed: <message>`), details (counts, key ids, user hashes —
/// never raw user ids, key bytes or passphrases). Entries are appended with `O_APPEND` under an exclusive `flock`
/// and fsynced; the journal is never rewritten. Default path `~/research_logs/system_journal.md`;
/// `INTERACTION_MONITOR_JOURNAL` or `--journal` changes it.
package struct OperationsJournal: Sendable {
    /// The journal file.
    package let path: String
    /// The tenant the operations concern; a named one is added to every entry as `tenant=NAME`.
    package let tenant: Tenant
    /// The store the operations concern (its kind and location, e.g. `file:/var/lib/app/telemetry`), added to every
    /// entry as `store=…`; ``summary(recent:)`` then skips entries that name another store.
    package let store: String?

    /// A journal at `path` recording operations on `tenant`'s data in `store`.
    package init(path: String, tenant: Tenant = .default, store: String? = nil) {
        self.path = path
        self.tenant = tenant
        self.store = store.map { String($0.map { $0 == " " || $0 == "|" || $0.isNewline ? "_" : $0 }) }
    }

    /// `INTERACTION_MONITOR_JOURNAL`, else `~/research_logs/system_journal.md`.
    package static func defaultPath() -> String {
        InteractionMonitor.Configuration.environment("INTERACTION_MONITOR_JOURNAL")
            ?? InteractionMonitor.Configuration.home + "/research_logs/system_journal.md"
    }

    static let title = "# InteractionMonitor operations journal\n\nAppend-only. One line per administrative operation: time | operation | outcome | details. User hashes only; never raw ids or key material.\n\n"

    /// Appends one entry. Details are `key=value` pairs; `|` and line breaks in values are replaced.
    package func append(operation: String, outcome: String, details: KeyValuePairs<String, String> = [:], at: Timestamp = .now())
        throws
    {
        func clean(_ s: String) -> String {
            String(s.map { $0 == "|" || $0.isNewline ? " " : $0 })
        }
        var line = "- \(at.iso8601) | \(clean(operation)) | \(clean(outcome)) |"
        if !tenant.isDefault { line += " tenant=\(tenant.name)" }
        if let store { line += " store=\(store)" }
        for (k, v) in details { line += " \(clean(k))=\(clean(v))" }
        line += "\n"
        let dir = POSIX.parentDirectory(of: path)
        _ = try POSIX.makeDirectories(dir, code: .configuration)
        let fd = try POSIX.open(path, O_WRONLY | O_CREAT | O_APPEND, mode: 0o600, code: .configuration)
        defer { POSIX.close(fd) }
        try POSIX.lock(fd, exclusive: true, path: path)
        defer { POSIX.unlock(fd) }
        var bytes = Array(line.utf8)
        if try POSIX.fileSize(fd, path: path) == 0 { bytes = Array(Self.title.utf8) + bytes }
        do {
            try POSIX.writeAll(fd, bytes, path: path)
            try POSIX.fsync(fd, path: path)
        } catch let error as InteractionMonitorError {
            throw InteractionMonitorError(.configuration, "cannot append to the operations journal: \(error.message)")
        }
    }

    /// One parsed entry.
    package struct Entry: Sendable, Hashable {
        /// When.
        package var at: Timestamp
        /// What (`keys rotate`).
        package var operation: String
        /// `ok` or `failed: …`.
        package var outcome: String
        /// The details text.
        package var details: String

        /// The tenant the operation concerned: the leading `tenant=NAME` detail, else the default tenant.
        package var tenant: String {
            guard details.hasPrefix("tenant=") else { return Tenant.defaultName }
            return String(details.dropFirst(7).prefix { $0 != " " })
        }

        /// The store the operation concerned (its `store=` detail), `nil` for entries that name none.
        package var store: String? {
            for field in details.split(separator: " ") where field.hasPrefix("store=") {
                return String(field.dropFirst(6))
            }
            return nil
        }
    }

    /// What the journal holds, for `audit`.
    package struct Summary: Sendable {
        /// Entries per operation.
        package var countByOperation: [String: Int] = [:]
        /// Entries whose outcome is not `ok`.
        package var failures = 0
        /// Lines that are not entries (other than the title), e.g. hand edits.
        package var malformedLines = 0
        /// The first and last entry.
        package var first: Entry?, last: Entry?
        /// The last few entries, oldest first.
        package var recent: [Entry] = []
    }

    /// Reads the journal's entries for this journal's tenant (a missing journal is empty).
    package func summary(recent: Int = 10) throws -> Summary {
        var s = Summary()
        guard POSIX.exists(path) else { return s }
        let bytes = try POSIX.readFile(path, limit: 256 << 20, code: .configuration)
        for raw in bytes.split(separator: UInt8(ascii: "\n")) {
            let line = String(decoding: raw, as: UTF8.self)
            guard line.hasPrefix("- ") else {
                if !line.hasPrefix("#") && !line.hasPrefix("Append-only") && !line.isEmpty { s.malformedLines += 1 }
                continue
            }
            let f = line.dropFirst(2).split(separator: "|", maxSplits: 3, omittingEmptySubsequences: false)
                .map { $0.trimmingSpaces }
            guard f.count >= 3, let at = Timestamp(iso8601: f[0]) else {
                s.malformedLines += 1
                continue
            }
            let e = Entry(at: at, operation: f[1], outcome: f[2], details: f.count > 3 ? f[3] : "")
            guard e.tenant == tenant.name else { continue }
            // One journal may serve several stores: entries naming another store are not this store's history.
            if let mine = store, let theirs = e.store, theirs != mine { continue }
            s.countByOperation[e.operation, default: 0] += 1
            if e.outcome != "ok" { s.failures += 1 }
            if s.first == nil { s.first = e }
            s.last = e
            s.recent.append(e)
            if s.recent.count > recent { s.recent.removeFirst() }
        }
        return s
    }
}

extension Substring {
    fileprivate var trimmingSpaces: String {
        var s = self
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
