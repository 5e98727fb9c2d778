// A Hummingbird server recording every request with the interaction monitor.
//
//   INTERACTION_MONITOR_DATA_DIR=/tmp/im/data INTERACTION_MONITOR_KEYS_DIR=/tmp/im/keys \
//       swift run example-server --port 8080
//   curl http://127.0.0.1:8080/users/42
//
// EXAMPLE_NO_MONITOR=1 serves the same routes without the monitor (for overhead measurements).
import ExampleServerSupport
import Foundation
import Hummingbird
import InteractionMonitor

let options: ExampleServerOptions
do {
    options = try ExampleServerOptions.parse(
        arguments: Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment)
} catch {
    FileHandle.standardError.write(Data("example-server: \(error)\n".utf8))
    exit(64)
}

// Directories come from INTERACTION_MONITOR_DATA_DIR and INTERACTION_MONITOR_KEYS_DIR.
let monitor = options.monitorEnabled ? try InteractionMonitor(configuration: .init()) : nil
monitor?.start()
let app = ExampleServer.makeApplication(monitor: monitor, options: options)
do {
    try await app.runService()  // until SIGINT or SIGTERM
} catch {
    await monitor?.stop()
    throw error
}
await monitor?.stop()  // flushes what is still buffered
if let statistics = monitor?.statistics() {
    let reasons = statistics.dropped.map { "\($0.key.rawValue) \($0.value)" }.sorted().joined(separator: ", ")
    let summary = "recorded \(statistics.recorded), stored \(statistics.flushed), dropped \(statistics.totalDropped)"
    FileHandle.standardError.write(Data("example-server: \(summary)\(reasons.isEmpty ? "" : " (\(reasons))")\n".utf8))
}
