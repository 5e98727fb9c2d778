import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite(.serialized) struct CLITests {
    init() {
        // Writing to a killed child's stdin must not kill the test process.
        signal(SIGPIPE, SIG_IGN)
    }

    @Test func keysInitThenIngestDecryptVerifyStats() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        #expect(try cli.run(["keys", "init"]).status == 0)
        let again = try cli.run(["keys", "init"])
        #expect(again.status == 2)
        #expect(again.stderr.hasPrefix("error: ") && again.stderr.split(separator: "\n").count == 1)
        let ingest = try cli.run(["ingest"], stdin: ingestLines(count: 500, prefix: "cmd"))
        #expect(ingest.status == 0, "\(ingest.stderr)")
        #expect(ingest.stdout.contains("recorded 500 interactions, dropped 0"))
        let decrypt = try cli.run(["decrypt"])
        #expect(decrypt.status == 0)
        let lines = decrypt.stdout.split(separator: "\n")
        #expect(lines.count == 500)
        #expect(!decrypt.stdout.contains("user-3"))
        #expect(lines.first?.hasPrefix("{\"timestamp\":") == true)
        #expect(try cli.run(["verify"]).status == 0)
        let stats = try cli.run(["stats", "--json"])
        let json = try JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [String: Any]
        #expect(json?["total_interactions"] as? Int == 500)
        #expect(json?["failed_interactions"] as? Int == 100)
        #expect(json?["successful_interactions"] as? Int == 400)
        #expect(json?["unique_users"] as? Int == 7)
        #expect(json?["error_interactions"] as? Int == 0)
        #expect(json?["timeout_interactions"] as? Int == 0)
    }

    @Test func malformedLinesAreReportedWithLineNumbersAndTheRestRecorded() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        let input = """
            {"command":"ok-1","status":"success"}
            {not json
            {"command":"ok-2","status":"bogus"}
            {"status":"success"}
            {"command":"ok-3","status":"failure","timestamp":"yesterday"}
            {"command":"ok-4","status":"error","user_id":42,"timestamp":"2026-11-20T10:00:00Z","metadata":{"a":[1,{"b":null}]}}

            """
        let r = try cli.run(["ingest"], stdin: input)
        #expect(r.status == 1)
        #expect(r.stdout.contains("recorded 2 interactions"))
        for n in [2, 3, 4, 5] { #expect(r.stderr.contains("line \(n):"), "line \(n) not reported: \(r.stderr)") }
        let decrypt = try cli.run(["decrypt"])
        #expect(decrypt.stdout.split(separator: "\n").count == 2)
    }

    @Test func verifyNamesTheDamagedFileAndExits1() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        try cli.run(["ingest", "--batch-size", "50"], stdin: ingestLines(count: 300, prefix: "v"))
        let file = try #require(
            try FileManager.default.contentsOfDirectory(atPath: cli.data).first { $0.hasPrefix("interactions_") })
        let url = URL(fileURLWithPath: cli.data + "/" + file)
        var bytes = try Data(contentsOf: url)
        bytes[bytes.count / 3] ^= 0x10
        try bytes.write(to: url)
        let r = try cli.run(["verify"])
        #expect(r.status == 1)
        #expect(r.stdout.contains("FAIL \(file)"))
        let d = try cli.run(["decrypt"])
        #expect(d.status == 1)
        #expect(d.stderr.contains(file))
        #expect(d.stdout.split(separator: "\n").count >= 1)
    }

    @Test func configurationAndKeyErrorsExit2WithOneLine() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        var r = try cli.run(["decrypt"])  // no keyring yet
        #expect(r.status == 2)
        #expect(r.stderr.split(separator: "\n").count == 1 && r.stderr.contains("keys init"))
        try cli.run(["keys", "init"])
        chmod(cli.keys + "/keyring", 0o644)
        r = try cli.run(["verify"])
        #expect(r.status == 2 && r.stderr.contains("chmod 600"))
        chmod(cli.keys + "/keyring", 0o600)
        try "x".write(toFile: cli.data, atomically: true, encoding: .utf8)
        r = try cli.run(["verify"])
        #expect(r.status == 2 && r.stderr.contains("not a directory"))
        r = try cli.run(["decrypt", "--from", "2026-13-01"])
        #expect(r.status != 0 && r.status != 1 && r.status != 2 && r.stderr.contains("YYYY-MM-DD"))
        r = try cli.run(["ingest", "/nonexistent/file.jsonl"])
        #expect(r.status == 1 || r.status == 2)
        #expect(!r.stderr.contains("Fatal error"))
    }

    @Test func fourConcurrentIngestProcessesLoseNothing() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        try cli.run(["keys", "init"])
        let perProcess = 5000
        var processes: [(Process, Pipe, Pipe)] = []
        for p in 0..<4 {
            // Small batches: many interleaved appends to the same day file.
            processes.append(try cli.process(["ingest", "--batch-size", "50"], stdin: ingestLines(count: perProcess, prefix: "p\(p)")))
        }
        for (p, out, _) in processes {
            _ = out.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            #expect(p.terminationStatus == 0)
        }
        let d = try cli.run(["decrypt"])
        #expect(d.status == 0, "\(d.stderr)")
        let commands = d.stdout.split(separator: "\n").compactMap { line -> String? in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["command"] as? String
        }
        #expect(commands.count == 4 * perProcess)
        #expect(Set(commands).count == 4 * perProcess)
        #expect(try cli.run(["verify"]).status == 0)
    }

    @Test func aWriterKilledMidWriteLeavesEarlierSegmentsReadable() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        try cli.run(["keys", "init"])
        try cli.run(["ingest"], stdin: ingestLines(count: 1000, prefix: "before"))
        // Kill writers at several points of a long ingest.
        for delay in [0.05, 0.2, 0.4] {
            let (p, _, _) = try cli.process(["ingest", "--batch-size", "20"], stdin: ingestLines(count: 200_000, prefix: "killed"))
            Thread.sleep(forTimeInterval: delay)
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
        }
        try cli.run(["ingest"], stdin: ingestLines(count: 1000, prefix: "after"))
        let d = try cli.run(["decrypt"])
        let commands = d.stdout.split(separator: "\n").compactMap { line -> String? in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["command"] as? String
        }
        #expect(commands.filter { $0.hasPrefix("before-") }.count == 1000)
        #expect(commands.filter { $0.hasPrefix("after-") }.count == 1000)
        // Only torn tails may be reported; never forged or reordered data.
        for line in d.stderr.split(separator: "\n") where line.hasPrefix("error:") {
            #expect(line.contains("torn") || line.contains("manifest"), "\(line) — \(d.stderr)")
        }
        #expect(!d.stderr.contains("Fatal"))
    }
}
