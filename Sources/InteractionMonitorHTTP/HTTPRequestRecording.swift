package import InteractionMonitor

/// The rules both web-framework middlewares (Hummingbird, Vapor) follow when they turn one HTTP request into one
/// `api_request` interaction. Kept in one place so the two integrations cannot drift apart.
///
/// - `command`: `"<METHOD> <route pattern>"`, for example `GET /users/:id` — the pattern the framework matched,
///   never the raw path or query string. A request that matched no route is recorded as
///   `"<METHOD> <unmatched>"`, with a non-standard method replaced by `OTHER`.
/// - `status`: see ``status(forHTTPStatusCode:)``.
/// - `metadata`: only `["http_status": <code>]`.
package enum HTTPRequestRecording {
    /// The route placeholder recorded for a request that matched no route.
    package static let unmatchedRoute = "<unmatched>"

    /// The method recorded for an unmatched request whose method is not one of the standard ones.
    package static let otherMethod = "OTHER"

    /// The methods of RFC 9110 and RFC 5789; an unmatched request with any other method is recorded as `OTHER`
    /// (the method is client-chosen text when no route vouches for it).
    package static let standardMethods: Set<String> = [
        "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH",
    ]

    /// The status code recorded for a handler error that carries no HTTP status: 500, as both frameworks answer.
    package static let internalServerError = 500

    /// The interaction status for an HTTP status code:
    /// 408 (Request Timeout) and 504 (Gateway Timeout) → `.timeout`; otherwise below 400 (1xx, 2xx, 3xx) →
    /// `.success`; 400–499 → `.failure`; 500 and above → `.error`.
    package static func status(forHTTPStatusCode code: Int) -> InteractionStatus {
        switch code {
        case 408, 504: .timeout
        case ..<400: .success
        case 400..<500: .failure
        default: .error
        }
    }

    /// `"<METHOD> <routePattern>"`, or `"<METHOD> <unmatched>"` when `routePattern` is `nil`.
    package static func command(method: String, routePattern: String?) -> String {
        guard let routePattern else {
            let method = standardMethods.contains(method) ? method : otherMethod
            return joined(method, unmatchedRoute)
        }
        return joined(method, routePattern)
    }

    /// `method + " " + route`, its bytes copied once into the new string (this runs on every request).
    private static func joined(_ method: String, _ route: String) -> String {
        var (method, route) = (method, route)
        return method.withUTF8 { m in
            route.withUTF8 { r in
                String(unsafeUninitializedCapacity: m.count + 1 + r.count) { out in
                    let raw = UnsafeMutableRawBufferPointer(out)
                    raw.copyMemory(from: UnsafeRawBufferPointer(m))
                    raw[m.count] = UInt8(ascii: " ")
                    UnsafeMutableRawBufferPointer(rebasing: raw[(m.count + 1)...]).copyMemory(from: UnsafeRawBufferPointer(r))
                    return m.count + 1 + r.count
                }
            }
        }
    }

    /// The metadata recorded with every request: the numeric status code only.
    package static func metadata(httpStatusCode code: Int) -> [String: JSONValue] {
        // Made once per status code: each request then shares the dictionary instead of building one.
        guard (100..<600).contains(code) else { return ["http_status": .int(Int64(code))] }
        return metadataByCode[code - 100]
    }

    private static let metadataByCode: [[String: JSONValue]] = (100..<600).map { ["http_status": .int(Int64($0))] }

    /// Milliseconds in a `ContinuousClock` duration.
    package static func milliseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }

    /// Records one `api_request` interaction following the rules above.
    package static func record(
        on monitor: InteractionMonitor,
        method: String,
        routePattern: String?,
        httpStatusCode: Int,
        duration: Duration,
        userID: String?
    ) {
        monitor.record(
            .apiRequest,
            command: command(method: method, routePattern: routePattern),
            status: status(forHTTPStatusCode: httpStatusCode),
            durationMs: milliseconds(duration),
            userID: userID,
            metadata: metadata(httpStatusCode: httpStatusCode)
        )
    }
}
