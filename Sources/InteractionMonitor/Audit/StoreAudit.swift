/// What a data directory holds, without any interaction's content: per day its file, size, segments, records,
/// keys and verification result; the keys in use; the oldest and newest record; the retention horizon; opt-outs.
/// `interaction-monitor audit` prints it.
package struct StoreAudit: Sendable {
    /// One day file.
    package struct DayAudit: Sendable {
        /// The day.
        package var day: Day
        /// Its file (or container) name.
        package var file: String
        /// Its size in bytes, when the store can tell.
        package var bytes: Int64?
        /// Segments in it.
        package var segments = 0
        /// Records read from it.
        package var records = 0
        /// Data keys its segments are sealed under.
        package var dataKeys: Set<KeyID> = []
        /// Whether it verified with no error.
        package var verified = true
        /// Its verification errors.
        package var errors: [String] = []
        /// Whether the whole day lies before the retention horizon (it should have been removed).
        package var pastRetention = false
    }

    /// Every day, ascending.
    package var days: [DayAudit] = []
    /// Key usage (segments per data key, days per hash key, registry entries).
    package var keyUsage: KeyUsage
    /// The keyring's keys (ids, purposes, statuses; never bytes).
    package var keys: [KeyringEntry]
    /// The oldest and newest record timestamps.
    package var oldest: Timestamp?, newest: Timestamp?
    /// Retention in days and the first day kept (`nil` when retention is off).
    package var retentionDays: Int?, retentionHorizon: Day?
    /// Opt-out registry entries, and users (entries under the hash key with the most entries).
    package var optOutEntries = 0, optOutUsers = 0
    /// Store-wide problems (manifest, blobs).
    package var problems: [String] = []
    /// Derived files present.
    package var blobs: [String] = []
    /// Strict fields: metadata entries dropped for an undeclared key, by key name (``UndeclaredKeyCounts``).
    package var undeclaredMetadataKeys: [String: Int] = [:]

    /// A finding a writer recorded in the manifest, and its acknowledgement when an operator gave one.
    package struct Finding: Sendable, Hashable {
        /// The file (or container) concerned.
        package var file: String
        /// What was wrong.
        package var message: String
        /// The manifest generation in which it was found.
        package var generation: UInt64
        /// When it was acknowledged and why (`nil` while it is open).
        package var acknowledgedAt: Timestamp?, acknowledgedReason: String?
    }

    /// Every finding in the manifest's history, open and acknowledged, oldest first.
    package var findings: [Finding] = []
    /// The manifest's generation (advanced by every write).
    package var manifestGeneration: UInt64?
    /// Days the manifest keeps as tombstones, with what removed them.
    package var tombstones: [(day: Day, removedBy: String)] = []

    /// Total records.
    package var records: Int { days.reduce(0) { $0 + $1.records } }
    /// Total segments.
    package var segments: Int { days.reduce(0) { $0 + $1.segments } }
    /// Files failing verification.
    package var failingFiles: [String] { days.filter { !$0.verified }.map(\.file) }
    /// Whether anything failed verification.
    package var hasErrors: Bool { !failingFiles.isEmpty || !problems.isEmpty }

    /// Audits `store`, decrypting every segment (to count and authenticate) but keeping no content.
    package static func run(store: any SegmentStore, keyring: Keyring, retentionDays: Int?, now: Timestamp = .now())
        throws -> StoreAudit
    {
        var audit = StoreAudit(keyUsage: try KeyUsage.scan(store: store, keyring: keyring), keys: keyring.entries)
        audit.retentionDays = retentionDays
        if let retentionDays {
            audit.retentionHorizon = Day(daysSinceEpoch: now.day.daysSinceEpoch - Int32(retentionDays))
        }
        let reader = DecryptingReader(store: store, keyring: keyring)
        for day in try store.days() {
            var d = DayAudit(day: day, file: store.name(of: day), bytes: store.byteCount(of: day))
            try store.scan(day: day) { item in
                if case .frame(let f) = item, f.header.kind == .interactions {
                    d.segments += 1
                    d.dataKeys.insert(f.header.keyID)
                }
            }
            let report = try reader.read(from: day, to: day) { i in
                d.records += 1
                if audit.oldest.map({ i.timestamp < $0 }) ?? true { audit.oldest = i.timestamp }
                if audit.newest.map({ i.timestamp > $0 }) ?? true { audit.newest = i.timestamp }
            }
            for issue in report.issues where issue.severity == .error {
                if issue.file == d.file {
                    d.verified = false
                    d.errors.append(issue.message)
                } else if !audit.problems.contains(issue.description) {
                    audit.problems.append(issue.description)
                }
            }
            if let horizon = audit.retentionHorizon, day < horizon { d.pastRetention = true }
            audit.days.append(d)
        }
        // Issues that name a file whose day no longer exists (a deleted day file still in the manifest).
        let full = try reader.verify()
        for issue in full.issues where issue.severity == .error && !audit.days.contains(where: { $0.file == issue.file }) {
            if !audit.problems.contains(issue.description) { audit.problems.append(issue.description) }
        }
        audit.optOutEntries = audit.keyUsage.registryEntries.values.reduce(0, +)
        audit.optOutUsers = audit.keyUsage.registryEntries.values.max() ?? 0
        audit.blobs = try store.blobNames()
        if let manifest = try StoreManifest.current(store: store, keyring: keyring) {
            audit.manifestGeneration = manifest.generation
            audit.findings = manifest.findings.map {
                Finding(
                    file: $0.file, message: $0.message, generation: $0.generation, acknowledgedAt: $0.acknowledged?.at,
                    acknowledgedReason: $0.acknowledged?.reason)
            }
            audit.tombstones = manifest.entries.compactMap { day, e in e.removedBy.map { (day, $0) } }.sorted { $0.day < $1.day }
        }
        do {
            audit.undeclaredMetadataKeys = try UndeclaredKeyCounts.read(store: store, keyring: keyring)
        } catch {
            audit.problems.append((error as? InteractionMonitorError)?.message ?? "\(error)")
        }
        return audit
    }
}
