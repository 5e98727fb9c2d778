/// Which keys the stored data uses: segments and bytes per data key, blobs (manifest, opt-out registry, derived
/// files) per data key, days per hash key (from the manifest) and opt-out entries per hash key.
///
/// Built by reading every frame header of every day file (``scan(store:keyring:)``); nothing is decrypted
/// except the manifest and the opt-out registry. `keys list` shows it and `keys retire` refuses a key it lists.
package struct KeyUsage: Sendable {
    /// Segments sealed under each data key.
    package var segments: [KeyID: Int] = [:]
    /// Bytes of those segments.
    package var bytes: [KeyID: Int64] = [:]
    /// Blob names sealed under each data key.
    package var blobs: [KeyID: [String]] = [:]
    /// Days whose pseudonyms were made under each hash key (per the manifest).
    package var hashKeyDays: [KeyID: Int] = [:]
    /// Days for which the manifest does not know the hash keys (written before format 2, or a rebuilt manifest).
    package var daysWithUnknownHashKeys: [Day] = []
    /// Opt-out registry entries per hash key.
    package var registryEntries: [KeyID: Int] = [:]
    /// Why hash-key usage is incomplete (the manifest or registry could not be read), if it is.
    package var problems: [String] = []

    /// Scans `store`.
    package static func scan(store: any SegmentStore, keyring: Keyring) throws -> KeyUsage {
        var usage = KeyUsage()
        for day in try store.days() {
            try store.scan(day: day) { item in
                guard case .frame(let f) = item else { return }
                usage.segments[f.header.keyID, default: 0] += 1
                usage.bytes[f.header.keyID, default: 0] += Int64(f.encodedLength)
            }
        }
        for name in try store.blobNames() {
            guard let bytes = try store.readBlob(named: name), let frame = try? FrameScanner(bytes: bytes).frame(at: 0)
            else { continue }
            usage.blobs[frame.header.keyID, default: []].append(name)
        }
        switch try StoreManifest.load(store: store, keyring: keyring) {
        case .absent:
            if !(try store.days().isEmpty) { usage.problems.append("no manifest: hash keys of stored days are unknown") }
            usage.daysWithUnknownHashKeys = try store.days()
        case .invalid(let why):
            usage.problems.append(why + ": hash keys of stored days are unknown")
            usage.daysWithUnknownHashKeys = try store.days()
        case .loaded(let manifest):
            for (day, entry) in manifest.entries.sorted(by: { $0.key < $1.key }) where entry.removedBy == nil {
                guard let keys = entry.hashKeys else {
                    usage.daysWithUnknownHashKeys.append(day)
                    continue
                }
                for k in keys { usage.hashKeyDays[k, default: 0] += 1 }
            }
        }
        do {
            let registry = try OptOutRegistry.load(store: store, keyring: keyring)
            for e in registry.entries { usage.registryEntries[e.hashKeyID, default: 0] += 1 }
        } catch let error as InteractionMonitorError {
            usage.problems.append("opt-out registry unreadable (\(error.message)): its hash keys are unknown")
        }
        return usage
    }

    /// The data keys the stored segments and blobs of `store` are sealed under, read from their headers alone (no
    /// keyring needed): what a keyring must hold to read the store.
    package static func sealingKeys(of store: any SegmentStore) throws -> Set<KeyID> {
        var ids = Set<KeyID>()
        for day in try store.days() {
            try? store.scan(day: day) { item in
                if case .frame(let f) = item { ids.insert(f.header.keyID) }
            }
        }
        for name in try store.blobNames() where name.hasSuffix(".enc") {
            if let bytes = try? store.readBlob(named: name), let frame = try? FrameScanner(bytes: bytes).frame(at: 0) {
                ids.insert(frame.header.keyID)
            }
        }
        return ids
    }

    /// Why key `id` of `purpose` is still needed; empty when it may be retired.
    package func reasons(keeping id: KeyID, purpose: KeyringEntry.Purpose) -> [String] {
        var out: [String] = []
        switch purpose {
        case .data:
            if let n = segments[id], n > 0 { out.append("\(n) segment\(n == 1 ? "" : "s") (run `reencrypt`)") }
            if let names = blobs[id], !names.isEmpty {
                out.append("\(names.joined(separator: ", ")) (run `reencrypt`)")
            }
        case .hash:
            if let n = hashKeyDays[id], n > 0 {
                out.append("pseudonyms in \(n) day file\(n == 1 ? "" : "s") (wait for retention, or `forget` the users)")
            }
            if !daysWithUnknownHashKeys.isEmpty {
                out.append("\(daysWithUnknownHashKeys.count) day file(s) whose hash keys are unknown")
            }
            if let n = registryEntries[id], n > 0 {
                out.append("\(n) opt-out registry entr\(n == 1 ? "y" : "ies")")
            }
            out += problems
        }
        return out
    }
}
