import ExampleServerSupport
import Hummingbird
import HummingbirdTesting
import InteractionMonitor
import InteractionMonitorTestKit
import Testing

@Suite("example-server")
struct ExampleServerTests {
    @Test("serves /hello and /users/:id and records both with route patterns and a hashed user")
    func routesRecorded() async throws {
        let monitor = try InteractionMonitor.testing()
        let app = ExampleServer.makeApplication(monitor: monitor, options: .init(port: 0))
        try await app.test(.router) { client in
            try await client.execute(uri: "/hello", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "Hello, world!")
            }
            try await client.execute(uri: "/users/42", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "User 42")
            }
            try await client.execute(uri: "/nope", method: .get) { #expect($0.status == .notFound) }
        }
        try await monitor.flush()
        let stored = try monitor.storedInteractions()
        #expect(stored.map(\.command) == ["GET /hello", "GET /users/:id", "GET <unmatched>"])
        #expect(stored.map(\.status) == [.success, .success, .failure])
        #expect(stored[0].userHash == nil)
        let hash = try #require(stored[1].userHash)
        #expect(hash != "42")
    }

    @Test("serves the same routes without a monitor")
    func withoutMonitor() async throws {
        let app = ExampleServer.makeApplication(monitor: nil, options: .init())
        try await app.test(.router) { client in
            try await client.execute(uri: "/hello", method: .get) { #expect($0.status == .ok) }
        }
    }

    @Test("reads --host, --port and EXAMPLE_NO_MONITOR")
    func options() throws {
        #expect(try ExampleServerOptions.parse(arguments: [], environment: [:]) == .init())
        #expect(
            try ExampleServerOptions.parse(
                arguments: ["--port", "9001", "--host", "0.0.0.0"], environment: ["EXAMPLE_NO_MONITOR": "1"])
                == .init(host: "0.0.0.0", port: 9001, monitorEnabled: false))
        #expect(throws: ExampleServerOptions.UsageError.self) {
            try ExampleServerOptions.parse(arguments: ["--port", "http"], environment: [:])
        }
        #expect(throws: ExampleServerOptions.UsageError.self) {
            try ExampleServerOptions.parse(arguments: ["--verbose"], environment: [:])
        }
    }
}
