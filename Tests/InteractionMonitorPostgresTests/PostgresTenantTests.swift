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
