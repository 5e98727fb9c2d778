public import InteractionMonitor
import Synchronization

/// A settable wall clock for ``InteractionMonitor/Configuration/now``.
///
/// ```swift
/// let clock = TestClock(start: Timestamp(iso8601: "2026-11-25T23:59:59Z")!)
/// var config = InteractionMonitor.Configuration(dataDirectory: "unused", keysDirectory: "unused")
/// config.now = clock.now
/// clock.advance(bySeconds: 2)  // now the next UTC day
/// ```
public final class TestClock: Sendable {
    private let current: Locked<Timestamp>

    /// A clock reading `start`.
    public init(start: Timestamp = Timestamp(microsecondsSinceEpoch: 1_764_000_000_000_000)) {
        current = Locked(start)
    }

    /// The current reading (pass `clock.now` as the configuration's `now`).
    @Sendable public func now() -> Timestamp { current.withLock { $0 } }

    /// Moves the clock by `seconds` (negative to jump backwards).
    public func advance(bySeconds seconds: Double) {
        current.withLock { $0.microsecondsSinceEpoch += Int64(seconds * 1_000_000) }
    }

    /// Sets the clock.
    public func set(_ timestamp: Timestamp) { current.withLock { $0 = timestamp } }
}
