import Foundation
import Testing

@testable import InteractionMonitor

/// Every command against a missing, corrupt or loose keyring and a bad data directory; bad dates and flags;
/// 8 writer processes; SIGKILL loops for the recorder, `forget` and `cleanup`.
struct HardeningCLITests {
    static let crashLoops = Int(ProcessInfo.processInfo.environment["IM_CRASH_LOOPS"] ?? "") ?? 10

    static let commands: [[String]] = [
        ["decrypt"], ["verify"], ["stats"], ["analyze"], ["patterns"], ["anomalies"], ["audit"], ["export"],
        ["keys", "list"], ["keys", "rotate"], ["keys", "retire", "0123456789abcdef"], ["reencrypt"],
        ["opt-out", "u1"], ["opt-in", "u1"], ["opt-outs"], ["forget", "u1"], ["cleanup"], ["profile", "u1"],
        ["report", "--output", "/tmp/im-hardening-report.html"], ["watch"], ["ingest", "/dev/null"],
    ]

    func expectOneLine(_ r: CLIRunner.Result, status: Int32, _ what: String) {
        #expect(r.status == status, "\(what): exit \(r.status), stderr: \(r.stderr)")
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("error: "), "\(what): \(r.stderr)")
        #expect(!r.stderr.contains("Fatal error") && !r.stderr.contains("Stack dump"))
    }

    @Test func everyCommandGivesOneLineAndExit2ForKeyringAndDirectoryProblems() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        // No keyring.
        for c in Self.commands where c != ["ingest", "/dev/null"] {  // ingest creates a keyring on first use
            expectOneLine(try cli.run(c), status: 2, "no keyring: \(c)")
        }
        try cli.run(["keys", "init"])
        try cli.run(["stats"])  // the one-time notice
        // Corrupt keyring (garbage, right permissions).
        let keyring = cli.keys + "/keyring"
        let good = try Data(contentsOf: URL(fileURLWithPath: keyring))
        try Data("interaction-monitor-keyring 1\ndata zz\n".utf8).write(to: URL(fileURLWithPath: keyring))
        chmod(keyring, 0o600)
        for c in Self.commands { expectOneLine(try cli.run(c), status: 2, "corrupt keyring: \(c)") }
        // Binary garbage.
        try Data((0..<300).map { UInt8(truncatingIfNeeded: $0 &* 37) }).write(to: URL(fileURLWithPath: keyring))
        for c in Self.commands.prefix(4) { expectOneLine(try cli.run(c), status: 2, "binary keyring: \(c)") }
        // Loose permissions.
        try good.write(to: URL(fileURLWithPath: keyring))
        chmod(keyring, 0o644)
        for c in Self.commands { expectOneLine(try cli.run(c), status: 2, "keyring 0644: \(c)") }
        chmod(keyring, 0o600)
        // The data directory is a file.
        try "x".write(toFile: cli.data, atomically: true, encoding: .utf8)
        for c in Self.commands where !["keys"].contains(c[0]) {
            let r = try cli.run(c)
            #expect(r.status == 2, "data dir is a file: \(c): \(r.status) \(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1, "\(c): \(r.stderr)")
        }
    }

    @Test func badDatesAndFlagsAreUsageErrors() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        try cli.run(["keys", "init"])
        for args in [
            ["decrypt", "--from", "2026-13-01"], ["verify", "--from", "2026-11-30", "--to", "2026-11-01"],
            ["stats", "--to", "yesterday"], ["analyze", "0"], ["analyze", "abc"], ["cleanup", "--retention-days", "0"],
            ["export", "--format", "xml"], ["keys", "retire", "nothex"], ["reencrypt", "--key", "12"],
            ["bench", "--count", "5"], ["stats", "--no-such-flag"], ["audit", "--retention-days", "-1"],
        ] {
            let r = try cli.run(args)
            #expect(r.status == 64, "\(args): \(r.status) \(r.stderr)")
            #expect(!r.stderr.contains("Fatal error"))
        }
    }

    @Test func eightWriterProcessesLoseNothing() throws {
        let per = ProcessInfo.processInfo.environment["IM_SOAK"] == nil ? 3_000 : 20_000
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        try cli.run(["keys", "init"])
        var ps: [(Process, Pipe, Pipe)] = []
        for p in 0..<8 { ps.append(try cli.process(["ingest", "--batch-size", "100"], stdin: ingestLines(count: per, prefix: "w\(p)"))) }
        for (p, out, _) in ps {
            _ = out.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            #expect(p.terminationStatus == 0)
        }
        let d = try cli.run(["decrypt"])
        let commands = Set(d.stdout.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["command"] as? String
        })
        #expect(commands.count == 8 * per)
        #expect(try cli.run(["verify"]).status == 0)
    }

    func commands(_ cli: CLIRunner) throws -> [String] {
        try cli.run(["decrypt"]).stdout.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["command"] as? String
        }
    }

    func killAfter(_ cli: CLIRunner, _ args: [String], stdin: String? = nil, seconds: Double) throws {
        let (p, _, _) = try cli.process(args, stdin: stdin)
        Thread.sleep(forTimeInterval: seconds)
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
    }

    @Test func killedRecordersNeverDamageWhatWasFlushedBefore() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        try cli.run(["keys", "init"])
        try cli.run(["ingest"], stdin: ingestLines(count: 500, prefix: "base"))
        for i in 0..<Self.crashLoops {
            try killAfter(cli, ["ingest", "--batch-size", "10"], stdin: ingestLines(count: 50_000, prefix: "k\(i)"), seconds: Double.random(in: 0.02...0.3))
            let v = try cli.run(["verify"])
            // Only a torn tail (the append in flight) may be reported; it is skipped by readers.
            for line in v.stdout.split(separator: "\n") where line.contains("error:") {
                #expect(line.contains("torn") || line.contains("manifest"), "\(line)")
            }
        }
        let all = try commands(cli)
        #expect(all.filter { $0.hasPrefix("base-") }.count == 500)
        #expect(Set(all).count == all.count)
    }

    @Test func aDayFileThatCannotGrowMidAppendIsCutBackAndTheFailureReported() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        guard let binary = CLIRunner.binary else { throw CLIError("interaction-monitor binary not found") }
        try cli.run(["keys", "init"])
        try cli.run(["ingest"], stdin: ingestLines(count: 2_000, prefix: "base"))
        let dayFiles = try FileManager.default.contentsOfDirectory(atPath: cli.data).filter { $0.hasPrefix("interactions_") }
        #expect(dayFiles.count == 1, "\(dayFiles)")
        let path = cli.data + "/" + (dayFiles.first ?? "")
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        // A file-size limit about 1 MB past the day file's end (what a full disk does to an append: a write fails
        // part-way through a flush, with earlier batches of it already in the file). SIGXFSZ ignored, so the write
        // fails with EFBIG instead of killing the process.
        let blocks = before.count / 1024 + 1024
        let r = try cli.run(
            ["-c", "trap '' XFSZ; ulimit -f \(blocks); exec \"$0\" ingest", binary],
            stdin: ingestLines(count: 20_000, prefix: "big"), executable: "/bin/bash")
        #expect(r.status != 0, "\(r.stdout) \(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1 && r.stderr.hasPrefix("error: "), "\(r.stderr)")
        // What the flushes before the failure stored, and what was not stored, are both said.
        let summary = try #require(r.stdout.split(separator: "\n").first { $0.hasPrefix("recorded ") })
        let stored = try #require(Int(summary.split(separator: " ")[1]))
        #expect(stored < 20_000 && summary.contains("dropped \(20_000 - stored)"), "\(summary)")
        // The failed append is cut back to the last whole flush: the store verifies with nothing torn, and holds
        // exactly what was reported stored.
        let after = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(after.starts(with: before) && after.count <= blocks * 1024)
        #expect(try FrameScanner(bytes: [UInt8](after)).tailAndEnd().1 == Int64(after.count), "a segment cut short stays")
        let v = try cli.run(["verify"])
        #expect(v.status == 0 && !v.stdout.contains("incomplete"), "\(v.stdout) \(v.stderr)")
        let all = try commands(cli)
        #expect(all.filter { $0.hasPrefix("base-") }.count == 2_000)
        #expect(all.filter { $0.hasPrefix("big-") }.count == stored)
        #expect(Set(all).count == all.count)
        // Room again: the next write appends after the cut.
        try cli.run(["ingest"], stdin: ingestLines(count: 3_000, prefix: "later"))
        #expect(try cli.run(["verify"]).status == 0)
        #expect(try commands(cli).count == 2_000 + stored + 3_000)
    }

    @Test func killedForgetAndCleanupLeaveAVerifiableStoreAndFinishWhenRerun() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        try cli.run(["keys", "init"])
        var lines = ""
        for n in 0..<20_000 {
            let day = 1 + n % 28
            lines += #"{"command":"c\#(n)","status":"success","duration_ms":1,"user_id":"\#(n % 4 == 0 ? "victim" : "u\(n % 9)")","timestamp":"2026-\#(n % 2 == 0 ? "11" : "05")-\#(String(format: "%02d", day))T10:00:00Z"}"# + "\n"
        }
        try cli.run(["ingest", "--batch-size", "50"], stdin: lines)
        let before = try commands(cli)
        let victims = 5_000
        for _ in 0..<Self.crashLoops {
            try killAfter(cli, ["forget", "victim"], seconds: Double.random(in: 0.0...0.25))
            #expect(try cli.run(["verify"]).status == 0)
        }
        #expect(try cli.run(["forget", "victim"]).status == 0)
        let afterForget = try commands(cli)
        #expect(afterForget.count == before.count - victims)
        for _ in 0..<Self.crashLoops {
            try killAfter(cli, ["cleanup", "--retention-days", "60"], seconds: Double.random(in: 0.0...0.2))
            #expect(try cli.run(["verify"]).status == 0)
        }
        // Data from November is within 60 days of today only if today is close; compare against a rerun instead.
        #expect(try cli.run(["cleanup", "--retention-days", "60"]).status == 0)
        let final = try commands(cli)
        #expect(Set(final).isSubset(of: Set(afterForget)))
        #expect(try cli.run(["verify"]).status == 0)
    }
}
