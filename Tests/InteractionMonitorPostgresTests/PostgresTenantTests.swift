import Foundation
import InteractionMonitor
import InteractionMonitorPostgres
import InteractionMonitorTestKit
import Testing

@Suite("PostgreSQL store: tenants", .enabled(if: TestDatabase.available, TestDatabase.skipReason))
struct PostgresTenantTests {
    func monitor(_ store: any SegmentStore, _ keyring: Keyring) throws -> InteractionMonitor {
        var c = InteractionMonitor.Configuration(dataDirectory: "unused", keysDirectory: "unused")
        c.retentionDays = nil
        return try InteractionMonitor(configuration: c, store: store, keyring: keyring)
    }

    func read(_ store: any SegmentStore, _ keyring: Keyring) throws -> (hashes: Set<String>, count: Int, report: StoreReport) {
        var hashes = Set<String>()
        var count = 0
        let report = try DecryptingReader(store: store, keyring: keyring).read {
            count += 1
            if let h = $0.userHash { hashes.insert(h) }
        }
        return (hashes, count, report)
    }

    @Test("tenants share a database in separate schemas; frames copied across tenants fail authentication")
    func tenantsInOneDatabase() async throws {
        let base = TestDatabase.url(schema: TestDatabase.freshSchemaName("ten"))
        let alpha = try Tenant("alpha")
        let beta = try Tenant("beta")
        let gamma = try Tenant("gamma")
        let stores = try [Tenant.default, alpha, beta, gamma].map { try PostgresSegmentStore(base, tenant: $0) }
        defer { for s in stores { try? s.dropSchema() } }
        let (dStore, aStore, bStore, gStore) = (stores[0], stores[1], stores[2], stores[3])
        #expect(aStore.location.contains("_t_alpha") && !dStore.location.contains("_t_"))
        // Keyrings with the same key ids and bytes, differing only in their tenant: the tenant binding alone
        // separates them.
        let keys = try [Tenant.default, alpha, beta, gamma].map { try TestKeyring.make(seed: 4, tenant: $0) }
        for (store, keyring, count) in [(dStore, keys[0], 10), (aStore, keys[1], 30), (bStore, keys[2], 20)] {
            let m = try monitor(store, keyring)
            record(m, count, prefix: "same")
            try await m.flush()
        }
        let d = try read(dStore, keys[0])
        let a = try read(aStore, keys[1])
        let b = try read(bStore, keys[2])
        #expect(d.count == 10 && a.count == 30 && b.count == 20)
        #expect(!d.report.hasErrors && !a.report.hasErrors && !b.report.hasErrors)
        // Another tenant's keyring reads nothing of alpha's.
        let cross = try read(aStore, keys[2])
        #expect(cross.count == 0 && cross.report.hasErrors)
        // alpha's frames copied byte for byte into gamma's schema are rejected by gamma's verify.
        _ = try StoreCopier(source: aStore, destination: gStore).copy { _, _ in }
        let moved = try DecryptingReader(store: gStore, keyring: keys[3]).verify()
        #expect(moved.hasErrors && moved.issues.contains { $0.message.contains("authentication") }, "\(moved.issues)")
        #expect(try read(gStore, keys[3]).count == 0)
    }
}

/// `--tenant` with `--store postgres://…` through the CLI: one schema per tenant, separate keys and counts.
@Suite("PostgreSQL store: tenants through the CLI", .enabled(if: TestDatabase.available, TestDatabase.skipReason))
struct PostgresTenantCLITests {
    @Test("two tenants ingest into one database; counts, hashes and erasure stay apart")
    func tenantsThroughTheCLI() throws {
        let root = try TemporaryDirectory()
        defer { root.remove() }
        let url = TestDatabase.url(schema: TestDatabase.freshSchemaName("tcli"))
        let stores = try [Tenant.default, try Tenant("alpha"), try Tenant("beta")].map { try PostgresSegmentStore(url, tenant: $0) }
        defer { for s in stores { try? s.dropSchema() } }
        #expect(try CLIBinary.run(["keys", "init"], root: root.path).status == 0)
        let lines = ingestLines(count: 70, prefix: "t", users: 7)
        for tenant in ["alpha", "beta"] {
            let r = try CLIBinary.run(["ingest", "--store", url, "--tenant", tenant], root: root.path, stdin: lines)
            #expect(r.status == 0, "\(r.stderr)")
        }
        #expect(try CLIBinary.run(["ingest", "--store", url, "--tenant", "alpha"], root: root.path, stdin: lines).status == 0)
        func total(_ tenant: String) throws -> Int? {
            let r = try CLIBinary.run(["stats", "--json", "--store", url, "--tenant", tenant], root: root.path)
            return (try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])?["total_interactions"] as? Int
        }
        #expect(try total("alpha") == 140 && total("beta") == 70 && total("default") == 0)
        // Each tenant's rows are in its own schema; the default schema holds none.
        #expect(try stores[1].days().count == 1 && stores[2].days().count == 1 && stores[0].days().isEmpty)
        let forget = try CLIBinary.run(["forget", "user-2", "--store", url, "--tenant", "beta"], root: root.path)
        #expect(forget.status == 0, "\(forget.stderr)")
        #expect(try total("alpha") == 140 && total("beta") == 60)
        // A keyring for the wrong tenant is refused (alpha's keys copied to gamma's place).
        try FileManager.default.copyItem(atPath: root.path + "/keys/tenants/alpha", toPath: root.path + "/keys/tenants/gamma")
        let wrong = try CLIBinary.run(["stats", "--store", url, "--tenant", "gamma"], root: root.path)
        #expect(wrong.status == 2 && wrong.stderr.contains("belongs to tenant alpha"), "\(wrong.stderr)")
    }
}
