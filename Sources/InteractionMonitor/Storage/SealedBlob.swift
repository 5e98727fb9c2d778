/// A whole small file sealed as one envelope of kind `derived` (registries, profiles, patterns), in the segment
/// format: header (AAD) ‖ ciphertext ‖ tag ‖ trailer, index 0, day 0. The header names the store, and the
/// additional data binds the file's name, so an envelope copied to another name or from another store sharing the
/// keyring fails to open.
package enum SealedBlob {
    static func seal(_ plaintext: [UInt8], keyring: Keyring, storeID: [UInt8], name: String) throws -> [UInt8] {
        try SegmentCodec.seal(
            plaintext, kind: .derived, day: Day(daysSinceEpoch: 0), position: .start, keyring: keyring,
            storeID: storeID, name: name
        ).frame
    }

    /// Opens the envelope stored as `name`; `storeID` is the id it must name (`nil`: not checked).
    static func open(
        _ bytes: [UInt8], keyring: Keyring, what: String, name: String, storeID: [UInt8]?
    ) throws -> [UInt8] {
        guard let frame = try? FrameScanner(bytes: bytes).frame(at: 0), frame.encodedLength == bytes.count,
            frame.header.kind == .derived, frame.header.index == 0, frame.header.day.daysSinceEpoch == 0
        else { throw InteractionMonitorError(.dataCorrupted, "\(what) is damaged") }
        switch FrameOpener(keyring: keyring, storeID: storeID).open(frame, name: name) {
        case .success(let plain): return plain
        case .failure(.foreignStore(let foreign)):
            throw InteractionMonitorError(.dataCorrupted, "\(what) was \(foreign); not trusted")
        case .failure(.unknownKey(let id)):
            throw InteractionMonitorError(.unknownKey, "\(what) is sealed with key \(id), which the keyring does not hold")
        case .failure(.authentication):
            if let other = sealedName(frame, keyring: keyring, other: name) {
                throw InteractionMonitorError(
                    .dataCorrupted, "\(what) is a copy of \(other) (sealed under that name); not trusted")
            }
            throw InteractionMonitorError(.dataCorrupted, "\(what) failed authentication (tampered)")
        }
    }

    /// The derived files a store holds, by name (the privacy ledger's is the analytics library's
    /// `PrivacyLedger.blobName`).
    static let knownNames =
        [OptOutRegistry.blobName, "privacy_ledger.enc", UndeclaredKeyCounts.blobName]
        + DerivedFiles.names.values.sorted()

    /// The known derived file's name `frame` opens under, when it is not `other` (a file copied over another).
    private static func sealedName(_ frame: StoredFrame, keyring: Keyring, other: String) -> String? {
        guard frame.header.version != SegmentHeader.version1 else { return nil }
        return knownNames.first { n in
            guard n != other, case .success = FrameOpener(keyring: keyring, storeID: nil).open(frame, name: n) else {
                return false
            }
            return true
        }
    }
}

extension SealedBlob {
    /// The tag that ends a sealed envelope (what the manifest records for it).
    static func tag(of sealed: [UInt8]) -> [UInt8]? {
        guard let frame = try? FrameScanner(bytes: sealed).frame(at: 0), frame.encodedLength == sealed.count else {
            return nil
        }
        return frame.tag
    }

    /// Checks the envelope stored as `name` (`nil`: absent) against the manifest's record of it: a derived file
    /// that is missing, older, or another file's copy is refused.
    static func checkRecorded(_ bytes: [UInt8]?, name: String, manifest: StoreManifest?, what: String) throws {
        guard let manifest, manifest.format >= 3 else { return }
        guard let record = manifest.blobs[name] else {
            guard bytes == nil || !manifest.tracksBlobs else {
                throw InteractionMonitorError(
                    .dataCorrupted, "\(what) is not recorded in the manifest (a file from elsewhere); not trusted")
            }
            return
        }
        guard let bytes else {
            if record.removed { return }
            throw InteractionMonitorError(
                .dataCorrupted, "\(what) is missing: the manifest records generation \(record.generation); not trusted")
        }
        let tag = tag(of: bytes)
        guard let tag, (!record.removed && tag == record.tag) || tag == record.pendingTag else {
            throw InteractionMonitorError(
                .dataCorrupted,
                "\(what) is not the generation the manifest records (generation \(record.generation)): an older or swapped copy; not trusted")
        }
    }

    /// The plaintext of the derived file `name`, checked against the manifest; `nil` when absent.
    package static func read(store: any SegmentStore, name: String, keyring: Keyring, what: String) throws -> [UInt8]? {
        let bytes = try store.readBlob(named: name)
        let manifest = try StoreManifest.current(store: store, keyring: keyring)
        try checkRecorded(bytes, name: name, manifest: manifest, what: what)
        let storeID = StoreIdentity.expected(store: store, manifest: manifest)
        return try bytes.map { try open($0, keyring: keyring, what: what, name: name, storeID: storeID) }
    }

    /// Replaces the derived file `name` under its lock: `transform` gets the current plaintext (`nil`: absent) and
    /// returns the new one (`nil`: unchanged); `trustingCurrent` replaces the file without reading it (files
    /// rebuilt from the data). The manifest records the new envelope's tag before it replaces the
    /// old one and confirms it after, advancing the file's generation.
    package static func update(
        store: any SegmentStore, name: String, keyring: Keyring, what: String, trustingCurrent: Bool = false,
        _ transform: ([UInt8]?) throws -> [UInt8]?
    ) throws {
        var written: [UInt8]? = nil
        try store.updateBlob(named: name) { current in
            var plain: [UInt8]? = nil
            let manifest = try StoreManifest.current(store: store, keyring: keyring)
            if !trustingCurrent {
                try checkRecorded(current, name: name, manifest: manifest, what: what)
                let expected = StoreIdentity.expected(store: store, manifest: manifest)
                plain = try current.map { try open($0, keyring: keyring, what: what, name: name, storeID: expected) }
            }
            guard let new = try transform(plain) else { return nil }
            let storeID = try StoreIdentity.forSealing(store: store, manifest: manifest, keyring: keyring, locked: [])
            let sealed = try seal(new, keyring: keyring, storeID: storeID, name: name)
            let tag = tag(of: sealed) ?? []
            try StoreManifest.update(store: store, keyring: keyring, except: []) { m in
                var record = m.blobs[name] ?? .init(generation: 0, tag: SegmentCodec.zeroTag, removed: true)
                record.pendingTag = tag
                m.blobs[name] = record
                m.tracksBlobs = true
            }
            written = tag
            return sealed
        }
        guard let tag = written else { return }
        try StoreManifest.update(store: store, keyring: keyring, except: []) { m in
            guard var record = m.blobs[name], record.pendingTag == tag else { return }
            record = .init(generation: record.generation + 1, tag: tag)
            m.blobs[name] = record
        }
    }

    /// Removes the derived file `name` on purpose; the manifest remembers that it was removed.
    static func remove(store: any SegmentStore, name: String, keyring: Keyring) throws {
        guard let bytes = try store.readBlob(named: name) else { return }
        try StoreManifest.update(store: store, keyring: keyring, except: []) { m in
            let g = m.blobs[name]?.generation ?? 0
            // The envelope still present until the removal below is accepted in the meantime (a crash between).
            m.blobs[name] = .init(generation: g + 1, tag: SegmentCodec.zeroTag, pendingTag: tag(of: bytes), removed: true)
            m.tracksBlobs = true
        }
        try store.removeBlob(named: name)
    }
}
