/// The example server's command line and environment: `[--host HOST] [--port PORT]`, and `EXAMPLE_NO_MONITOR=1`
/// to serve without the interaction monitor (to measure its overhead).
public struct ExampleServerOptions: Sendable, Equatable {
    /// The address to listen on (default `127.0.0.1`).
    public var host: String
    /// The port to listen on (default `8080`).
    public var port: Int
    /// Whether to create a monitor and record requests (default `true`; `EXAMPLE_NO_MONITOR=1` turns it off).
    public var monitorEnabled: Bool

    /// Options with explicit values.
    public init(host: String = "127.0.0.1", port: Int = 8080, monitorEnabled: Bool = true) {
        self.host = host
        self.port = port
        self.monitorEnabled = monitorEnabled
    }

    /// What went wrong while reading the command line.
    public struct UsageError: Error, CustomStringConvertible {
        /// The message to print.
        public let description: String
    }

    /// Reads options from the command line (without the program name) and the environment.
    /// - Throws: ``UsageError`` for an unknown argument, a missing value or a port outside 1–65535.
    public static func parse(arguments: [String], environment: [String: String]) throws -> ExampleServerOptions {
        var options = ExampleServerOptions()
        if let noMonitor = environment["EXAMPLE_NO_MONITOR"], ["1", "true", "yes"].contains(noMonitor.lowercased()) {
            options.monitorEnabled = false
        }
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            switch argument {
            case "--port":
                guard let value = rest.popFirst(), let port = Int(value), (1...65535).contains(port) else {
                    throw UsageError(description: "--port needs a port number from 1 to 65535")
                }
                options.port = port
            case "--host":
                guard let value = rest.popFirst() else { throw UsageError(description: "--host needs an address") }
                options.host = value
            default:
                throw UsageError(description: "unknown argument \(argument); usage: example-server [--host HOST] [--port PORT]")
            }
        }
        return options
    }
}
