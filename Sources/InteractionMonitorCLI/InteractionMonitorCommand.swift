import ArgumentParser
import InteractionMonitor
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// The `interaction-monitor` command tree.
public struct InteractionMonitorCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "interaction-monitor",
        abstract: "Record, audit and analyse encrypted, pseudonymised interaction telemetry.",
        discussion: """
            Exit codes: 0 ok; 1 a data problem was found (damaged or tampered segments, bad input lines); \
            2 a configuration or key error.
            """,
        subcommands: [
            KeysCommand.self, IngestCommand.self, DecryptCommand.self, VerifyCommand.self, AcknowledgeCommand.self, StatsCommand.self,
            ScrubCommand.self, OptOutCommand.self, OptInCommand.self, OptOutsCommand.self, ForgetCommand.self, AccessCommand.self, PrivacyCommand.self, CleanupCommand.self,
            AnalyzeCommand.self, PatternsCommand.self, ProfileCommand.self, AnomaliesCommand.self, ReportCommand.self,
            AssignCommand.self, ExperimentCommand.self, SegmentsCommand.self, PredictCommand.self, WatchCommand.self,
            ReencryptCommand.self, AuditCommand.self, MigrateCommand.self, ExportCommand.self, BenchCommand.self, SelfTestCommand.self, DemoCommand.self,
        ] + serveCommand
    )

    public init() {}

    /// `serve`, when built with Hummingbird (not in IM_CORE_ONLY / IM_NO_POSTGRES builds).
    static var serveCommand: [any ParsableCommand.Type] {
        #if IM_SERVE
        [ServeCommand.self]
        #else
        []
        #endif
    }

    /// Parses `arguments` (default: the process's), runs the command and returns the exit code, printing errors as
    /// one line on stderr: 2 for configuration and key errors, 1 for data problems, ArgumentParser's own codes for
    /// usage errors.
    public static func run(arguments: [String]? = nil) async -> Int32 {
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            return 0
        } catch let error as InteractionMonitorError {
            printError("error: \(error.message)")
            return error.code.isConfigurationOrKey ? 2 : 1
        } catch let error as ExitCode {
            return error.rawValue
        } catch {
            let code = exitCode(for: error).rawValue
            let message = fullMessage(for: error)
            if !message.isEmpty {
                if code == 0 { print(message) } else { printError(message) }
            }
            return code
        }
    }

    /// Runs and exits the process with the mapped exit code.
    public static func runAndExit() async -> Never {
        MemoryTuning.apply()
        FileLogHandler.bootstrapOnce()
        let logger = Logger(label: "interaction-monitor-cli")
        let code = await run()
        // The command name only: arguments may hold user ids or paths.
        let known = Set(configuration.subcommands.map { $0.configuration.commandName ?? $0._commandName })
        let name = CommandLine.arguments.dropFirst().first.flatMap { known.contains($0) ? $0 : nil } ?? "(other)"
        // Help, version and usage errors did nothing worth a log line (and must not create the log's directory).
        let arguments = CommandLine.arguments.dropFirst()
        let onlyHelp = arguments.isEmpty || arguments.contains { ["--help", "-h", "--version", "help"].contains($0) }
        if !onlyHelp && code != 64 {
            logger.info("command finished", metadata: ["command": "\(name)", "exit_code": "\(code)"])
        }
        Glibc.exit(code)
    }
}
