/// Time a closure and record how it ended.
extension InteractionMonitor {
    /// Runs `body`, records one interaction named `command` with its duration and outcome, and returns or
    /// rethrows exactly what `body` did.
    ///
    /// A normal return is ``InteractionStatus/success``. A thrown error is recorded with `classify(error)` as the
    /// status (by default ``defaultInteractionStatus(for:)``: `failure`, or `timeout` for cancellation and
    /// timeouts) and its description as the error message — scrubbed of PII like every free-text field.
    ///
    /// ```swift
    /// let config = try monitor.track("config load", userID: user) { try loadConfig() }
    /// ```
    @discardableResult
    public func track<R>(
        _ command: String, type: InteractionType = .cliCommand, userID: String? = nil,
        metadata: [String: JSONValue] = [:], classify: (any Error) -> InteractionStatus = defaultInteractionStatus,
        _ body: () throws -> R
    ) rethrows -> R {
        let clock = ContinuousClock()
        let start = clock.now
        do {
            let result = try body()
            record(type, command: command, status: .success, durationMs: (clock.now - start).milliseconds, userID: userID, metadata: metadata)
            return result
        } catch {
            record(
                type, command: command, status: classify(error), durationMs: (clock.now - start).milliseconds,
                userID: userID, errorMessage: String(describing: error), metadata: metadata)
            throw error
        }
    }

    /// The `async` form of ``track(_:type:userID:metadata:classify:_:)-(_,_,_,_,_,()->R)``; a cancelled task
    /// (`CancellationError`) is recorded as ``InteractionStatus/timeout`` by default.
    @discardableResult
    public func track<R>(
        _ command: String, type: InteractionType = .cliCommand, userID: String? = nil,
        metadata: [String: JSONValue] = [:], classify: (any Error) -> InteractionStatus = defaultInteractionStatus,
        _ body: () async throws -> R
    ) async rethrows -> R {
        let clock = ContinuousClock()
        let start = clock.now
        do {
            let result = try await body()
            record(type, command: command, status: .success, durationMs: (clock.now - start).milliseconds, userID: userID, metadata: metadata)
            return result
        } catch {
            record(
                type, command: command, status: classify(error), durationMs: (clock.now - start).milliseconds,
                userID: userID, errorMessage: String(describing: error), metadata: metadata)
            throw error
        }
    }

    /// Records a finished CLI command.
    @discardableResult
    public func recordCLIInteraction(
        command: String, success: Bool, durationMs: Double, error: String? = nil, userID: String? = nil,
        metadata: [String: JSONValue] = [:]
    ) -> Timestamp {
        record(
            .cliCommand, command: command, status: success ? .success : .failure, durationMs: durationMs,
            userID: userID, errorMessage: error, metadata: metadata)
    }
}

extension Duration {
    /// The duration in milliseconds, as a `Double`.
    var milliseconds: Double {
        let c = components
        return Double(c.seconds) * 1000 + Double(c.attoseconds) / 1e15
    }
}
