import Foundation
import InteractionMonitor
import InteractionMonitorPostgres
import InteractionMonitorTestKit
import Testing

/// The operator's commands run unchanged against a PostgreSQL store: rotation and re-encryption, retirement,
/// erasure, retention, audit, the analyzers and the report.
@Suite("PostgreSQL store: operator commands", .enabled(if: TestDatabase.available, TestDatabase.skipReason))
struct PostgresOperationsTests {
    func keyList(_ url: String, _ root: String) throws -> [[String: Any]] {
        let r = try CLIBinary.run(["keys", "list", "--json", "--store", url], root: root)
        let data = Data(r.stdout.utf8)
        return (try JSONSerialization.jsonObject(with: data) as? [[String: Any]]) ?? []
    }

    @Test("rotate, reencrypt, retire, forget, cleanup, audit, stats, report and verify against PostgreSQL")
    func operatorCommands() throws {
        let root = try TemporaryDirectory()
        defer { root.remove() }
        let schema = TestDatabase.freshSchemaName("ops")
        let url = TestDatabase.url(schema: schema)
        let store = try PostgresSegmentStore(url)
        defer { try? store.dropSchema() }
        #expect(try CLIBinary.run(["keys", "init"], root: root.path).status == 0)
        // 350 records over 7 users (50 each) today, plus 20 of user-6 dated long ago (removed by cleanup).
        var lines = ingestLines(count: 350, prefix: "op", users: 7)
        for n in 0..<20 {
            lines += #"{"timestamp":"2020-01-0\#(n % 9 + 1)T10:00:00Z","command":"old-\#(n)","status":"success","duration_ms":5,"user_id":"user-6"}"# + "\n"
        }
        let ingest = try CLIBinary.run(["ingest", "--store", url], root: root.path, stdin: lines)
        #expect(ingest.status == 0, "\(ingest.stderr)")
        let oldKey = try keyList(url, root.path).first { $0["purpose"] as? String == "data" }?["id"] as? String
        #expect(oldKey != nil)

        #expect(try CLIBinary.run(["keys", "rotate"], root: root.path).status == 0)
        let refused = try CLIBinary.run(["keys", "retire", oldKey ?? "", "--store", url], root: root.path)
        #expect(refused.status == 2, "\(refused.stdout) \(refused.stderr)")
        let reencrypt = try CLIBinary.run(["reencrypt", "--store", url], root: root.path)
        #expect(reencrypt.status == 0, "\(reencrypt.stderr)")
        let retire = try CLIBinary.run(["keys", "retire", oldKey ?? "", "--store", url], root: root.path)
        #expect(retire.status == 0, "\(retire.stderr)")

        let forget = try CLIBinary.run(["forget", "user-3", "--store", url], root: root.path)
        #expect(forget.status == 0, "\(forget.stderr)")
        let cleanup = try CLIBinary.run(["cleanup", "--retention-days", "90", "--store", url], root: root.path)
        #expect(cleanup.status == 0, "\(cleanup.stderr)")

        let stats = try CLIBinary.run(["stats", "--store", url], root: root.path)
        #expect(stats.status == 0 && stats.stdout.contains("Interactions:   300"), "\(stats.stdout) \(stats.stderr)")
        let verify = try CLIBinary.run(["verify", "--store", url], root: root.path)
        #expect(verify.status == 0 && verify.stdout.contains("intact"), "\(verify.stdout) \(verify.stderr)")
        let audit = try CLIBinary.run(["audit", "--json", "--store", url], root: root.path)
        #expect(audit.status == 0, "\(audit.stderr)")
        let auditJSON = try JSONSerialization.jsonObject(with: Data(audit.stdout.utf8)) as? [String: Any]
        let keys = auditJSON?["keys"] as? [[String: Any]] ?? []
        let old = keys.first { $0["id"] as? String == oldKey }
        #expect(old?["status"] as? String == "retired" && old?["segments"] as? Int == 0, "\(audit.stdout)")
        #expect(auditJSON?["records"] as? Int == 300)
        let report = try CLIBinary.run(["report", "--output", root.path + "/r.html", "--store", url], root: root.path)
        #expect(report.status == 0, "\(report.stderr)")
        #expect(FileManager.default.fileExists(atPath: root.path + "/r.html"))
        // Nothing was written to the local data directory: the store is the database.
        #expect(!FileManager.default.fileExists(atPath: root.path + "/data/manifest.enc"))
        let rows = try store.administrativeQuery("SELECT count(*)::text FROM \"\(schema)\".segments WHERE day < '2021-01-01'")
        #expect(rows == [["0"]])
    }
}
