// An instrumented command-line tool: every run of every subcommand is recorded (command path, flag names,
// outcome, duration) and flushed before the process exits — also on SIGINT/SIGTERM.
import ArgumentParser
import Foundation
import InteractionMonitor
import InteractionMonitorArgumentParser

struct Tool: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "example-cli", abstract: "An example tool instrumented with InteractionMonitor.",
        subcommands: [Greet.self, Config.self, Work.self])
}

struct Greet: AsyncParsableCommand {
    @Option var name = "world"
    @Flag var loud = false
    func run() async throws { print(loud ? "HELLO, \(name.uppercased())!" : "hello, \(name)") }
}

struct Config: AsyncParsableCommand {
    static let configuration = CommandConfiguration(subcommands: [Set.self])

    struct Set: AsyncParsableCommand {
        @Argument var key: String
        @Argument var value: String
        func run() async throws {
            guard key != "fail" else { throw ValidationError("refusing key \(key)") }
            print("set \(key)")
        }
    }
}

/// Records `--steps` tracked steps (one per 100 ms), for the signal tests.
struct Work: AsyncParsableCommand {
    @Option var steps = 3
    func run() async throws {
        for i in 0..<steps {
            try await ExampleCLI.monitor?.track("work step") { try await Task.sleep(for: .milliseconds(100)) }
            print("step \(i)")
        }
    }
}

enum ExampleCLI {
    /// The monitor, configured from the environment (INTERACTION_MONITOR_DATA_DIR, …). If it cannot start (no
    /// usable keyring), the tool still works: recording is simply off.
    static let monitor: InteractionMonitor? = {
        do {
            return try InteractionMonitor(configuration: .init())
        } catch {
            FileHandle.standardError.write(Data("telemetry off: \(error)\n".utf8))
            var off = InteractionMonitor.Configuration()
            off.isEnabled = false
            return try? InteractionMonitor(configuration: off)
        }
    }()
}

if let monitor = ExampleCLI.monitor {
    await monitor.main(Tool.self, userID: ProcessInfo.processInfo.environment["EXAMPLE_USER"])
}
