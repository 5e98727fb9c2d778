import Foundation
import Testing

/// `keys …`, `reencrypt`, `audit` and the operations journal, as an operator runs them.
struct KeysCLITests {
    func json(_ text: String) -> Any? { try? JSONSerialization.jsonObject(with: Data(text.utf8)) }

    func keyList(_ cli: CLIRunner) throws -> [[String: Any]] {
        let r = try cli.run(["keys", "list", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        return (json(r.stdout) as? [[String: Any]]) ?? []
    }

    func commands(_ cli: CLIRunner) throws -> [String] {
        let d = try cli.run(["decrypt"])
        #expect(d.status == 0, "\(d.stderr)")
        return d.stdout.split(separator: "\n").compactMap { line in
            (json(String(line)) as? [String: Any])?["command"] as? String
        }
    }

    @Test func rotateWhileFourProcessesRecordThenReencryptRetireAndVerify() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        #expect(try cli.run(["keys", "init"]).status == 0)
        let oldKey = try keyList(cli).first { $0["purpose"] as? String == "data" }?["id"] as? String ?? ""
        // Four long-running recorders following their standard input, flushing every 200 ms.
        var writers: [(Process, Pipe, Pipe, Pipe)] = []
        for _ in 0..<4 {
            let (p, input, out, err) = try cli.streamingProcess(["ingest", "--batch-size", "25", "--flush-interval", "0.2"])
            writers.append((p, input, out, err))
        }
        func feed(_ phase: String, _ count: Int) throws {
            for (i, w) in writers.enumerated() {
                try w.1.fileHandleForWriting.write(contentsOf: Data(ingestLines(count: count, prefix: "\(phase)-p\(i)").utf8))
            }
        }
        try feed("a", 400)
        Thread.sleep(forTimeInterval: 0.5)
        let rotate = try cli.run(["keys", "rotate"])
        #expect(rotate.status == 0, "\(rotate.stderr)")
        try feed("b", 400)
        // Two flush intervals: every process has switched and flushed what it held.
        Thread.sleep(forTimeInterval: 0.8)
        let oldSegments = try keyList(cli).first { $0["id"] as? String == oldKey }?["segments"] as? Int ?? -1
        try feed("c", 400)
        Thread.sleep(forTimeInterval: 0.6)
        // Nothing new was sealed under the old key after the switch.
        #expect(try keyList(cli).first { $0["id"] as? String == oldKey }?["segments"] as? Int == oldSegments)
        for w in writers {
            try w.1.fileHandleForWriting.close()
            _ = w.2.fileHandleForReading.readDataToEndOfFile()
            w.0.waitUntilExit()
            #expect(w.0.terminationStatus == 0)
        }
        let newKey = try keyList(cli).first { $0["purpose"] as? String == "data" && $0["status"] as? String == "active" }
        #expect((newKey?["segments"] as? Int ?? 0) > 0)
        #expect(oldSegments > 0)

        // Retiring the old key while data uses it is refused with exit 2 and one line.
        let refused = try cli.run(["keys", "retire", oldKey])
        #expect(refused.status == 2 && refused.stderr.contains("still in use"), "\(refused.stderr)")
        #expect(refused.stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }.count == 1)

        let re = try cli.run(["reencrypt"])
        #expect(re.status == 0, "\(re.stderr)")
        #expect(re.stdout.contains("MB/s"))
        let retire = try cli.run(["keys", "retire", oldKey])
        #expect(retire.status == 0, "\(retire.stderr)")
        let keys = try keyList(cli)
        #expect(keys.first { $0["id"] as? String == oldKey }?["status"] as? String == "retired")
        #expect(!(try String(contentsOfFile: cli.keys + "/keyring", encoding: .utf8)).split(separator: "\n")
            .contains { $0.contains(oldKey) && !$0.hasSuffix(" -") })
        let verify = try cli.run(["verify"])
        #expect(verify.status == 0, "\(verify.stdout)")
        let all = try commands(cli)
        #expect(all.count == 4 * 3 * 400 && Set(all).count == all.count)
    }

    @Test func reencryptKilledAtTwentyRandomMomentsLosesNothing() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        try cli.run(["keys", "init"])
        // 12 days of data in many small segments, so a run takes long enough to be interrupted mid-way.
        var lines = ""
        for n in 0..<24_000 {
            lines += #"{"command":"cmd-\#(n)","status":"success","duration_ms":\#(n % 50),"user_id":"u\#(n % 40)","timestamp":"2026-11-\#(String(format: "%02d", 10 + n % 12))T12:00:00Z"}"# + "\n"
        }
        #expect(try cli.run(["ingest", "--batch-size", "20"], stdin: lines).status == 0)
        var generator = SystemRandomNumberGenerator()
        var killedMidway = 0
        for _ in 0..<20 {
            #expect(try cli.run(["keys", "rotate"]).status == 0)
            let (p, _, _) = try cli.process(["reencrypt"])
            Thread.sleep(forTimeInterval: Double.random(in: 0.0...0.2, using: &generator))
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            if p.terminationReason == .uncaughtSignal { killedMidway += 1 }
            // At every moment the store verifies: each day file is wholly old or wholly new.
            let v = try cli.run(["verify"])
            #expect(v.status == 0, "\(v.stdout)")
        }
        // Most kills land mid-run (a run takes longer than the longest delay); a few may find it already done.
        #expect(killedMidway >= 5, "only \(killedMidway) of 20 kills interrupted a run")
        let finish = try cli.run(["reencrypt"])
        #expect(finish.status == 0, "\(finish.stderr)")
        let all = try commands(cli)
        #expect(all.count == 24_000 && Set(all).count == 24_000)
        let keys = try keyList(cli)
        let active = keys.first { $0["purpose"] as? String == "data" && $0["status"] as? String == "active" }
        #expect(active?["segments"] as? Int == keys.compactMap { $0["segments"] as? Int }.reduce(0, +))
        // No temporary file survives a completed run.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: cli.data).filter { $0.contains("tmp") }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    @Test func sealedKeyringsNeedTheirSecretAndWrongOnesExit2WithOneLine() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        let pass = cli.root + "/pass"
        try "s3cret phrase\n".write(toFile: pass, atomically: true, encoding: .utf8)
        let wrong = cli.root + "/wrong"
        try "not it\n".write(toFile: wrong, atomically: true, encoding: .utf8)
        var r = try cli.run(["keys", "init", "--passphrase", "--new-passphrase-file", pass, "--strength", "interactive"])
        #expect(r.status == 0, "\(r.stderr)")
        r = try cli.run(["ingest"], stdin: ingestLines(count: 50, prefix: "x"), extraEnvironment: ["INTERACTION_MONITOR_PASSPHRASE_FILE": pass])
        #expect(r.status == 0, "\(r.stderr)")
        // Missing secret, wrong passphrase, a KEK instead: exit 2, one line, no crash.
        for (args, env) in [
            (["stats"], [String: String]()), (["stats", "--passphrase-file", wrong], [:]),
            (["decrypt"], ["INTERACTION_MONITOR_PASSPHRASE": "nope"]),
            (["verify"], ["INTERACTION_MONITOR_KEK": String(repeating: "ab", count: 32)]),
        ] {
            r = try cli.run(args, extraEnvironment: env)
            #expect(r.status == 2, "\(args) \(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1 && r.stderr.hasPrefix("error: "), "\(r.stderr)")
            #expect(!r.stderr.contains("s3cret"))
        }
        r = try cli.run(["stats", "--passphrase-file", pass])
        #expect(r.status == 0 && r.stdout.contains("50"), "\(r.stderr)")
        // Change the passphrase.
        let next = cli.root + "/next"
        try "another one\n".write(toFile: next, atomically: true, encoding: .utf8)
        r = try cli.run(["keys", "passphrase", "--passphrase-file", pass, "--new-passphrase-file", next, "--strength", "interactive"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try cli.run(["verify", "--passphrase-file", pass]).status == 2)
        #expect(try cli.run(["verify", "--passphrase-file", next]).status == 0)
        // Without a terminal and without a new passphrase, changing it is a clear configuration error.
        r = try cli.run(["keys", "passphrase", "--passphrase-file", next])
        #expect(r.status == 2 && r.stderr.contains("--new-passphrase-file"))
        // Export and import through the CLI.
        let backup = cli.root + "/backup"
        r = try cli.run(["keys", "export", "--passphrase-file", next, "--output", backup, "--backup-passphrase-file", pass, "--strength", "interactive"])
        #expect(r.status == 0, "\(r.stderr)")
        let elsewhere = cli.root + "/restored-keys"
        r = try cli.run(["keys", "import", backup, "--keys-dir", elsewhere, "--backup-passphrase-file", pass])
        #expect(r.status == 0, "\(r.stderr)")
        r = try cli.run(["stats", "--keys-dir", elsewhere])
        #expect(r.status == 0 && r.stdout.contains("50"), "\(r.stderr)")
        r = try cli.run(["keys", "import", backup, "--keys-dir", elsewhere, "--backup-passphrase-file", wrong])
        #expect(r.status == 2 && r.stderr.contains("wrong passphrase"))
    }

    @Test func aPlainKeyringIsAnnouncedOnceAndKEKSealingWorksFromTheEnvironment() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        try cli.run(["keys", "init"])
        try cli.run(["ingest"], stdin: ingestLines(count: 10, prefix: "x"))
        let first = try cli.run(["stats"])
        let second = try cli.run(["stats"])
        let note = "protected only by file permissions"
        #expect(first.stderr.contains(note) && !second.stderr.contains(note), "\(first.stderr) / \(second.stderr)")
        let kek = String(repeating: "5a", count: 32)
        var r = try cli.run(["keys", "protect", "--kek"], extraEnvironment: ["INTERACTION_MONITOR_NEW_KEK": kek])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try cli.run(["stats"]).status == 2)
        r = try cli.run(["stats"], extraEnvironment: ["INTERACTION_MONITOR_KEK": kek])
        #expect(r.status == 0 && r.stdout.contains("10"))
        // A recorder process opens the KEK-sealed keyring from the environment too.
        r = try cli.run(["ingest"], stdin: ingestLines(count: 5, prefix: "y"), extraEnvironment: ["INTERACTION_MONITOR_KEK": kek])
        #expect(r.status == 0, "\(r.stderr)")
        r = try cli.run(["keys", "protect", "--none"], extraEnvironment: ["INTERACTION_MONITOR_KEK": kek])
        #expect(r.status == 0)
        #expect(try cli.run(["verify"]).status == 0)
    }

    @Test func auditReportsWhatIsStoredAndTheJournalRecordsEveryOperation() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        let journal = cli.root + "/journal.md"
        let env = ["INTERACTION_MONITOR_JOURNAL": journal]
        #expect(try cli.run(["keys", "init"], extraEnvironment: env).status == 0)
        var lines = ""
        for n in 0..<300 {
            lines += #"{"command":"c\#(n)","status":"success","duration_ms":1,"user_id":"alice@example.com","timestamp":"2026-11-\#(20 + n % 3)T08:00:00Z"}"# + "\n"
        }
        #expect(try cli.run(["ingest"], stdin: lines, extraEnvironment: env).status == 0)
        #expect(try cli.run(["opt-out", "bob@example.com"], extraEnvironment: env).status == 0)
        #expect(try cli.run(["forget", "alice@example.com"], extraEnvironment: env).status == 0)
        #expect(try cli.run(["ingest"], stdin: ingestLines(count: 30, prefix: "z"), extraEnvironment: env).status == 0)
        #expect(try cli.run(["keys", "rotate"], extraEnvironment: env).status == 0)
        #expect(try cli.run(["reencrypt"], extraEnvironment: env).status == 0)
        #expect(try cli.run(["cleanup", "--retention-days", "3650"], extraEnvironment: env).status == 0)
        #expect(try cli.run(["keys", "retire", "0123456789abcdef"], extraEnvironment: env).status == 2)

        var r = try cli.run(["audit", "--json"], extraEnvironment: env)
        #expect(r.status == 0, "\(r.stderr)")
        let a = json(r.stdout) as? [String: Any] ?? [:]
        #expect(a["records"] as? Int == 30)
        #expect(a["opt_out_users"] as? Int == 2)
        #expect((a["failing_files"] as? [Any])?.isEmpty == true)
        #expect(a["retention_days"] as? Int == 90)
        #expect((a["days"] as? [[String: Any]])?.allSatisfy { $0["verified"] as? Bool == true } == true)
        let j = a["journal"] as? [String: Any] ?? [:]
        let ops = j["by_operation"] as? [String: Int] ?? [:]
        for op in ["keys init", "opt-out", "forget", "keys rotate", "reencrypt", "cleanup", "keys retire"] {
            #expect(ops[op] == 1, "\(op): \(ops)")
        }
        #expect(j["failures"] as? Int == 1)
        // The journal never holds raw ids or key material.
        let text = try String(contentsOfFile: journal, encoding: .utf8)
        #expect(!text.contains("alice") && !text.contains("bob") && !text.contains("example.com"))
        let keyring = try String(contentsOfFile: cli.keys + "/keyring", encoding: .utf8)
        for line in keyring.split(separator: "\n") where line.split(separator: " ").count == 5 {
            let b64 = line.split(separator: " ")[4]
            if b64 != "-" { #expect(!text.contains(b64)) }
        }
        // The default journal lives under $HOME (a temporary directory in tests).
        #expect(try cli.run(["opt-in", "bob@example.com"]).status == 0)
        #expect(FileManager.default.fileExists(atPath: cli.root + "/home/research_logs/system_journal.md"))

        // A tampered file makes audit exit 1 and name it, without printing any interaction.
        let day = try FileManager.default.contentsOfDirectory(atPath: cli.data).first { $0.hasPrefix("interactions_") }!
        let path = cli.data + "/" + day
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[bytes.count / 2] ^= 1
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        r = try cli.run(["audit"], extraEnvironment: env)
        #expect(r.status == 1 && r.stdout.contains(day) && r.stdout.contains("FAIL"))
        #expect(!r.stdout.contains("\"command\""))
    }
}

extension CLIRunner {
    /// Starts the binary with a pipe on standard input that the test writes to over time.
    func streamingProcess(_ arguments: [String]) throws -> (Process, Pipe, Pipe, Pipe) {
        guard let binary = Self.binary else { throw CLIError("interaction-monitor binary not found") }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = arguments
        p.environment = environment
        let input = Pipe()
        let out = Pipe()
        let err = Pipe()
        p.standardInput = input
        p.standardOutput = out
        p.standardError = err
        try p.run()
        return (p, input, out, err)
    }
}
