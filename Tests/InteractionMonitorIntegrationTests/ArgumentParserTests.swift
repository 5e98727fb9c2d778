import ArgumentParser
import InteractionMonitor
import InteractionMonitorTestKit
import Testing

@testable import InteractionMonitorArgumentParser

struct Tool: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tool", subcommands: [Config.self, Crash.self])

    struct Config: AsyncParsableCommand {
        static let configuration = CommandConfiguration(subcommands: [Set.self])
        struct Set: AsyncParsableCommand {
            @Flag var verbose = false
            @Option var token: String?
            @Option(name: .shortAndLong) var level = 1
            @Argument var key: String
            @Argument var value: String
            func run() async throws {}
        }
    }

    struct Crash: ParsableCommand {
        func run() throws { throw ExitCode(3) }
    }
}

struct ArgumentParserTests {
    @Test func everyRunIsRecordedWithItsCommandPathAndFlagNamesButNoValues() async throws {
        let monitor = try InteractionMonitor.testing()
        let code = await monitor.runCommand(
            Tool.self, arguments: ["config", "set", "--verbose", "--token=s3cr3t-value", "-l", "5", "db.host", "alice@example.com"],
            userID: "carol")
        #expect(code == 0)
        #expect(await monitor.runCommand(Tool.self, arguments: ["crash"]) == 3)
        // A usage error (missing arguments) is recorded without ArgumentParser's message, which may quote values.
        #expect(await monitor.runCommand(Tool.self, arguments: ["config", "set", "--token", "leaky"]) == 64)
        // Help is not an interaction.
        #expect(await monitor.runCommand(Tool.self, arguments: ["--help"]) == 0)
        try await monitor.flush()
        let stored = try monitor.storedInteractions()
        #expect(stored.map(\.command) == ["tool config set", "tool crash", "tool config set"])
        #expect(stored.map(\.status) == [.success, .failure, .failure])
        #expect(stored[0].metadata["flags"] == ["--verbose", "--token", "-l"])
        #expect(stored[1].metadata["exit_code"] == 3)
        #expect(stored[2].errorMessage == "usage error")
        let everything = stored.map { "\($0)" }.joined()
        for secret in ["s3cr3t", "db.host", "alice", "leaky", "carol", "5\""] { #expect(!everything.contains(secret), "\(secret)") }
    }

    @Test func optionNamesIgnoreValuesNegativeNumbersAndEverythingAfterDoubleDash() {
        #expect(InteractionMonitor.optionNames(in: ["-v", "--x=1", "-5", "-.5", "--", "--after", "plain", "-"]) == ["-v", "--x"])
        #expect(InteractionMonitor.optionNames(in: ["--weird=$(rm -rf)", "--a", "--a"]) == ["--weird", "--a"])
        #expect(InteractionMonitor.optionNames(in: ["-a/b/c"]).isEmpty)
    }
}
