public import Hummingbird
public import InteractionMonitor
internal import InteractionMonitorHTTP

/// Hummingbird middleware that records one `api_request` interaction per request on an ``InteractionMonitor``.
///
/// ```swift
/// let monitor = try InteractionMonitor(configuration: .init())
/// monitor.start()
/// let router = Router()
/// router.add(middleware: InteractionMonitorMiddleware(monitor: monitor) { _, context in
///     context.parameters.get("id")
/// })
/// router.get("/users/:id") { _, context in … }
/// ```
///
/// Add it before the routes it should watch: Hummingbird applies router middleware only to routes added after
/// it. Added to the router, it also sees requests that match no route.
///
/// What is recorded, per request:
/// - `command`: the HTTP method and the route pattern Hummingbird matched (`context.endpointPath`) with every
///   parameter written as `:name` — `GET /users/:id` for `/users/42?token=abc`. Raw path values and query
///   strings are never recorded. A request that matched no route (Hummingbird's 404) is recorded as
///   `GET <unmatched>`; a non-standard method of an unmatched request becomes `OTHER`.
/// - `status`, from the HTTP status code: 408 (Request Timeout) and 504 (Gateway Timeout) → `.timeout`;
///   otherwise 1xx–3xx → `.success`, 4xx → `.failure`, 5xx → `.error`. The code is the returned response's
///   status or, when the handler throws, the thrown `HTTPResponseError`'s `status`; any other thrown error is
///   500 (Hummingbird's answer), so `.error`. Hummingbird enforces no handler timeout itself: a handler (or
///   middleware further in) that gives up on a deadline should answer, or throw, 408 or 504.
/// - `durationMs`: the time from entering this middleware until the rest of the chain returned a response or
///   threw, measured with `ContinuousClock`. Writing a streamed response body afterwards is not included.
/// - `userID`: what the `userID` closure returns (hashed by the monitor; never stored raw), or none.
/// - `metadata`: `["http_status": <code>]` only. Nothing from headers, bodies, the path or the query is kept.
///
/// The middleware never changes the request or the response, never throws an error of its own and rethrows
/// the handler's error unchanged. Recording is synchronous and cheap (see ``InteractionMonitor/record(_:command:status:durationMs:userID:sessionID:errorMessage:metadata:timestamp:)``).
public struct InteractionMonitorMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Returns the app's user id for a request, or `nil` for an anonymous one.
    ///
    /// Called once per request after the handler finished, with the request and the context this middleware
    /// received (route parameters are set; identities attached by middleware further in are not visible, so
    /// put authentication middleware before this one). It must not block.
    public typealias UserIDProvider = @Sendable (Request, Context) -> String?

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
    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            let code = (error as? any HTTPResponseError).map { Int($0.status.code) }
                ?? HTTPRequestRecording.internalServerError
            record(request, context, httpStatusCode: code, duration: start.duration(to: .now))
            throw error
        }
        record(request, context, httpStatusCode: Int(response.status.code), duration: start.duration(to: .now))
        return response
    }

    private func record(_ request: Request, _ context: Context, httpStatusCode: Int, duration: Duration) {
        HTTPRequestRecording.record(
            on: monitor,
            method: request.method.rawValue,
            routePattern: Self.routePattern(endpointPath: context.endpointPath),
            httpStatusCode: httpStatusCode,
            duration: duration,
            userID: userID?(request, context)
        )
    }

    /// The route pattern for Hummingbird's `endpointPath`, parameters as `:name` (`/users/{id}` → `/users/:id`,
    /// `/files/{name}.jpg` → `/files/:name.jpg`), or `nil` when no route matched (no endpoint path, or
    /// Hummingbird's `NotFound` marker, which unlike every route path does not start with `/`).
    ///
    /// This runs on every request: a path without parameters is returned as it is after one scan of its
    /// contiguous bytes; otherwise `{` becomes `:` and `}` is dropped in one pass.
    static func routePattern(endpointPath: String?) -> String? {
        guard let endpointPath else { return nil }
        let scan = endpointPath.utf8.withContiguousStorageIfAvailable { bytes -> (route: Bool, braces: Bool) in
            guard bytes.first == UInt8(ascii: "/") else { return (false, false) }
            for byte in bytes where byte == UInt8(ascii: "{") { return (true, true) }
            return (true, false)
        }
        let (route, braces) =
            scan ?? (endpointPath.utf8.first == UInt8(ascii: "/"), endpointPath.utf8.contains(UInt8(ascii: "{")))
        guard route else { return nil }
        guard braces else { return endpointPath }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(endpointPath.utf8.count)
        for byte in endpointPath.utf8 {
            switch byte {
            case UInt8(ascii: "{"): bytes.append(UInt8(ascii: ":"))
            case UInt8(ascii: "}"): continue
            default: bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
