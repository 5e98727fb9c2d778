import Foundation
import Testing

/// Strict fields through the CLI: a configuration file declares the keys; `ingest` stores only those, and `audit`
/// shows what was dropped, by key name only.
struct StrictFieldsCLITests {
    @Test func ingestStoresOnlyDeclaredKeysAndAuditCountsTheRest() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        let config = cli.root + "/fields.conf"
        try "declare region\ndeclare retries\nstrict\n".write(toFile: config, atomically: true, encoding: .utf8)
        let env = ["INTERACTION_MONITOR_SCRUB_CONFIG": config]
        #expect(try cli.run(["keys", "init"]).status == 0)
        let lines = (0..<5).map { n in
            #"{"command":"deploy","status":"success","duration_ms":5,"metadata":{"region":"eu","retries":\#(n),"contact":"alice@example.com","debug_blob":"secret-\#(n)"}}"#
        }.joined(separator: "\n") + "\n"
        var r = try cli.run(["ingest"], stdin: lines, extraEnvironment: env)
        #expect(r.status == 0, "\(r.stderr)")
        r = try cli.run(["decrypt"])
        #expect(r.stdout.split(separator: "\n").count == 5)
        #expect(!r.stdout.contains("contact") && !r.stdout.contains("debug_blob") && r.stdout.contains("\"region\":\"eu\""))
        r = try cli.run(["audit", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let o = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any] ?? [:]
        #expect(o["undeclared_metadata_keys"] as? [String: Int] == ["contact": 5, "debug_blob": 5], "\(r.stdout)")
        #expect(!r.stdout.contains("alice@example.com") && !r.stdout.contains("secret-"))
        r = try cli.run(["audit"])
        #expect(r.stdout.contains("dropped by strict fields: contact (5), debug_blob (5)"), "\(r.stdout)")
    }
}
