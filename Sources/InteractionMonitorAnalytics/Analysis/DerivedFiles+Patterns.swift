import InteractionMonitor

extension DerivedFiles {
    /// Writes patterns (a JSON array) sealed as `patterns.enc`, readable with `decrypt --derived patterns`.
    package static func save(patterns: [InteractionPattern], store: any SegmentStore, keyring: Keyring) throws {
        try write(.array(patterns.map(\.json)), name: "patterns.enc", store: store, keyring: keyring)
    }
}
