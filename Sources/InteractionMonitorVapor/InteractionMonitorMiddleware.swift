public import InteractionMonitor
internal import InteractionMonitorHTTP
public import Vapor

/// Vapor middleware that records one `api_request` interaction per request on an ``InteractionMonitor``.
///
/// ```swift
/// let monitor = try InteractionMonitor(configuration: .init())
/// monitor.start()
/// app.middleware.use(InteractionMonitorMiddleware(monitor: monitor) { req in
///     req.auth.get(User.self)?.id.map(String.init)
/// })
/// app.lifecycle.use(…)  // call `await monitor.stop()` on shutdown
/// ```
///
/// Registered with `app.middleware.use(_:)` it sees every request, including those that match no route, and it
/// sits inside Vapor's default `ErrorMiddleware`, so it sees handler errors as thrown errors. Registered on a
/// route group it sees that group's routes only.
///
/// What is recorded, per request:
/// - `command`: the HTTP method and the route pattern Vapor matched (`req.route?.path`, joined with `/`), with
///   parameters as `:name` — `GET /users/:id` for `/users/42?token=abc`; `*` and `**` stand for Vapor's
///   anything and catch-all components. Raw path values and query strings are never recorded. A request that
///   matched no route (Vapor's 404) is recorded as `GET <unmatched>`; a non-standard method of an unmatched
///   request becomes `OTHER`.
/// - `status`, from the HTTP status code: 408 (Request Timeout) and 504 (Gateway Timeout) → `.timeout`;
///   otherwise 1xx–3xx → `.success`, 4xx → `.failure`, 5xx → `.error`. The code is the returned response's
///   status or, when the handler throws, the thrown `AbortError`'s `status` (this includes Vapor's
///   `DecodingError` → 400 and `RouteNotFound` → 404); any other thrown error is 500 (what `ErrorMiddleware`
///   answers), so `.error`. Vapor enforces no handler timeout itself: a handler (or middleware further in)
///   that gives up on a deadline should answer, or throw `Abort(.requestTimeout)` / `Abort(.gatewayTimeout)`.
/// - `durationMs`: the time from entering this middleware until the rest of the chain returned a response or
///   threw, measured with `ContinuousClock`. Writing a streamed response body afterwards is not included.
/// - `userID`: what the `userID` closure returns (hashed by the monitor; never stored raw), or none.
/// - `metadata`: `["http_status": <code>]` only. Nothing from headers, bodies, the path or the query is kept.
///
/// The middleware never changes the request or the response, never throws an error of its own and rethrows
/// the handler's error unchanged. Recording is synchronous and cheap.
public struct InteractionMonitorMiddleware: AsyncMiddleware {
    /// Returns the app's user id for a request, or `nil` for an anonymous one.
    ///
    /// Called once per request after the handler finished, so identities that authenticators further in the
    /// chain stored in `req.auth` are visible. It must not block.
    public typealias UserIDProvider = @Sendable (Request) -> String?

    /// The monitor interactions are recorded on.
    public let monitor: InteractionMonitor
    /// Where the user id comes from, if anywhere.
    public let userID: UserIDProvider?

    /// Creates the middleware.
    /// - Parameters:
    ///   - monitor: The monitor to record on (start it yourself, and `await monitor.stop()` on shutdown).
    ///   - userID: Returns the app's user id for a request; `nil` (the default) records no user.
    public init(monitor: InteractionMonitor, userID: UserIDProvider? = nil) {
        self.monitor = monitor
        self.userID = userID
    }

    /// Passes the request on unchanged, records the outcome, and returns the response or rethrows the error.
    public func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let start = ContinuousClock.now
        let response: Response
        do {
            response = try await next.respond(to: request)
        } catch {
            let code = (error as? any AbortError).map { Int($0.status.code) }
                ?? HTTPRequestRecording.internalServerError
            record(request, httpStatusCode: code, duration: start.duration(to: .now))
            throw error
        }
        record(request, httpStatusCode: Int(response.status.code), duration: start.duration(to: .now))
        return response
    }

    private func record(_ request: Request, httpStatusCode: Int, duration: Duration) {
        HTTPRequestRecording.record(
            on: monitor,
            method: request.method.rawValue,
            routePattern: request.route.map { Self.routePattern($0.path) },
            httpStatusCode: httpStatusCode,
            duration: duration,
            userID: userID?(request)
        )
    }

    /// `/` followed by the route's path components joined with `/` (`:name` for parameters, empty constants
    /// dropped as Vapor's router drops them).
    static func routePattern(_ path: [PathComponent]) -> String {
        "/" + path.filter { $0 != .constant("") }.map(\.description).joined(separator: "/")
    }
}
