import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite(.serialized) struct PrivacyCLITests {
    init() { signal(SIGPIPE, SIG_IGN) }

    func commands(_ cli: CLIRunner) throws -> [String] {
        try cli.run(["decrypt"]).stdout.split(separator: "\n").compactMap { line -> String? in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["command"] as? String
        }
    }

    @Test func optOutOptInAndTheList() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        try cli.run(["keys", "init"])
        var r = try cli.run(["opt-out", "user-3"])
        #expect(r.status == 0 && r.stdout.hasPrefix("opted out: user "))
        #expect(!r.stdout.contains("user-3"))
        r = try cli.run(["opt-out", "-"], stdin: "user-4\n")
        #expect(r.status == 0)
        r = try cli.run(["ingest"], stdin: ingestLines(count: 70, prefix: "c"))
        #expect(r.stdout.contains("recorded 50 interactions, dropped 20"))
        let list = try cli.run(["opt-outs", "--json"])
        let entries = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]]
        #expect(entries?.count == 2, "one JSON document: \(list.stdout)")
        #expect(!list.stdout.contains("user-"))
        #expect(try cli.run(["opt-in", "user-3"]).stdout.hasPrefix("opted in"))
        r = try cli.run(["ingest"], stdin: ingestLines(count: 7, prefix: "d"))
        #expect(r.stdout.contains("recorded 6 interactions, dropped 1"))
        // Nothing of the raw ids anywhere in the data directory.
        for name in try FileManager.default.contentsOfDirectory(atPath: cli.data) {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: cli.data + "/" + name))
            #expect(bytes.range(of: Data("user-3".utf8)) == nil)
        }
    }

    @Test func doNotTrackWritesNothing() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        for env in [["DO_NOT_TRACK": "1"], ["INTERACTION_MONITOR_DISABLED": "1"]] {
            let r = try cli.run(["ingest"], stdin: ingestLines(count: 10, prefix: "x"), extraEnvironment: env)
            #expect(r.status == 0)
            #expect(r.stdout.contains("recorded 0 interactions, dropped 10"))
            #expect(!FileManager.default.fileExists(atPath: cli.data))
            #expect(!FileManager.default.fileExists(atPath: cli.keys))
        }
    }

    @Test func forgetEndToEnd() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        try cli.run(["ingest", "--batch-size", "10"], stdin: ingestLines(count: 700, prefix: "f"))
        let r = try cli.run(["forget", "user-2"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("removed 100 interaction(s)"))
        #expect(try commands(cli).count == 600)
        #expect(try cli.run(["verify"]).status == 0)
        // Opted out too.
        let again = try cli.run(["ingest"], stdin: ingestLines(count: 7, prefix: "g"))
        #expect(again.stdout.contains("dropped 1"))
    }

    @Test func forgetKilledAtRandomPointsLeavesOldOrNewNeverHalf() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        // Several days, so a kill can land between files, inside a rewrite, or between rename and manifest.
        let lines = (0..<20_000).map { n -> String in
            let day = 10 + n % 8
            return #"{"command":"k-\#(n)","status":"success","user_id":"user-\#(n % 5)","timestamp":"2026-11-\#(day)T10:00:00Z"}"#
        }.joined(separator: "\n") + "\n"
        try cli.run(["ingest", "--batch-size", "50"], stdin: lines)
        for delay in [0.001, 0.01, 0.02, 0.04, 0.08, 0.15] {
            let (p, _, _) = try cli.process(["forget", "user-1"])
            Thread.sleep(forTimeInterval: delay)
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            let v = try cli.run(["verify"])
            #expect(v.status == 0, "after a kill at \(delay)s: \(v.stdout)")
            let all = try commands(cli)
            // Nobody else's records are ever lost; user-1's are either there or gone, per file.
            #expect(all.filter { Int($0.dropFirst(2))! % 5 != 1 }.count == 16_000)
        }
        let done = try cli.run(["forget", "user-1"])
        #expect(done.status == 0)
        let all = try commands(cli)
        #expect(all.count == 16_000)
        #expect(try cli.run(["verify"]).status == 0)
    }

    @Test func cleanupEndToEnd() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        let now = Date().timeIntervalSince1970
        func iso(_ daysAgo: Double) -> String {
            let f = ISO8601DateFormatter()
            return f.string(from: Date(timeIntervalSince1970: now - daysAgo * 86_400))
        }
        let lines = [200.0, 120, 95, 30, 1].map { #"{"command":"age-\#(Int($0))","status":"success","timestamp":"\#(iso($0))"}"# }
        try cli.run(["ingest"], stdin: lines.joined(separator: "\n"))
        var r = try cli.run(["cleanup"])
        #expect(r.status == 0)
        #expect(try commands(cli) == ["age-30", "age-1"])
        r = try cli.run(["cleanup", "--retention-days", "7"])
        #expect(try commands(cli) == ["age-1"])
        #expect(try cli.run(["verify"]).status == 0)
        #expect(try cli.run(["cleanup", "--retention-days", "0"]).status == 64)
    }
}
