#if IM_SERVE
import Hummingbird
import NIOCore

/// Bearer-token check for `serve`: `Authorization: Bearer <token>`, or the `im_token` cookie set after a first
/// visit with `?token=<token>` (HttpOnly, SameSite=Strict, then redirected to drop the token from the address bar).
/// Everything else is answered 401. Comparison takes time independent of where the strings differ.
struct DashboardAuth<Context: RequestContext>: RouterMiddleware {
    static var cookieName: String { "im_token" }
    let token: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let header = request.headers[.authorization], header.hasPrefix("Bearer "),
            Self.equal(String(header.dropFirst("Bearer ".count)), token)
        {
            return try await next(request, context)
        }
        if let cookie = request.cookies[Self.cookieName], Self.equal(cookie.value, token) {
            return try await next(request, context)
        }
        if let query = request.uri.queryParameters["token"], Self.equal(String(query), token) {
            var response = Response(status: .seeOther, headers: [.location: request.uri.path, .cacheControl: "no-store"])
            response.setCookie(Cookie(name: Self.cookieName, value: token, path: "/", httpOnly: true, sameSite: .strict))
            return response
        }
        return Response(
            status: .unauthorized,
            headers: [.wwwAuthenticate: "Bearer realm=\"interaction-monitor\"", .contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: "401 unauthorised: send Authorization: Bearer <token>, or open /?token=<token> once\n")))
    }

    /// Constant-time equality of the UTF-8 bytes (length differences still return early: the length is not secret).
    static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<x.count { diff |= x[i] ^ y[i] }
        return diff == 0
    }
}
#endif
