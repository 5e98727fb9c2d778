import Foundation
import InteractionMonitor
import InteractionMonitorTestKit
import InteractionMonitorVapor
import Testing
import Vapor
import VaporTesting

/// An error without an HTTP status (Vapor answers 500).
private struct PlainError: Error, Equatable {
    let marker: Int
}

private struct Payload: Content {
    let name: String
}

/// Sees what the inner chain throws, to check the middleware rethrows it unchanged, then rethrows it.
private struct ErrorSpy: AsyncMiddleware {
    final class Box: @unchecked Sendable {
        private let lock = NSLock()
        private var _errors: [any Error] = []
        var errors: [any Error] { lock.withLock { _errors } }
        func append(_ error: any Error) { lock.withLock { _errors.append(error) } }
    }

    let seen: Box

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do { return try await next.respond(to: request) } catch {
            seen.append(error)
            throw error
        }
    }
}

/// The routes every test uses; `monitor == nil` configures the same app without the middleware.
private func configure(_ app: Application, monitor: InteractionMonitor?, spy: ErrorSpy.Box? = nil) {
    app.logger.logLevel = .critical  // the handlers' errors are expected
    if let spy { app.middleware.use(ErrorSpy(seen: spy)) }
    if let monitor {
        app.middleware.use(InteractionMonitorMiddleware(monitor: monitor) { req in
            req.headers.first(name: "X-Test-User")
        })
    }
    app.get("users", ":id") { req in "user \(try req.parameters.require("id"))" }
    app.get("ok") { _ in "fine" }
    app.get("redirect") { _ in Response(status: .found, headers: ["Location": "/ok"]) }
    app.post("validate") { _ in Response(status: .unprocessableEntity) }
    app.post("decode") { req in try req.content.decode(Payload.self).name }
    app.get("broken") { _ in Response(status: .internalServerError) }
    app.get("conflict") { _ -> String in throw Abort(.conflict, reason: "already there") }
    app.get("crash") { _ -> String in throw PlainError(marker: 7) }
    app.get("slow") { _ -> String in
        // A handler that gives up on its deadline answers 504, which the middleware records as a timeout.
        try await Task.sleep(for: .milliseconds(30))
        throw Abort(.gatewayTimeout)
    }
    app.get("expired") { _ in Response(status: .requestTimeout) }
    app.grouped("api", "v1").get("items", ":item", "**") { _ in "deep" }
}

/// Sends `requests` through an app with the middleware and returns what the monitor stored.
private func recorded(
    _ requests: [(HTTPMethod, String)],
    headers: HTTPHeaders = [:],
    body: String? = nil,
    spy: ErrorSpy.Box? = nil
) async throws -> [Interaction] {
    let monitor = try InteractionMonitor.testing(clock: TestClock())
    try await withApp(configure: { configure($0, monitor: monitor, spy: spy) }) { app in
        let tester = try app.testing()
        for (method, path) in requests {
            _ = try await tester.sendRequest(method, path, headers: headers, body: body.map { ByteBuffer(string: $0) })
        }
    }
    try await monitor.flush()
    return try monitor.storedInteractions()
}

private func single(_ method: HTTPMethod, _ path: String) async throws -> Interaction {
    let stored = try await recorded([(method, path)])
    try #require(stored.count == 1)
    return stored[0]
}

/// The body as text, with a JSON object's keys sorted.
private func canonical(_ body: ByteBuffer) -> String {
    let data = Data(body.readableBytesView)
    guard let object = try? JSONSerialization.jsonObject(with: data),
        let sorted = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    else { return String(decoding: data, as: UTF8.self) }
    return String(decoding: sorted, as: UTF8.self)
}

@Suite("Vapor InteractionMonitorMiddleware")
struct InteractionMonitorMiddlewareTests {
    @Test("records the route pattern, never raw path values or the query")
    func routePatternNotRawValues() async throws {
        let interaction = try await single(.GET, "/users/42?token=abc")
        #expect(interaction.command == "GET /users/:id")
        #expect(interaction.interactionType == .apiRequest)
        #expect(interaction.status == .success)
        #expect(interaction.metadata == ["http_status": 200])
        #expect(interaction.userHash == nil)
        #expect(interaction.errorMessage == nil)
        #expect(interaction.sessionID == nil)
        // The whole stored record (duration zeroed: its digits are not request data) mentions neither value.
        var copy = interaction
        copy.durationMs = 0
        #expect(!copy.jsonLine.contains("42"))
        #expect(!copy.jsonLine.contains("abc"))
    }

    @Test("records group prefixes and catch-all components as the pattern")
    func groupedCatchAll() async throws {
        let interaction = try await single(.GET, "/api/v1/items/9/a/b")
        #expect(interaction.command == "GET /api/v1/items/:item/**")
    }

    @Test(
        "maps HTTP status codes to interaction statuses",
        arguments: [
            (HTTPMethod.GET, "/ok", "GET /ok", InteractionStatus.success, 200),
            (.GET, "/redirect", "GET /redirect", .success, 302),
            (.GET, "/nothing/here/42?token=abc", "GET <unmatched>", .failure, 404),
            (.DELETE, "/ok", "DELETE <unmatched>", .failure, 404),
            (.RAW(value: "PURGE"), "/ok", "OTHER <unmatched>", .failure, 404),
            (.POST, "/validate", "POST /validate", .failure, 422),
            (.POST, "/decode", "POST /decode", .failure, 415),  // no content type
            (.GET, "/broken", "GET /broken", .error, 500),
            (.GET, "/conflict", "GET /conflict", .failure, 409),
            (.GET, "/crash", "GET /crash", .error, 500),
            (.GET, "/slow", "GET /slow", .timeout, 504),
            (.GET, "/expired", "GET /expired", .timeout, 408),
        ]
    )
    func statusMapping(method: HTTPMethod, path: String, command: String, status: InteractionStatus, code: Int)
        async throws
    {
        let interaction = try await single(method, path)
        #expect(interaction.command == command)
        #expect(interaction.status == status)
        #expect(interaction.metadata == ["http_status": .int(Int64(code))])
        var copy = interaction
        copy.durationMs = 0
        #expect(!copy.jsonLine.contains("nothing"))
        #expect(!copy.jsonLine.contains("token"))
    }

    @Test("a body Vapor cannot decode (DecodingError) is a 400 failure")
    func decodingError() async throws {
        let stored = try await recorded(
            [(.POST, "/decode")], headers: ["Content-Type": "application/json"], body: #"{"nom":"x"}"#)
        #expect(stored.map(\.command) == ["POST /decode"])
        #expect(stored.map(\.status) == [.failure])
        #expect(stored.map(\.metadata) == [["http_status": 400]])
    }

    @Test("nothing from the request body is recorded")
    func bodyNotRecorded() async throws {
        let stored = try await recorded(
            [(.POST, "/decode")], headers: ["Content-Type": "application/json"], body: #"{"name":"secret-body"}"#)
        try #require(stored.count == 1)
        #expect(stored[0].status == .success)
        #expect(!stored[0].jsonLine.contains("secret-body"))
    }

    @Test("the user id is stored only as a keyed hash")
    func userIDHashed() async throws {
        let stored = try await recorded([(.GET, "/ok"), (.GET, "/users/7")], headers: ["X-Test-User": "alice@example.com"])
        try #require(stored.count == 2)
        let hash = try #require(stored[0].userHash)
        #expect(hash != "alice@example.com")
        #expect(!hash.contains("alice"))
        #expect(stored[1].userHash == hash)
        #expect(!stored[0].jsonLine.contains("alice"))
        let other = try await recorded([(.GET, "/ok")], headers: ["X-Test-User": "bob"])
        #expect(other.first?.userHash != hash)
    }

    @Test("duration is measured around the handler")
    func duration() async throws {
        let interaction = try await single(.GET, "/slow")
        #expect(interaction.durationMs >= 30)
        #expect(interaction.durationMs < 10_000)
    }

    @Test("the handler's error reaches outer middleware unchanged")
    func rethrowsUnchanged() async throws {
        let spy = ErrorSpy.Box()
        let stored = try await recorded([(.GET, "/crash"), (.GET, "/conflict")], spy: spy)
        #expect(stored.count == 2)
        let errors = spy.errors
        try #require(errors.count == 2)
        #expect(errors[0] as? PlainError == PlainError(marker: 7))
        let abort = try #require(errors[1] as? Abort)
        #expect(abort.status == .conflict)
        #expect(abort.reason == "already there")
    }

    @Test(
        "responses are identical with and without the middleware",
        arguments: [
            (HTTPMethod.GET, "/users/42?token=abc"), (.GET, "/ok"), (.GET, "/redirect"), (.POST, "/validate"),
            (.POST, "/decode"), (.GET, "/broken"), (.GET, "/conflict"), (.GET, "/crash"), (.GET, "/missing"),
            (.GET, "/expired"),
        ]
    )
    func responseUnchanged(method: HTTPMethod, path: String) async throws {
        func response(monitor: InteractionMonitor?) async throws -> TestingHTTPResponse {
            try await withApp(configure: { configure($0, monitor: monitor) }) { app in
                try await app.testing().sendRequest(method, path)
            }
        }
        let monitor = try InteractionMonitor.testing()
        let with = try await response(monitor: monitor)
        let without = try await response(monitor: nil)
        #expect(with.status == without.status)
        #expect(with.headers == without.headers)
        // Vapor's error bodies are JSON whose key order varies between encodings: compare them as JSON.
        #expect(canonical(with.body) == canonical(without.body))
        try await monitor.flush()
        #expect(try monitor.storedInteractions().count == 1)
    }
}
