import Foundation
import InteractionMonitor
import InteractionMonitorPostgres
import InteractionMonitorTestKit
import Testing

@Suite("PostgreSQL store: processes, outages, what the server sees", .enabled(if: TestDatabase.available, TestDatabase.skipReason))
struct PostgresFleetTests {
    @Test("8 ingest processes write one database: exact counts, verify clean")
    func eightWriters() throws {
        let root = try TemporaryDirectory()
        defer { root.remove() }
        let schema = TestDatabase.freshSchemaName("fleet")
        let url = TestDatabase.url(schema: schema)
        let store = try PostgresSegmentStore(url)
        defer { try? store.dropSchema() }
        #expect(try CLIBinary.run(["keys", "init"], root: root.path).status == 0)
        let perProcess = 600
        var processes: [(Process, Pipe, Pipe)] = []
        for p in 0..<8 {
            processes.append(
                try CLIBinary.start(
                    ["ingest", "--store", url, "--batch-size", "50"], root: root.path,
                    stdin: ingestLines(count: perProcess, prefix: "p\(p)")))
        }
        for (n, (p, out, err)) in processes.enumerated() {
            let r = ProgramRun.finish(p, out, err)
            #expect(r.status == 0, "process \(n): \(r.stderr)")
            #expect(r.stdout.contains("recorded \(perProcess) interactions, dropped 0"), "process \(n): \(r.stdout)")
        }
        let keyring = try Keyring.load(directory: root.path + "/keys")
        var perPrefix: [String: Int] = [:]
        var seen = Set<String>()
        let report = try DecryptingReader(store: store, keyring: keyring).read { i in
            perPrefix[String(i.command.split(separator: "-")[0]), default: 0] += 1
            seen.insert(i.command)
        }
        #expect(!report.hasErrors, "\(report.issues)")
        #expect(report.interactionsRead == 8 * perProcess)
        #expect(seen.count == 8 * perProcess)
        #expect(perPrefix == Dictionary(uniqueKeysWithValues: (0..<8).map { ("p\($0)", perProcess) }))
        // Every segment holds at most 50 records; 8 writers, each a writer id of its own.
        let rows = try store.administrativeQuery(
            "SELECT count(DISTINCT writer_id)::text, (count(*) >= 8 * 12)::text FROM \"\(schema)\".segments")
        #expect(rows == [["8", "true"]])
        let verify = try CLIBinary.run(["verify", "--store", url], root: root.path)
        #expect(verify.status == 0, "\(verify.stdout) \(verify.stderr)")
        #expect(verify.stdout.contains("intact"))
        let stats = try CLIBinary.run(["stats", "--store", url], root: root.path)
        #expect(stats.stdout.contains("Interactions:   \(8 * perProcess)"), "\(stats.stdout)")
    }

    @Test("the database refuses us, then lets us in again: the store reconnects by itself")
    func outageAndRecovery() async throws {
        let admin = try TestDatabase.admin()
        let role = TestDatabase.freshSchemaName("r")
        let password = "pw-\(UInt32.random(in: 0...UInt32.max))"
        _ = try admin.administrativeQuery("CREATE ROLE \(role) LOGIN PASSWORD '\(password)'")
        _ = try admin.administrativeQuery("GRANT CREATE ON DATABASE \(try databaseName(admin)) TO \(role)")
        defer {
            _ = try? admin.administrativeQuery("ALTER ROLE \(role) LOGIN")
            _ = try? admin.administrativeQuery("DROP SCHEMA IF EXISTS \(role) CASCADE")
            _ = try? admin.administrativeQuery("REVOKE ALL ON DATABASE \(try databaseName(admin)) FROM \(role)")
            _ = try? admin.administrativeQuery("DROP ROLE IF EXISTS \(role)")
        }
        let store = try PostgresSegmentStore(TestDatabase.url(schema: role, user: role, password: password))
        let monitor = try testMonitor(store) {
            $0.maxBufferSize = 40
            $0.batchSize = 8
        }
        record(monitor, 10, prefix: "before")
        try await monitor.flush()

        // Outage: no new connections, and the open ones are cut.
        _ = try admin.administrativeQuery("ALTER ROLE \(role) NOLOGIN")
        _ = try admin.administrativeQuery("SELECT pg_terminate_backend(pid)::text FROM pg_stat_activity WHERE usename = '\(role)'")
        record(monitor, 25, prefix: "during")
        for _ in 0..<2 {
            do {
                try await monitor.flush()
                Issue.record("flush succeeded during the outage")
            } catch let error as InteractionMonitorError {
                #expect(error.code == .storage)
                #expect(!error.message.contains(password))
            }
        }
        record(monitor, 20, prefix: "overflow")  // 15 fit in the bound of 40, 5 are dropped and counted
        #expect(monitor.statistics().buffered == 40)
        #expect(monitor.statistics().totalDropped == 5)

        // Recovery: the same store connects again on the next flush.
        _ = try admin.administrativeQuery("ALTER ROLE \(role) LOGIN")
        try await monitor.flush()
        let (commands, report) = try storedCommands(store)
        #expect(!report.hasErrors, "\(report.issues)")
        #expect(commands == (0..<10).map { "before-\($0)" } + (0..<25).map { "during-\($0)" } + (0..<15).map { "overflow-\($0)" })
        #expect(monitor.statistics().buffered == 0)
        store.close()
    }

    @Test("a pg_dump of the database holds no raw user id, command, error text or PII, in text or hex")
    func dumpHoldsNoPlaintext() throws {
        guard let bin = TestDatabase.binDirectory else {
            Issue.record("pg_dump not found: set INTERACTION_MONITOR_TEST_PG_BIN")
            return
        }
        let root = try TemporaryDirectory()
        defer { root.remove() }
        let schema = TestDatabase.freshSchemaName("dump")
        let url = TestDatabase.url(schema: schema)
        let store = try PostgresSegmentStore(url)
        defer { try? store.dropSchema() }
        let secrets = [
            "zebra-user-41007", "deploy-orchid-cluster", "quota exceeded on volume heliotrope", "sess-marigold-5521",
            "kumquat-metadata-value", "opted-out-walrus-88",
        ]
        var lines = ""
        for n in 0..<40 {
            lines += #"{"command":"deploy-orchid-cluster \#(n)","status":"error","duration_ms":5,"user_id":"zebra-user-41007","session_id":"sess-marigold-5521","error_message":"quota exceeded on volume heliotrope","metadata":{"note":"kumquat-metadata-value","contact":"dana.lovelace@example.org"}}"#
            lines += "\n"
        }
        #expect(try CLIBinary.run(["keys", "init"], root: root.path).status == 0)
        let ingest = try CLIBinary.run(["ingest", "--store", url, "--batch-size", "10"], root: root.path, stdin: lines)
        #expect(ingest.status == 0, "\(ingest.stderr)")
        #expect(try CLIBinary.run(["opt-out", "--store", url, "opted-out-walrus-88"], root: root.path).status == 0)
        #expect(try CLIBinary.run(["profile", "--store", url, "--min-users", "1", "zebra-user-41007"], root: root.path).status == 0)
        #expect(try CLIBinary.run(["patterns", "--store", url, "--min-users", "1"], root: root.path).status == 0)

        // The store holds what the test wrote, readable with the keys.
        var decrypted = 0
        let report = try DecryptingReader(store: store, keyring: try Keyring.load(directory: root.path + "/keys")).read { i in
            if i.command.hasPrefix("deploy-orchid-cluster") { decrypted += 1 }
        }
        #expect(decrypted == 40)
        #expect(!report.hasErrors)

        let dump = try ProgramRun.run(
            bin + "/pg_dump", ["--dbname", TestDatabase.url!.components(separatedBy: "?")[0], "--schema", schema])
        #expect(dump.status == 0, "\(dump.stderr.prefix(300))")
        let text = dump.stdout.lowercased()
        // The dump is not empty: it holds the segments and the blobs (registry, profiles, patterns, manifest).
        #expect(text.contains("copy \(schema).segments_"))
        for blob in ["manifest.enc", "optouts.enc", "user_profiles.enc", "patterns.enc"] where !text.contains(blob) {
            Issue.record("dump lacks blob \(blob)")
        }
        for secret in secrets + ["dana.lovelace@example.org", "dana.lovelace", "example.org"] {
            let hex = secret.utf8.map { String(format: "%02x", $0) }.joined()
            #expect(!text.contains(secret.lowercased()), "dump holds \(secret)")
            #expect(!text.contains(hex), "dump holds \(secret) hex-encoded")
        }
    }

    func databaseName(_ store: PostgresSegmentStore) throws -> String {
        try store.administrativeQuery("SELECT current_database()::text").first?.first.flatMap { $0 } ?? "postgres"
    }
}
