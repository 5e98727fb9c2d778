import Synchronization

/// Records a command's duration and outcome between two calls: call ``beforeCommand(_:userID:metadata:)`` when a command starts and
/// ``afterCommand(success:error:)`` when it ends; one interaction is recorded with the measured duration.
///
/// Safe to share between threads; commands may nest (each `afterCommand` closes the most recent
/// `beforeCommand`).
public final class CLIMonitoringMiddleware: Sendable {
    /// The monitor records go to.
    public let monitor: InteractionMonitor
    private let stack = Locked<[Pending]>([])

    private struct Pending: Sendable {
        var command: String
        var userID: String?
        var metadata: [String: JSONValue]
        var start: ContinuousClock.Instant
    }

    /// A middleware recording into `monitor`.
    public init(monitor: InteractionMonitor) { self.monitor = monitor }

    /// Marks the start of `command`.
    public func beforeCommand(_ command: String, userID: String? = nil, metadata: [String: JSONValue] = [:]) {
        let p = Pending(command: command, userID: userID, metadata: metadata, start: ContinuousClock.now)
        stack.withLock { $0.append(p) }
    }

    /// Marks the end of the most recently started command and records it. Without a matching
    /// ``beforeCommand(_:userID:metadata:)`` nothing is recorded and `nil` is returned.
    @discardableResult
    public func afterCommand(success: Bool, error: String? = nil) -> Timestamp? {
        guard let p = stack.withLock({ $0.popLast() }) else { return nil }
        return monitor.recordCLIInteraction(
            command: p.command, success: success, durationMs: (ContinuousClock.now - p.start).milliseconds,
            error: error, userID: p.userID, metadata: p.metadata)
    }
}
