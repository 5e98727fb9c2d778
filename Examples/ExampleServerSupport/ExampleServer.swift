public import Hummingbird
public import InteractionMonitor
import InteractionMonitorHummingbird

/// The example server's routes and application, shared by the `example-server` executable and its tests so the
/// example cannot rot.
public enum ExampleServer {
    /// The router: ``InteractionMonitorMiddleware`` first (when a monitor is given), then `GET /hello` and
    /// `GET /users/:id`. The `:id` route parameter doubles as the user id, which the monitor stores hashed.
    /// - Parameter monitor: The monitor to record on; `nil` serves the same routes without recording.
    public static func makeRouter(monitor: InteractionMonitor?) -> Router<BasicRequestContext> {
        let router = Router()
        if let monitor {
            router.add(middleware: InteractionMonitorMiddleware(monitor: monitor) { _, context in
                context.parameters.get("id")
            })
        }
        router.get("/hello") { _, _ in "Hello, world!" }
        router.get("/users/:id") { _, context in
            let id = try context.parameters.require("id")
            return "User \(id)"
        }
        return router
    }

    /// The application serving ``makeRouter(monitor:)`` on `host:port`.
    /// - Parameters:
    ///   - monitor: The monitor to record on, or `nil`.
    ///   - options: Where to listen.
    public static func makeApplication(
        monitor: InteractionMonitor?,
        options: ExampleServerOptions
    ) -> some ApplicationProtocol {
        Application(
            router: makeRouter(monitor: monitor),
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: "example-server")
        )
    }
}
