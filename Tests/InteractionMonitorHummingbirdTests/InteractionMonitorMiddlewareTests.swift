import Foundation
import Hummingbird
import HummingbirdTesting
import InteractionMonitor
import InteractionMonitorHummingbird
import InteractionMonitorTestKit
import Testing

/// An error without an HTTP status (Hummingbird answers 500).
private struct PlainError: Error, Equatable {
    let marker: Int
}

/// Catches what the inner chain throws, to check the middleware rethrows it unchanged, then rethrows it.
private struct ErrorSpy<Context: RequestContext>: RouterMiddleware {
    let seen: Box
    final class Box: @unchecked Sendable {
        private let lock = NSLock()
        private var _errors: [any Error] = []
        var errors: [any Error] { lock.withLock { _errors } }
        func append(_ error: any Error) { lock.withLock { _errors.append(error) } }
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do { return try await next(request, context) } catch {
            seen.append(error)
            throw error
        }
    }
}

/// The routes every test uses; `monitor == nil` builds the same app without the middleware.
private func makeRouter(
    monitor: InteractionMonitor?,
    spy: ErrorSpy<BasicRequestContext>.Box? = nil
) -> Router<BasicRequestContext> {
    let router = Router()
    if let spy { router.add(middleware: ErrorSpy(seen: spy)) }
    if let monitor {
        router.add(middleware: InteractionMonitorMiddleware(monitor: monitor) { request, _ in
            request.headers[values: .init("X-Test-User")!].first
        })
    }
    router.get("/users/:id") { _, context in "user \(try context.parameters.require("id"))" }
    router.get("/ok") { _, _ in "fine" }
    router.get("/redirect") { _, _ in Response.redirect(to: "/ok", type: .found) }
    router.post("/validate") { _, _ in Response(status: .unprocessableContent) }
    router.get("/broken") { _, _ in Response(status: .internalServerError) }
    router.get("/conflict") { _, _ -> String in throw HTTPError(.conflict, message: "already there") }
    router.get("/crash") { _, _ -> String in throw PlainError(marker: 7) }
    router.get("/slow") { _, _ -> String in
        // A handler that gives up on its deadline answers 504, which the middleware records as a timeout.
        try await Task.sleep(for: .milliseconds(30))
        throw HTTPError(.gatewayTimeout)
    }
    router.get("/expired") { _, _ in Response(status: .requestTimeout) }
    return router
}

private func makeApp(_ router: Router<BasicRequestContext>) -> some ApplicationProtocol {
    Application(router: router)
}

/// Runs `requests` through an app with the middleware and returns what the monitor stored.
private func recorded(
    _ requests: [(String, HTTPRequest.Method)],
    headers: HTTPFields = [:],
    spy: ErrorSpy<BasicRequestContext>.Box? = nil
) async throws -> [Interaction] {
    let monitor = try InteractionMonitor.testing(clock: TestClock())
    try await makeApp(makeRouter(monitor: monitor, spy: spy)).test(.router) { client in
        for (uri, method) in requests {
            try await client.execute(uri: uri, method: method, headers: headers) { _ in }
        }
    }
    try await monitor.flush()
    return try monitor.storedInteractions()
}

private func single(_ uri: String, _ method: HTTPRequest.Method = .get) async throws -> Interaction {
    let stored = try await recorded([(uri, method)])
    try #require(stored.count == 1)
    return stored[0]
}

@Suite("Hummingbird InteractionMonitorMiddleware")
struct InteractionMonitorMiddlewareTests {
    @Test("records the route pattern, never raw path values or the query")
    func routePatternNotRawValues() async throws {
        let interaction = try await single("/users/42?token=abc")
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

    @Test(
        "maps HTTP status codes to interaction statuses",
        arguments: [
            ("/ok", HTTPRequest.Method.get, "GET /ok", InteractionStatus.success, 200),
            ("/redirect", .get, "GET /redirect", .success, 302),
            ("/nothing/here/42?token=abc", .get, "GET <unmatched>", .failure, 404),
            ("/ok", .delete, "DELETE <unmatched>", .failure, 404),
            ("/validate", .post, "POST /validate", .failure, 422),
            ("/broken", .get, "GET /broken", .error, 500),
            ("/conflict", .get, "GET /conflict", .failure, 409),
            ("/crash", .get, "GET /crash", .error, 500),
            ("/slow", .get, "GET /slow", .timeout, 504),
            ("/expired", .get, "GET /expired", .timeout, 408),
        ]
    )
    func statusMapping(uri: String, method: HTTPRequest.Method, command: String, status: InteractionStatus, code: Int)
        async throws
    {
        let interaction = try await single(uri, method)
        #expect(interaction.command == command)
        #expect(interaction.status == status)
        #expect(interaction.metadata == ["http_status": .int(Int64(code))])
        var copy = interaction
        copy.durationMs = 0
        #expect(!copy.jsonLine.contains("nothing"))
        #expect(!copy.jsonLine.contains("token"))
    }

    @Test(
        "writes every kind of route parameter as :name",
        arguments: [
            ("/files/{name}.jpg", "/files/cat.jpg", "GET /files/:name.jpg"),
            ("/archive/{year}/{month}", "/archive/2026/11", "GET /archive/:year/:month"),
            ("/static/**", "/static/a/b.css", "GET /static/**"),
            ("/", "/", "GET /"),
        ]
    )
    func parameterSyntax(route: String, uri: String, command: String) async throws {
        let monitor = try InteractionMonitor.testing()
        let router = Router()
        router.add(middleware: InteractionMonitorMiddleware(monitor: monitor))
        router.get(RouterPath(route)) { _, _ in "ok" }
        try await Application(router: router).test(.router) { client in
            try await client.execute(uri: uri, method: .get) { #expect($0.status == .ok) }
        }
        try await monitor.flush()
        #expect(try monitor.storedInteractions().map(\.command) == [command])
    }

    @Test("an unmatched request with a non-standard method is recorded as OTHER")
    func unmatchedCustomMethod() async throws {
        let interaction = try await single("/whatever", HTTPRequest.Method("PURGE")!)
        #expect(interaction.command == "OTHER <unmatched>")
        #expect(interaction.status == .failure)
    }

    @Test("the user id is stored only as a keyed hash")
    func userIDHashed() async throws {
        let headers: HTTPFields = [.init("X-Test-User")!: "alice@example.com"]
        let stored = try await recorded([("/ok", .get), ("/users/7", .get)], headers: headers)
        try #require(stored.count == 2)
        let hash = try #require(stored[0].userHash)
        #expect(hash != "alice@example.com")
        #expect(!hash.contains("alice"))
        #expect(stored[1].userHash == hash)
        #expect(!stored[0].jsonLine.contains("alice"))
        let other = try await recorded([("/ok", .get)], headers: [.init("X-Test-User")!: "bob"])
        #expect(other.first?.userHash != hash)
    }

    @Test("duration is measured around the handler")
    func duration() async throws {
        let interaction = try await single("/slow")
        #expect(interaction.durationMs >= 30)
        // Only a sanity bound: the handler's 30 ms sleep resumes when a thread of the shared pool is free, and the
        // whole suite runs on two cores at once (blocking process and database tests included).
        #expect(interaction.durationMs < 120_000)
    }

    @Test("the handler's error reaches outer middleware unchanged")
    func rethrowsUnchanged() async throws {
        let spy = ErrorSpy<BasicRequestContext>.Box()
        let stored = try await recorded([("/crash", .get), ("/conflict", .get)], spy: spy)
        #expect(stored.count == 2)
        let errors = spy.errors
        try #require(errors.count == 2)
        #expect(errors[0] as? PlainError == PlainError(marker: 7))
        let http = try #require(errors[1] as? HTTPError)
        #expect(http.status == .conflict)
        #expect(http.body == "already there")
    }

    @Test(
        "responses are identical with and without the middleware",
        arguments: [
            ("/users/42?token=abc", HTTPRequest.Method.get), ("/ok", .get), ("/redirect", .get),
            ("/validate", .post), ("/broken", .get), ("/conflict", .get), ("/crash", .get), ("/missing", .get),
            ("/expired", .get),
        ]
    )
    func responseUnchanged(uri: String, method: HTTPRequest.Method) async throws {
        func response(monitor: InteractionMonitor?) async throws -> TestResponse {
            try await makeApp(makeRouter(monitor: monitor)).test(.router) { client in
                try await client.execute(uri: uri, method: method) { $0 }
            }
        }
        let monitor = try InteractionMonitor.testing()
        let with = try await response(monitor: monitor)
        let without = try await response(monitor: nil)
        #expect(with.status == without.status)
        #expect(with.headers == without.headers)
        #expect(with.body == without.body)
        try await monitor.flush()
        #expect(try monitor.storedInteractions().count == 1)
    }

    @Test("recording nothing when the monitor is disabled does not disturb requests")
    func disabledMonitor() async throws {
        let monitor = try InteractionMonitor.testing { $0.isEnabled = false }
        try await makeApp(makeRouter(monitor: monitor)).test(.router) { client in
            try await client.execute(uri: "/users/9", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "user 9")
            }
        }
        try await monitor.flush()
        #expect(try monitor.storedInteractions().isEmpty)
    }
}
