/// Checks every derived file (opt-out registry, privacy ledger, profiles, patterns, undeclared-key counts)
/// against the manifest's record of it: present when recorded, the recorded generation, authentic.
enum DerivedFileCheck {
    static func issues(store: any SegmentStore, keyring: Keyring, manifest: StoreManifest) -> [StoreIssue] {
        var out: [StoreIssue] = []
        func report(_ file: String, _ message: String) {
            out.append(StoreIssue(severity: .error, file: file, segment: nil, offset: nil, message: message))
        }
        let present = Set(((try? store.blobNames()) ?? []).filter { $0.hasSuffix(".enc") && $0 != StoreManifest.blobName })
        for name in Set(manifest.blobs.keys).union(present).sorted() {
            do {
                let bytes = try store.readBlob(named: name)
                try SealedBlob.checkRecorded(bytes, name: name, manifest: manifest, what: name)
                if let bytes {
                    _ = try SealedBlob.open(
                        bytes, keyring: keyring, what: name, name: name,
                        storeID: StoreIdentity.expected(store: store, manifest: manifest))
                }
            } catch let e as InteractionMonitorError {
                report(name, e.message)
            } catch {
                report(name, "\(error)")
            }
        }
        return out
    }
}
