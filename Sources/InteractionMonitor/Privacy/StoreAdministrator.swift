/// Operator actions on a store: opt-outs, erasure (right to be forgotten) and retention.
///
/// Raw user ids passed here are hashed at once and never stored, logged or put in an error.
///
/// ```swift
/// let admin = StoreAdministrator(store: FileSegmentStore(directory: dataDir), keyring: try Keyring.load(directory: keysDir))
/// let report = try admin.forget(userID: "alice")
/// print("removed \(report.removed) interactions from \(report.files.count) files")
/// ```
public struct StoreAdministrator: Sendable {
    /// The store acted on.
    public let store: any SegmentStore
    /// The keyring (hash keys for pseudonyms, data keys for re-sealing).
    public let keyring: Keyring

    /// An administrator for `store` with `keyring`.
    public init(store: any SegmentStore, keyring: Keyring) {
        self.store = store
        self.keyring = keyring
    }

    /// The user's hash under every hash key the keyring holds, active first.
    func hashes(of userID: String) -> [(KeyID, String)] {
        keyring.usableHashKeys.map { ($0.id, Pseudonymiser(key: $0.key).hash(userID)) }
    }

    /// The user's hash under the active hash key (the `user_hash` stored with new records).
    public func userHash(of userID: String) -> String { Pseudonymiser(key: keyring.activeHashKey).hash(userID) }

    /// Opts a user out. From the moment this returns, no new record of the user is written by any monitor on this
    /// store (running monitors re-check the registry at every flush).
    /// - Returns: `false` when the user was already opted out.
    @discardableResult
    public func optOut(userID: String, now: Timestamp = .now()) throws -> Bool {
        var added = false
        _ = try OptOutRegistry.update(store: store, keyring: keyring) { r in
            for (id, hash) in hashes(of: userID) where !r.contains(hashKeyID: id, userHash: hash) {
                r.insert(.init(hashKeyID: id, userHash: hash, since: now))
                added = true
            }
        }
        return added
    }

    /// Removes a user's opt-out. - Returns: `false` when the user was not opted out.
    @discardableResult
    public func optIn(userID: String) throws -> Bool {
        var removed = false
        _ = try OptOutRegistry.update(store: store, keyring: keyring) { r in
            for (id, hash) in hashes(of: userID) where r.remove(hashKeyID: id, userHash: hash) { removed = true }
        }
        return removed
    }

    /// The registry's entries (hashes and dates, never raw ids).
    public func optOuts() throws -> [OptOutRegistry.Entry] {
        try OptOutRegistry.load(store: store, keyring: keyring).entries
    }

    /// What ``forget(userID:now:)`` did.
    public struct ErasureReport: Sendable {
        /// The user's hash under the active hash key.
        public var userHash: String
        /// Interactions removed.
        public var removed = 0
        /// Files rewritten or removed, with how many interactions each lost.
        public var files: [(name: String, removed: Int)] = []
    }

    /// Erases every stored interaction of a user, from every day file, and opts the user out first (so nothing
    /// new arrives meanwhile). Each affected file is rewritten atomically: a crash leaves the old or the new file.
    /// - Throws: `.dataCorrupted` naming a file whose segments fail verification (that file is left unchanged;
    ///   the user stays opted out; re-run after repairing).
    public func forget(userID: String, now: Timestamp = .now()) throws -> ErasureReport {
        try optOut(userID: userID, now: now)
        let targets = Set(hashes(of: userID).map(\.1))
        var report = ErasureReport(userHash: userHash(of: userID))
        let rewriter = SegmentRewriter(store: store, keyring: keyring, purpose: "forget")
        var firstError: (any Error)? = nil
        for day in try store.days() {
            do {
                let outcome = try rewriter.rewrite(day: day) { i in i.userHash.map(targets.contains) ?? false }
                if outcome.removed > 0 {
                    report.removed += outcome.removed
                    report.files.append((store.name(of: day), outcome.removed))
                }
            } catch {
                if firstError == nil { firstError = error }
            }
        }
        if try DerivedFiles.removeProfile(userHashes: targets, store: store, keyring: keyring) {
            report.files.append(("user_profiles.enc", 1))
        }
        if let firstError { throw firstError }
        return report
    }

    /// What ``applyRetention(days:now:purpose:)`` did.
    public struct RetentionReport: Sendable {
        /// Interactions older than this were deleted.
        public var cutoff: Timestamp
        /// Whole day files removed.
        public var filesRemoved: [String] = []
        /// Interactions removed from the day that straddles the cut.
        public var removedFromCutDay = 0
    }

    /// The first instant a retention of `days` days keeps at `now`.
    static func retentionCutoff(days: Int, now: Timestamp) -> Timestamp {
        Timestamp(microsecondsSinceEpoch: now.microsecondsSinceEpoch - Int64(days) * 86_400_000_000)
    }

    /// Deletes interactions older than `days` days before `now`: whole day files before the cut, and the
    /// older records of the day the cut falls in (that file is rewritten atomically).
    /// `purpose` is recorded in the tombstones of removed days.
    public func applyRetention(days: Int, now: Timestamp = .now(), purpose: String = "retention") throws -> RetentionReport {
        guard days >= 1 else { throw InteractionMonitorError(.configuration, "retention must be at least 1 day") }
        let cutoff = Self.retentionCutoff(days: days, now: now)
        var report = RetentionReport(cutoff: cutoff)
        let rewriter = SegmentRewriter(store: store, keyring: keyring, purpose: purpose)
        for day in try store.days() where day <= cutoff.day {
            if day < cutoff.day {
                if try rewriter.removeDay(day) { report.filesRemoved.append(store.name(of: day)) }
            } else {
                let outcome = try rewriter.rewrite(day: day) { $0.timestamp < cutoff }
                report.removedFromCutDay += outcome.removed
                if outcome.fileRemoved { report.filesRemoved.append(store.name(of: day)) }
            }
        }
        if !report.filesRemoved.isEmpty || report.removedFromCutDay > 0 { try DerivedFiles.removeAll(store: store, keyring: keyring) }
        return report
    }
}
