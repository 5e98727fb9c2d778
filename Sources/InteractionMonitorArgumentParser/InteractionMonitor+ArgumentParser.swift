public import ArgumentParser
public import InteractionMonitor

#if canImport(Glibc)
import Glibc
#endif

extension InteractionMonitor {
    /// Parses `arguments` for the command tree `root`, runs the chosen command and records one `cli_command`
    /// interaction: the command path (`tool config set`), the outcome and the duration, with the *names* of the
    /// options and flags used in `metadata["flags"]` — never their values, never positional arguments.
    ///
    /// Errors print as ArgumentParser prints them. Help and version requests are not recorded; usage errors are
    /// recorded as `failure` with the message `usage error` (ArgumentParser's message may quote the values).
    /// - Returns: the exit code ArgumentParser would use.
    public func runCommand<Root: ParsableCommand>(
        _ root: Root.Type, arguments: [String]? = nil, userID: String? = nil,
        classify: (any Error) -> InteractionStatus = defaultInteractionStatus
    ) async -> Int32 {
        let args = arguments ?? Array(CommandLine.arguments.dropFirst())
        let flags: JSONValue = .array(Self.optionNames(in: args).map { .string($0) })
        let clock = ContinuousClock()
        let start = clock.now
        var command: any ParsableCommand
        do {
            command = try Root.parseAsRoot(args)
        } catch {
            let code = Root.exitCode(for: error)
            if code != .success {
                record(
                    .cliCommand, command: Self.path(of: nil, in: Root.self, arguments: args), status: .failure,
                    durationMs: Self.ms(clock.now - start), userID: userID, errorMessage: "usage error",
                    metadata: ["flags": flags, "exit_code": .int(Int64(code.rawValue))])
            }
            Self.printMessage(Root.fullMessage(for: error), code: code)
            return code.rawValue
        }
        // Types outside the tree (ArgumentParser's own help command) are run but not recorded.
        let path = Self.path(of: type(of: command), in: Root.self, arguments: args)
        guard Self.contains(type(of: command), in: Root.self) else {
            do {
                if var asyncCommand = command as? any AsyncParsableCommand { try await asyncCommand.run() } else { try command.run() }
                return 0
            } catch {
                Self.printMessage(Root.fullMessage(for: error), code: Root.exitCode(for: error))
                return Root.exitCode(for: error).rawValue
            }
        }
        do {
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            record(.cliCommand, command: path, status: .success, durationMs: Self.ms(clock.now - start), userID: userID, metadata: ["flags": flags])
            return 0
        } catch {
            let code = Root.exitCode(for: error)
            let ok = code == .success
            if error is CleanExit {
                // Help or version output: not an interaction.
                Self.printMessage(Root.fullMessage(for: error), code: code)
                return code.rawValue
            }
            record(
                .cliCommand, command: path, status: ok ? .success : classify(error), durationMs: Self.ms(clock.now - start),
                userID: userID, errorMessage: ok ? nil : String(describing: error),
                metadata: ["flags": flags, "exit_code": .int(Int64(code.rawValue))])
            Self.printMessage(Root.fullMessage(for: error), code: code)
            return code.rawValue
        }
    }

    /// ``runCommand(_:arguments:userID:classify:)``, then flushes (waiting at most `flushTimeout`) and exits with
    /// the command's exit code. Use it as the body of your `@main`:
    ///
    /// ```swift
    /// @main struct Main {
    ///     static func main() async {
    ///         let monitor = try? InteractionMonitor(configuration: .init())
    ///         await monitor?.main(MyTool.self) ?? MyTool.main()
    ///     }
    /// }
    /// ```
    public func main<Root: ParsableCommand>(
        _ root: Root.Type, arguments: [String]? = nil, userID: String? = nil,
        flushTimeout: Duration = .milliseconds(500)
    ) async -> Never {
        installExitHandlers(timeout: flushTimeout)
        let code = await runCommand(root, arguments: arguments, userID: userID)
        flushBeforeExit(timeout: flushTimeout)
        Glibc.exit(code)
    }

    /// The names of the options and flags in `arguments` (`--name`, `-n`, `-abc`), without values
    /// (`--name=value` gives `--name`), in order of first use, stopping at `--`. Negative numbers are values.
    static func optionNames(in arguments: [String]) -> [String] {
        var names: [String] = []
        for a in arguments {
            if a == "--" { break }
            guard a.hasPrefix("-"), a.count > 1 else { continue }
            let second = a.dropFirst().first!
            if second.isNumber || second == "." { continue }
            let name = String(a.split(separator: "=", maxSplits: 1).first ?? Substring(a))
            // Keep names plausible: letters, digits, dashes, underscores only (a value that merely starts with
            // "-" and holds anything else is not recorded).
            guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }), name.count <= 64 else { continue }
            if !names.contains(name) { names.append(name) }
        }
        return names
    }

    static func contains(_ t: any ParsableCommand.Type, in node: any ParsableCommand.Type) -> Bool {
        node == t || node.configuration.subcommands.contains { contains(t, in: $0) }
    }

    /// The command path of `parsed` in the tree under `root`, e.g. `tool config set`.
    static func path(of parsed: (any ParsableCommand.Type)?, in root: any ParsableCommand.Type, arguments: [String]) -> String {
        func name(_ t: any ParsableCommand.Type) -> String { t.configuration.commandName ?? t._commandName }
        func search(_ node: any ParsableCommand.Type, _ trail: [String]) -> [String]? {
            let here = trail + [name(node)]
            if let parsed, node == parsed { return here }
            for sub in node.configuration.subcommands {
                if let found = search(sub, here) { return found }
            }
            return nil
        }
        if let found = search(root, []) { return found.joined(separator: " ") }
        // Unknown (a usage error): the longest prefix of the arguments naming subcommands.
        var trail = [name(root)]
        var node = root
        for a in arguments {
            guard let sub = node.configuration.subcommands.first(where: { name($0) == a }) else { break }
            trail.append(a)
            node = sub
        }
        return trail.joined(separator: " ")
    }

    private static func ms(_ d: Duration) -> Double {
        let c = d.components
        return Double(c.seconds) * 1000 + Double(c.attoseconds) / 1e15
    }

    private static func printMessage(_ message: String, code: ExitCode) {
        guard !message.isEmpty else { return }
        var text = message.hasSuffix("\n") ? message : message + "\n"
        let fd: Int32 = code == .success ? 1 : 2
        text.withUTF8 { _ = Glibc.write(fd, $0.baseAddress, $0.count) }
    }
}
