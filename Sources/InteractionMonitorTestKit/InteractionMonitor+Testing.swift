public import InteractionMonitor

extension InteractionMonitor {
    /// A monitor for tests: in-memory store, fixed test keyring, optional test clock. No disk, no key files, and
    /// no retention period (so records back-filled with fixed timestamps are kept; set `retentionDays` in
    /// `configure` to test it).
    ///
    /// ```swift
    /// let store = InMemorySegmentStore()
    /// let monitor = try InteractionMonitor.testing(store: store)
    /// monitor.record(.cliCommand, command: "build", status: .success, durationMs: 12)
    /// try await monitor.flush()
    /// let stored = try monitor.storedInteractions()
    /// ```
    public static func testing(
        store: InMemorySegmentStore = InMemorySegmentStore(),
        keyring: Keyring? = nil,
        clock: TestClock? = nil,
        configure: (inout Configuration) -> Void = { _ in }
    ) throws -> InteractionMonitor {
        var configuration = Configuration(dataDirectory: "memory", keysDirectory: "memory")
        if let clock { configuration.now = clock.now }
        configuration.retentionDays = nil
        configure(&configuration)
        return try InteractionMonitor(configuration: configuration, store: store, keyring: keyring ?? TestKeyring.make())
    }

    /// Everything stored so far, decrypted and verified (throws if verification found any error).
    public func storedInteractions() throws -> [Interaction] {
        var all: [Interaction] = []
        let report = try DecryptingReader(store: store, keyring: keyring).read { all.append($0) }
        if report.hasErrors {
            throw InteractionMonitorError(.dataCorrupted, report.issues.map(\.description).joined(separator: "; "))
        }
        return all
    }
}
