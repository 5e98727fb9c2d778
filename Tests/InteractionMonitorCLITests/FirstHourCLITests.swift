import Foundation
import Testing

/// What a new user meets first: the demo and the commands it suggests, errors that say what is wrong with the
/// right exit code, and no passphrase prompt for a keyring that has none.
struct FirstHourCLITests {
    @Test func theDefaultDemoShowsItsIncidentAndItsSuggestedCommandsWorkInANewShell() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        let demo = try cli.run(["demo"])
        #expect(demo.status == 0, "\(demo.stderr)")
        let next = demo.stdout.split(separator: "\n").filter { $0.hasPrefix("  ") && $0.contains("interaction-monitor") }
        #expect(next.count == 3, "\(demo.stdout)")
        // Each suggested command, as printed (the binary path replaced by this build's), in a fresh process.
        for line in next {
            var words = line.split(separator: "#").first!.split(separator: " ").map(String.init)
            words.removeFirst()
            let r = try cli.run(words)
            #expect(r.status == 0, "\(line): \(r.stderr)")
        }
        let anomalies = try cli.run(["anomalies"]).stdout
        for kind in ["error_rate_spike", "latency_regression", "new_error_template"] {
            #expect(anomalies.contains("[\(kind)]"), "\(kind) missing: \(anomalies)")
        }
    }

    @Test func helpCreatesNothingInTheHomeDirectory() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        for args in [["--help"], ["stats", "--help"], ["keys", "rotate", "--help"], ["help", "verify"], ["stats", "--bogus-flag"]] {
            _ = try cli.run(args)
        }
        #expect(!FileManager.default.fileExists(atPath: cli.root + "/home"), "\((try? FileManager.default.subpathsOfDirectory(atPath: cli.root + "/home")) ?? [])")
    }

    @Test func readingCommandsRefuseADataDirectoryThatDoesNotExist() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        #expect(try cli.run(["keys", "init"]).status == 0)
        for command in [["stats"], ["verify"], ["decrypt"], ["analyze"], ["anomalies"]] {
            let r = try cli.run(command + ["--data-dir", cli.root + "/typo"])
            #expect(r.status == 2 && r.stderr.contains("no data directory"), "\(command): \(r.stderr)")
        }
    }

    @Test func errorsThatAreNotDataProblemsExitTwoAndSayWhy() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        #expect(try cli.run(["keys", "init"]).status == 0)
        #expect(try cli.run(["ingest"], stdin: ingestLines(count: 5, prefix: "a")).status == 0)
        var r = try cli.run(["ingest", cli.root + "/missing.jsonl"])
        #expect(r.status == 2 && r.stderr.contains("cannot open"), "\(r.stderr)")
        r = try cli.run(["decrypt", "--derived", "bogus"])
        #expect(r.status == 2, "\(r.stderr)")
        r = try cli.run(["profile", "nobody-stored"])
        #expect(r.status == 2, "\(r.stderr)")
        r = try cli.run(["ingest", "--flush-interval", "0"])
        #expect(r.status != 0 && r.stderr.contains("more than 0"), "\(r.stderr)")
        let backup = cli.root + "/backup"
        _ = FileManager.default.createFile(atPath: backup, contents: Data("x".utf8))
        r = try cli.run(["keys", "export", "--output", backup], extraEnvironment: ["INTERACTION_MONITOR_BACKUP_PASSPHRASE": "correct horse battery"])
        #expect(r.status == 2 && r.stderr.contains("already exists") && !r.stderr.contains("a keyring already exists"), "\(r.stderr)")
    }

    @Test func doNotTrackSaysWhyRecordsWereDropped() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        let r = try cli.run(["ingest"], stdin: ingestLines(count: 4, prefix: "a"), extraEnvironment: ["DO_NOT_TRACK": "1"])
        #expect(r.stdout.contains("dropped 4 (disabled 4)"), "\(r.stdout)")
    }

    @Test func aPrivateExperimentWithNoExposuresChargesNothing() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        #expect(try cli.run(["keys", "init"]).status == 0)
        #expect(try cli.run(["ingest"], stdin: ingestLines(count: 5, prefix: "a")).status == 0)
        #expect(try cli.run(["privacy", "budget", "--set", "5"]).status == 0)
        let r = try cli.run(["experiment", "no-such-experiment", "--epsilon", "1", "--variants", "control,treatment"])
        #expect(r.status == 2 && r.stderr.contains("nothing was charged"), "\(r.stderr)")
        let ledger = try cli.run(["privacy", "ledger", "--json"]).stdout
        #expect(ledger.contains("\"spends\":[]"), "\(ledger)")
    }

    @Test func longWorkShowsProgressOnATerminalAndNothingOtherwise() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        guard let binary = CLIRunner.binary, FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else { return }
        #expect(try cli.run(["keys", "init"]).status == 0)
        let input = cli.root + "/in.jsonl"
        try ingestLines(count: 5000, prefix: "p").write(toFile: input, atomically: true, encoding: .utf8)
        let env = ["INTERACTION_MONITOR_PROGRESS_AFTER_MS": "0"]
        let tty = try cli.run(["-qec", "\(binary) ingest \(input)", "/dev/null"], extraEnvironment: env, executable: "/usr/bin/script")
        #expect(tty.status == 0 && tty.stdout.contains("ingest: ") && tty.stdout.contains("records"), "\(tty.stdout)")
        let stats = try cli.run(["-qec", "\(binary) stats", "/dev/null"], extraEnvironment: env, executable: "/usr/bin/script")
        #expect(stats.status == 0 && stats.stdout.contains("stats: "), "\(stats.stdout)")
        let piped = try cli.run(["ingest", input], extraEnvironment: env)
        #expect(!piped.stderr.contains("records,") && !piped.stdout.contains("\u{1B}"), "no progress when not a terminal")
    }

    @Test func aPlainKeyringIsNeverAskedForAPassphraseOnATerminal() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        guard let binary = CLIRunner.binary, FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else { return }
        #expect(try cli.run(["keys", "init"]).status == 0)
        let r = try cli.run(
            ["-qec", "\(binary) keys rotate", "/dev/null"], extraEnvironment: [:], executable: "/usr/bin/script")
        #expect(r.status == 0, "\(r.stdout) \(r.stderr)")
        #expect(!r.stdout.contains("passphrase:") && !r.stderr.contains("passphrase:"), "\(r.stdout)")
    }
}
