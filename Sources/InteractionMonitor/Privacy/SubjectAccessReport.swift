/// Everything a store holds about one person — the answer to a data-subject access request, and the counterpart of
/// ``StoreAdministrator/forget(userID:now:)``. Built by ``StoreAdministrator/subjectAccess(userID:now:)``.
///
/// It holds only that person's data: their pseudonyms, their interactions as stored (already scrubbed), the profile
/// those interactions give, their opt-out state, and which files and data keys hold them. Nobody else's records are
/// read into it.
public struct SubjectAccessReport: Sendable {
    /// The person's pseudonym under each hash key the keyring holds (the active key first).
    public var userHashes: [(hashKeyID: KeyID, userHash: String)]
    /// Their interactions, decrypted, as stored (scrubbed), in storage order.
    public var interactions: [Interaction] = []
    /// Where those interactions are: each file (or partition) with its count and the data keys sealing them.
    public var holders: [Holder] = []
    /// The profile their interactions give (across hash-key epochs); `nil` when nothing is stored.
    public var profile: UserProfile?
    /// When they opted out, if they did.
    public var optedOutSince: Timestamp?
    /// Derived files (sealed blobs) that mention one of their pseudonyms.
    public var derivedFiles: [String] = []
    /// What the reader found while reading (damaged segments are reported, never delivered).
    public var storeReport = StoreReport()

    /// A file (or partition) holding some of the person's interactions.
    public struct Holder: Sendable, Hashable {
        /// The day file or partition name.
        public var file: String
        /// How many of the person's interactions it holds.
        public var interactions: Int
        /// The data keys sealing the segments that hold them.
        public var keyIDs: [KeyID]
    }

    /// The whole report as one JSON object: `user_hashes` (`hash_key_id`, `user_hash`), `opted_out`,
    /// `opted_out_since`, `interactions` (stored records), `files` (`file`, `interactions`, `key_ids`),
    /// `derived_files`, `profile`.
    public var json: JSONValue {
        .object([
            "user_hashes": .array(userHashes.map { .object(["hash_key_id": .string("\($0.hashKeyID)"), "user_hash": .string($0.userHash)]) }),
            "opted_out": .bool(optedOutSince != nil),
            "opted_out_since": optedOutSince.map { .string($0.iso8601) } ?? .null,
            "interactions": .array(interactions.map { (try? JSONValue(parsing: Array($0.jsonLine.utf8))) ?? .null }),
            "files": .array(holders.map { h in
                .object([
                    "file": .string(h.file), "interactions": .int(Int64(h.interactions)),
                    "key_ids": .array(h.keyIDs.map { .string("\($0)") }),
                ])
            }),
            "derived_files": .array(derivedFiles.map { .string($0) }),
            "profile": profile?.json ?? .null,
        ])
    }
}

extension StoreAdministrator {
    /// Everything stored about `userID`: one pass over the store, keeping only records whose `user_hash` is one of
    /// the person's pseudonyms (under any hash key held). The raw id is hashed here and never stored or printed.
    /// - Throws: when the store cannot be listed or the opt-out registry cannot be read.
    public func subjectAccess(userID: String, now: Timestamp = .now()) throws -> SubjectAccessReport {
        let hashes = self.hashes(of: userID)
        let targets = Set(hashes.map(\.1))
        var report = SubjectAccessReport(userHashes: hashes.map { (hashKeyID: $0.0, userHash: $0.1) })
        var perFile: [String: (count: Int, keys: Set<KeyID>)] = [:]
        var order: [String] = []
        let active = hashes.first?.1 ?? ""
        var profile = ProfileBuilder(only: active)
        report.storeReport = try DecryptingReader(store: store, keyring: keyring).readWithOrigin { interaction, origin in
            guard let hash = interaction.userHash, targets.contains(hash) else { return }
            report.interactions.append(interaction)
            if perFile[origin.file] == nil { order.append(origin.file) }
            perFile[origin.file, default: (0, [])].count += 1
            perFile[origin.file, default: (0, [])].keys.insert(origin.keyID)
            var asActive = interaction
            asActive.userHash = active
            profile.add(asActive)
        }
        report.holders = order.map { f in
            SubjectAccessReport.Holder(
                file: f, interactions: perFile[f]?.count ?? 0, keyIDs: (perFile[f]?.keys ?? []).sorted { "\($0)" < "\($1)" })
        }
        report.profile = report.interactions.isEmpty ? nil : profile.profiles(now: now).first
        let entries = try optOuts().filter { targets.contains($0.userHash) }
        report.optedOutSince = entries.map(\.since).min()
        for (name, blob) in DerivedFiles.names.sorted(by: { $0.key < $1.key }) {
            guard let text = try DerivedFiles.read(name, store: store, keyring: keyring) else { continue }
            if targets.contains(where: { text.contains($0) }) { report.derivedFiles.append(blob) }
        }
        if !entries.isEmpty { report.derivedFiles.append(OptOutRegistry.blobName) }
        return report
    }
}
