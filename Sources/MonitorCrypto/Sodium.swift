internal import CSodium

/// One-time libsodium initialisation.
///
/// `sodium_init()` is thread-safe and idempotent, but we call it exactly once behind a `static let`
/// and remember the outcome so that every primitive can fail with a typed error instead of trapping.
package enum Sodium {
    private static let initResult: Int32 = sodium_init()

    /// Ensures libsodium is initialised.
    /// - Throws: ``SodiumError`` with code `.initialisationFailed` when `sodium_init()` reported failure.
    package static func ensureInitialised() throws {
        // sodium_init returns 0 on success, 1 when already initialised, -1 on failure.
        if initResult < 0 { throw SodiumError(.initialisationFailed) }
    }
}
