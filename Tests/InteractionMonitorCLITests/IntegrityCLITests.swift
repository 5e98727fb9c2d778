import Foundation
import Testing

/// The store's integrity promises through the command line: findings survive writes until acknowledged,
/// checkpoints, retention at recording time, bounded lines, the time range, and keys directories shared by stores.
struct IntegrityCLITests {
    func lines(_ count: Int, day: String, prefix: String = "x") -> String {
        (0..<count).map { n in
            #"{"command":"\#(prefix)-\#(n)","status":"success","duration_ms":1,"user_id":"u\#(n % 3)","timestamp":"\#(day)T10:00:\#(String(format: "%02d", n % 60))Z"}"#
        }.joined(separator: "\n") + "\n"
    }

    var today: String {
        let f = DateFormatter()
        f.dateFormat = "yyyy-MM-dd"
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: Date())
    }

    /// Frame ends of a day file, from the trailers (structure only).
    func frameEnds(_ bytes: [UInt8]) -> [Int] {
        var ends: [Int] = []
        var offset = 0
        while offset + 80 <= bytes.count {
            let n = Int(bytes[offset + 68]) << 24 | Int(bytes[offset + 69]) << 16 | Int(bytes[offset + 70]) << 8 | Int(bytes[offset + 71])
            offset += (bytes[offset + 4] == 1 ? 72 : 88) + n + 8
            ends.append(offset)
        }
        return ends
    }

    @Test func aCutFileStaysReportedAfterIngestUntilAcknowledgedOnTheRecord() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        let day = today
        #expect(try cli.run(["keys", "init"]).status == 0)
        #expect(try cli.run(["ingest", "--batch-size", "2"], stdin: lines(6, day: day)).status == 0)
        let path = cli.data + "/interactions_\(day).jsonl.enc"
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let ends = frameEnds(bytes)
        try Data(bytes.prefix(ends[1])).write(to: URL(fileURLWithPath: path))
        #expect(try cli.run(["ingest", "--batch-size", "2"], stdin: lines(2, day: day, prefix: "y")).status == 0)
        var r = try cli.run(["verify"])
        #expect(r.status == 1 && r.stdout.contains("FAIL interactions_\(day).jsonl.enc") && r.stdout.contains("truncated"), "\(r.stdout)")
        #expect(try cli.run(["decrypt"]).status == 1)
        r = try cli.run(["acknowledge", "--reason", "segment lost in a disk repair"])
        #expect(r.status == 0 && r.stdout.contains("acknowledged"), "\(r.stdout) \(r.stderr)")
        r = try cli.run(["verify"])
        #expect(r.status == 0, "\(r.stdout)")
        let journal = try String(contentsOfFile: cli.root + "/home/research_logs/system_journal.md", encoding: .utf8)
        #expect(journal.contains("| acknowledge | ok |") && journal.contains("segment lost in a disk repair"))
        r = try cli.run(["acknowledge"])
        #expect(r.status != 0, "a reason is required")
        let audit = try cli.run(["audit"])
        #expect(audit.status == 0 && audit.stdout.contains("acknowledged") && audit.stdout.contains("segment lost in a disk repair"), "\(audit.stdout)")
    }

    @Test func auditPrintsACheckpointThatVerifyChecksAgainstARollback() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        #expect(try cli.run(["keys", "init"]).status == 0)
        #expect(try cli.run(["ingest"], stdin: lines(5, day: today)).status == 0)
        let backup = cli.root + "/backup"
        try FileManager.default.copyItem(atPath: cli.data, toPath: backup)
        let audit = try cli.run(["audit"])
        #expect(audit.status == 0, "\(audit.stderr)")
        let line = try #require(audit.stdout.split(separator: "\n").first { $0.hasPrefix("checkpoint") })
        let checkpoint = String(try #require(line.split(separator: " ").last))
        #expect(checkpoint.hasPrefix("imcp1:"))
        #expect(try cli.run(["ingest"], stdin: lines(5, day: today, prefix: "more")).status == 0)
        var r = try cli.run(["verify", "--checkpoint", checkpoint])
        #expect(r.status == 0 && r.stdout.contains("OK   checkpoint"), "\(r.stdout) \(r.stderr)")
        try FileManager.default.removeItem(atPath: cli.data)
        try FileManager.default.copyItem(atPath: backup, toPath: cli.data)
        #expect(chmod(cli.data, 0o700) == 0)
        #expect(try cli.run(["verify"]).status == 0, "the older copy is consistent on its own")
        r = try cli.run(["verify", "--checkpoint", checkpoint])
        #expect(r.status == 1 && r.stdout.contains("FAIL checkpoint"), "\(r.stdout) \(r.stderr)")
        #expect(try cli.run(["verify", "--checkpoint", "imcp1:zz"]).status != 0)
    }

    @Test func ingestDropsRecordsOlderThanTheRetentionPeriodAndSaysWhy() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        #expect(try cli.run(["keys", "init"]).status == 0)
        let r = try cli.run(["ingest", "--retention-days", "30"], stdin: lines(10, day: "2020-01-01") + lines(10, day: today, prefix: "new"))
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("recorded 10 interactions") && r.stdout.contains("past_retention 10"), "\(r.stdout)")
        let stats = try cli.run(["stats", "--json"])
        #expect(stats.stdout.contains("\"total_interactions\":10"), "\(stats.stdout)")
        #expect(!FileManager.default.fileExists(atPath: cli.data + "/interactions_2020-01-01.jsonl.enc"))
    }

    @Test func overlongLinesAndTimestampsOutsideTheStorableYearsAreMalformed() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        #expect(try cli.run(["keys", "init"]).status == 0)
        let long = #"{"command":"c","status":"success","error_message":""# + String(repeating: "a", count: 300_000) + "\"}\n"
        let far = #"{"command":"far","status":"success","timestamp":"9999-12-31T23:59:59-23:59"}"# + "\n"
        let early = #"{"command":"early","status":"success","timestamp":"0000-01-01T00:00:00+00:01"}"# + "\n"
        let r = try cli.run(["ingest", "--max-line-bytes", "100000"], stdin: long + far + early + lines(1, day: today))
        #expect(r.status == 1, "\(r.stdout) \(r.stderr)")
        #expect(r.stderr.contains("line 1: longer than --max-line-bytes"), "\(r.stderr)")
        #expect(r.stderr.contains("line 2") && r.stderr.contains("line 3"))
        #expect(r.stdout.contains("recorded 1 interactions"), "\(r.stdout)")
        let names = try FileManager.default.contentsOfDirectory(atPath: cli.data)
        #expect(names.allSatisfy { !$0.contains("10000-") && !$0.contains("_-") && !$0.contains("0000-") }, "\(names)")
    }

    @Test func aNewKeyringOverSealedDataIsRefusedAndTheMissingKeyringNamesTheKeysTheDataNeeds() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        #expect(try cli.run(["keys", "init"]).status == 0)
        #expect(try cli.run(["ingest"], stdin: lines(3, day: today)).status == 0)
        let list = try cli.run(["keys", "list"]).stdout
        let other = cli.root + "/other-keys"
        var r = try cli.run(["keys", "init"], extraEnvironment: ["INTERACTION_MONITOR_KEYS_DIR": other])
        #expect(r.status == 2 && r.stderr.contains("would not hold"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: other + "/keyring"))
        r = try cli.run(["stats"], extraEnvironment: ["INTERACTION_MONITOR_KEYS_DIR": other])
        #expect(r.status == 2 && r.stderr.contains(other) && !r.stderr.contains("keys init"), "\(r.stderr)")
        let dataKey = list.split(separator: "\n").first { $0.contains("data") }?.split(separator: " ").first { $0.count == 16 }
        if let dataKey { #expect(r.stderr.contains(String(dataKey)), "\(r.stderr) \(list)") }
    }

    @Test func retiringAKeyAnotherStoreSharingTheKeysDirectoryNeedsIsRefused() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        let second = cli.root + "/data-2"
        #expect(try cli.run(["keys", "init"]).status == 0)
        #expect(try cli.run(["ingest"], stdin: lines(4, day: today)).status == 0)
        #expect(try cli.run(["ingest"], stdin: lines(4, day: today), extraEnvironment: ["INTERACTION_MONITOR_DATA_DIR": second]).status == 0)
        let rotate = try cli.run(["keys", "rotate"])
        #expect(rotate.status == 0, "\(rotate.stderr)")
        #expect(try cli.run(["reencrypt"]).status == 0)
        let old = try #require(rotate.stdout.split(separator: "`").first { $0.hasPrefix("keys retire ") }?.split(separator: " ").last)
        let r = try cli.run(["keys", "retire", String(old)])
        #expect(r.status == 2 && r.stderr.contains(second), "\(r.stdout) \(r.stderr)")
        let stats = try cli.run(["stats", "--json"], extraEnvironment: ["INTERACTION_MONITOR_DATA_DIR": second])
        #expect(stats.status == 0 && stats.stdout.contains("\"total_interactions\":4"), "\(stats.stderr)")
        // The shared journal: each store's audit shows its own operations only.
        let secondAudit = try cli.run(["audit"], extraEnvironment: ["INTERACTION_MONITOR_DATA_DIR": second])
        let journalLine = secondAudit.stdout.split(separator: "\n").first { $0.hasPrefix("journal") } ?? ""
        #expect(!journalLine.contains("keys rotate") && !journalLine.contains("reencrypt"), "\(journalLine)")
        // Once the second store is re-encrypted too, the key can go.
        #expect(try cli.run(["reencrypt"], extraEnvironment: ["INTERACTION_MONITOR_DATA_DIR": second]).status == 0)
        let retired = try cli.run(["keys", "retire", String(old)])
        #expect(retired.status == 0, "\(retired.stderr)")
    }
}
