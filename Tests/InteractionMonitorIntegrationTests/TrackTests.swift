import InteractionMonitor
import InteractionMonitorTestKit
import Testing

struct TrackTests {
    struct Boom: Error, CustomStringConvertible {
        var description: String { "boom for alice@example.com" }
    }
    struct Fault: InteractionStatusConvertible {
        var interactionStatus: InteractionStatus { .error }
    }
    struct RequestTimeout: Error {}

    @Test func trackReturnsWhatTheClosureReturnsAndRecordsSuccess() async throws {
        let monitor = try InteractionMonitor.testing()
        let value = monitor.track("sync op", userID: "alice") { 41 + 1 }
        #expect(value == 42)
        let text = try await monitor.track("async op") {
            try await Task.sleep(for: .milliseconds(20))
            return "done"
        }
        #expect(text == "done")
        try await monitor.flush()
        let stored = try monitor.storedInteractions()
        #expect(stored.map(\.command) == ["sync op", "async op"])
        #expect(stored.allSatisfy { $0.status == .success })
        #expect(stored[1].durationMs >= 20)
        #expect(stored[0].userHash != nil && stored[0].userHash != "alice")
    }

    @Test func thrownErrorsAreRethrownUnchangedAndClassified() async throws {
        let monitor = try InteractionMonitor.testing()
        #expect(throws: Boom.self) { try monitor.track("a") { throw Boom() } }
        #expect(throws: Fault.self) { try monitor.track("b") { throw Fault() } }
        #expect(throws: RequestTimeout.self) { try monitor.track("c") { throw RequestTimeout() } }
        await #expect(throws: CancellationError.self) {
            try await monitor.track("d") { () async throws -> Void in throw CancellationError() }
        }
        #expect(throws: Boom.self) {
            try monitor.track("e", classify: { _ in .error }) { throw Boom() }
        }
        try await monitor.flush()
        let stored = try monitor.storedInteractions()
        #expect(stored.map(\.status) == [.failure, .error, .timeout, .timeout, .error])
        // The error message is scrubbed like every free-text field.
        #expect(stored[0].errorMessage == "boom for [EMAIL]")
    }

    @Test func cliMiddlewareRecordsBeforeAfterPairsAndManualRecords() async throws {
        let monitor = try InteractionMonitor.testing()
        let middleware = CLIMonitoringMiddleware(monitor: monitor)
        middleware.beforeCommand("deploy", userID: "bob", metadata: ["env": "prod"])
        middleware.beforeCommand("deploy step")
        try await Task.sleep(for: .milliseconds(5))
        middleware.afterCommand(success: true)
        middleware.afterCommand(success: false, error: "failed at 10.0.0.1")
        #expect(middleware.afterCommand(success: true) == nil)
        monitor.recordCLIInteraction(command: "manual", success: true, durationMs: 12)
        try await monitor.flush()
        let stored = try monitor.storedInteractions()
        #expect(stored.map(\.command) == ["deploy step", "deploy", "manual"])
        #expect(stored[1].status == .failure && stored[1].errorMessage == "failed at [IPV4]")
        #expect(stored[1].metadata["env"] == "prod" && stored[1].durationMs >= 5)
        #expect(stored[2].durationMs == 12)
    }
}
