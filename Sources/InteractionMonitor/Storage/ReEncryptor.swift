internal import MonitorCrypto

/// Re-seals stored data under the keyring's active data key: every day file holding a segment under another key
/// (or under one given key) or written in segment format 1, then every blob (manifest, opt-out registry, derived
/// files). Every frame it writes is in the current format, naming the store.
///
/// Each day file is rewritten under its exclusive lock with the same crash-safe protocol as erasure (see
/// `SegmentRewriter`): a temporary file, the manifest accepting old and new states, `rename`, then the manifest
/// accepting only the new state. Writers appending to the day wait for the lock and continue on the new file. A
/// killed run leaves every file either wholly old or wholly new, so running again finishes the job: files already
/// under the active key are skipped. Plaintext is resealed segment by segment — records are not parsed, and at most
/// one segment is in memory.
package struct ReEncryptor: Sendable {
    /// Where the data is.
    package let store: any SegmentStore
    /// The keyring: its active data key seals; every key it holds opens.
    package let keyring: Keyring
    /// Only data sealed under this key is rewritten (`nil`: everything not under the active key).
    package let onlyKey: KeyID?

    /// Creates a re-encryptor.
    package init(store: any SegmentStore, keyring: Keyring, onlyKey: KeyID? = nil) {
        self.store = store
        self.keyring = keyring
        self.onlyKey = onlyKey
    }

    /// Progress, reported after every segment.
    package struct Progress: Sendable {
        /// Day files looked at so far and in total.
        package var filesDone = 0, filesTotal = 0
        /// Bytes of day files processed so far and in total (0 when the store cannot tell sizes).
        package var bytesDone: Int64 = 0, bytesTotal: Int64 = 0
        /// The file being processed.
        package var current = ""
    }

    /// What a run did.
    package struct Outcome: Sendable {
        /// Day files rewritten.
        package var filesRewritten = 0
        /// Day files that needed nothing.
        package var filesSkipped = 0
        /// Segments resealed.
        package var segmentsResealed = 0
        /// Bytes of the day files rewritten.
        package var bytesRewritten: Int64 = 0
        /// Blobs resealed.
        package var blobsResealed: [String] = []
        /// Files that could not be rewritten (damaged, or a key the keyring lacks), with the reason.
        package var failures: [String] = []
    }

    private func needsReseal(_ id: KeyID) -> Bool {
        id != keyring.activeDataKeyID && (onlyKey == nil || onlyKey == id)
    }

    /// Whether a frame is rewritten: under a key to replace, or (a full run) in the format before frames named
    /// their store.
    private func needsReseal(_ header: SegmentHeader) -> Bool {
        needsReseal(header.keyID) || (onlyKey == nil && header.version == SegmentHeader.version1)
    }

    /// Runs over every day and blob. Damaged files are reported in ``Outcome/failures`` and left unchanged.
    package func run(progress: (Progress) -> Void = { _ in }) throws -> Outcome {
        let days = try store.days()
        var p = Progress()
        p.filesTotal = days.count
        p.bytesTotal = days.reduce(0) { $0 + (store.byteCount(of: $1) ?? 0) }
        var outcome = Outcome()
        for day in days {
            let name = store.name(of: day)
            p.current = name
            let base = p.bytesDone
            do {
                let resealed = try reencrypt(day: day, name: name) { done in
                    p.bytesDone = base + done
                    progress(p)
                }
                if let resealed {
                    outcome.filesRewritten += 1
                    outcome.segmentsResealed += resealed
                    outcome.bytesRewritten += store.byteCount(of: day) ?? 0
                } else {
                    outcome.filesSkipped += 1
                }
            } catch let error as InteractionMonitorError where error.code == .dataCorrupted || error.code == .unknownKey {
                outcome.failures.append(error.message)
            }
            p.filesDone += 1
            p.bytesDone = base + (store.byteCount(of: day) ?? 0)
            progress(p)
        }
        for blob in try store.blobNames() {
            do {
                if try reencrypt(blob: blob) { outcome.blobsResealed.append(blob) }
            } catch let error as InteractionMonitorError where error.code == .dataCorrupted || error.code == .unknownKey {
                outcome.failures.append(error.message)
            }
        }
        return outcome
    }

    /// Reseals one day file; `nil` when it needed nothing.
    private func reencrypt(day: Day, name: String, progress: (Int64) -> Void) throws -> Int? {
        try store.withExclusiveAccess(to: day, create: false) { access -> Int? in
            var needed = false
            // Checked exactly as the reader checks: a file with any finding is refused, never re-sealed.
            let old = try SegmentRewriter.verified(access, day: day, name: name, store: store, keyring: keyring) { f, _ in
                if needsReseal(f.header) { needed = true }
            }
            guard needed else { return nil }
            let storeID = try StoreIdentity.forSealing(
                store: store, manifest: try StoreManifest.current(store: store, keyring: keyring), keyring: keyring,
                locked: [day])
            // Opened as the reader opens them (the store each frame names included), resealed naming this store.
            let opener = FrameOpener(
                keyring: keyring,
                storeID: StoreIdentity.expected(
                    store: store, manifest: try StoreManifest.current(store: store, keyring: keyring)))
            var end = SegmentPosition.start
            var count = 0
            var done: Int64 = 0
            try access.replace { emit in
                try access.scan { item in
                    guard case .frame(let f) = item else { return }
                    guard case .success(var plain) = opener.open(f) else {
                        throw InteractionMonitorError(
                            .dataCorrupted, "\(name) segment \(f.header.index) failed authentication; not re-encrypted (run verify)")
                    }
                    defer { secureZero(&plain) }
                    let sealed = try SegmentCodec.seal(
                        plain, kind: f.header.kind, day: day, position: end, keyring: keyring, storeID: storeID)
                    try emit(sealed.frame)
                    end = SegmentPosition(index: end.index + 1, previousTag: sealed.tag)
                    count += 1
                    done += Int64(f.encodedLength)
                    progress(done)
                }
            } beforeCommit: {
                try SegmentRewriter.accept(store: store, keyring: keyring, day: day, old: old, new: .init(end))
            }
            try SegmentRewriter.commit(store: store, keyring: keyring, day: day, state: .init(end))
            return count
        } ?? nil
    }

    /// Reseals one blob when it is under a key to replace; returns whether it did. Derived files are checked
    /// against the manifest first (a swapped or older copy is refused) and their new envelope recorded; the
    /// manifest itself is resealed as its next generation.
    private func reencrypt(blob name: String) throws -> Bool {
        guard name.hasSuffix(".enc"), let current = try store.readBlob(named: name) else { return false }
        guard let frame = try? FrameScanner(bytes: current).frame(at: 0), frame.encodedLength == current.count else {
            throw InteractionMonitorError(.dataCorrupted, "\(name) is damaged; not re-encrypted (run verify)")
        }
        guard needsReseal(frame.header) else { return false }
        guard keyring.dataKey(frame.header.keyID) != nil else {
            throw InteractionMonitorError(
                .unknownKey, "\(name) is sealed with key \(frame.header.keyID), which the keyring does not hold; not re-encrypted")
        }
        if name == StoreManifest.blobName {
            try StoreManifest.update(store: store, keyring: keyring, except: [], force: true) { _ in }
            return true
        }
        var changed = false
        try SealedBlob.update(store: store, name: name, keyring: keyring, what: name) { plain in
            changed = plain != nil
            return plain
        }
        return changed
    }
}
