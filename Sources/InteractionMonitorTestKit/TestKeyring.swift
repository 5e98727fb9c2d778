public import InteractionMonitor

/// Fixed keyrings for tests: the same seed always gives the same keys, so user hashes are stable across runs.
///
/// - Important: These keys are public knowledge. Never use them outside tests.
public enum TestKeyring {
    /// A keyring whose data and hash keys are derived from `seed`.
    public static func make(seed: UInt8 = 1, tenant: Tenant = .default) throws -> Keyring {
        try Keyring.deterministic(seed: seed, tenant: tenant)
    }
}
