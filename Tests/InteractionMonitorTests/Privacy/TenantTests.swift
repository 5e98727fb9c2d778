import Foundation
import InteractionMonitorTestKit
import MonitorCrypto
import Testing

@testable import InteractionMonitor

/// Tenants: several apps sharing one data and keys directory, each with its own keys, files and pseudonyms.
struct TenantTests {
    func configuration(_ dir: TemporaryDirectory, tenant: Tenant?) -> InteractionMonitor.Configuration {
        var c = InteractionMonitor.Configuration(dataDirectory: dir.data, keysDirectory: dir.keys)
        c.tenant = tenant
        c.retentionDays = nil
        return c
    }

    func feed(_ monitor: InteractionMonitor, users: Int, perUser: Int) {
        for u in 0..<users {
            for n in 0..<perUser {
                monitor.record(
                    .cliCommand, command: "build", status: n == 0 ? .failure : .success, durationMs: 10,
                    userID: "user-\(u)", errorMessage: n == 0 ? "mail user\(u)@example.com failed" : nil,
                    timestamp: Timestamp(microsecondsSinceEpoch: 1_780_000_000_000_000 + Int64(u * 100 + n)))
            }
        }
    }

    func stored(_ store: any SegmentStore, _ keyring: Keyring) throws -> (records: [Interaction], report: StoreReport) {
        var out: [Interaction] = []
        let report = try DecryptingReader(store: store, keyring: keyring).read { out.append($0) }
        return (out, report)
    }

    @Test func namesAreValidated() throws {
        for good in ["a", "billing", "app_2", String(repeating: "x", count: 20)] { #expect(try Tenant(good).name == good) }
        for bad in ["", "Billing", "2app", "a-b", "a/b", "..", "a b", "é", String(repeating: "x", count: 21)] {
            #expect(throws: InteractionMonitorError.self) { try Tenant(bad) }
        }
        #expect(try Tenant("default").isDefault && Tenant.default.isDefault)
        #expect(try Tenant(optional: nil) == .default && Tenant(optional: "") == .default)
        #expect(try Tenant("billing").dataDirectory(in: "/d") == "/d/tenants/billing")
        #expect(Tenant.default.keysDirectory(in: "/k") == "/k")
    }

    @Test func twoTenantsFedTheSameDataStaySeparate() async throws {
        let dir = TemporaryDirectory()
        let alpha = try Tenant("alpha")
        let beta = try Tenant("beta")
        let a = try InteractionMonitor(configuration: configuration(dir, tenant: alpha))
        let b = try InteractionMonitor(configuration: configuration(dir, tenant: beta))
        let d = try InteractionMonitor(configuration: configuration(dir, tenant: nil))
        feed(a, users: 4, perUser: 5)
        feed(b, users: 4, perUser: 3)
        feed(d, users: 2, perUser: 1)
        try await a.flush()
        try await b.flush()
        try await d.flush()

        // Separate keyrings (data and hash keys), directories and files.
        #expect(a.keyring.tenant == alpha && b.keyring.tenant == beta && d.keyring.tenant == .default)
        #expect(Set([a.keyring.activeDataKeyID, b.keyring.activeDataKeyID, d.keyring.activeDataKeyID]).count == 3)
        #expect(Set([a.keyring.activeHashKeyID, b.keyring.activeHashKeyID, d.keyring.activeHashKeyID]).count == 3)
        #expect(FileManager.default.fileExists(atPath: dir.keys + "/tenants/alpha/keyring"))
        #expect(FileManager.default.fileExists(atPath: dir.keys + "/tenants/beta/keyring"))
        let aStore = FileSegmentStore(directory: dir.data + "/tenants/alpha")
        let bStore = FileSegmentStore(directory: dir.data + "/tenants/beta")
        let dStore = FileSegmentStore(directory: dir.data)

        let (aRecords, aReport) = try stored(aStore, a.keyring)
        let (bRecords, bReport) = try stored(bStore, b.keyring)
        let (dRecords, dReport) = try stored(dStore, d.keyring)
        #expect(aRecords.count == 20 && bRecords.count == 12 && dRecords.count == 2)
        #expect(!aReport.hasErrors && !bReport.hasErrors && !dReport.hasErrors)
        // The default tenant's directory holds the named tenants' directories and ignores them.
        #expect(dReport.files.count == 1)

        // The same raw user ids give unrelated hashes.
        let aHashes = Set(aRecords.compactMap(\.userHash))
        let bHashes = Set(bRecords.compactMap(\.userHash))
        #expect(aHashes.count == 4 && bHashes.count == 4 && aHashes.isDisjoint(with: bHashes))
        #expect(StoreAdministrator(store: aStore, keyring: a.keyring).userHash(of: "user-1")
            != StoreAdministrator(store: bStore, keyring: b.keyring).userHash(of: "user-1"))

        // One tenant's keyring opens none of the other's segments.
        let (cross, crossReport) = try stored(bStore, a.keyring)
        #expect(cross.isEmpty && crossReport.hasErrors)

        // Forget in one tenant leaves the other intact.
        let forgotten = try StoreAdministrator(store: aStore, keyring: a.keyring).forget(userID: "user-1")
        #expect(forgotten.removed == 5)
        #expect(try stored(aStore, a.keyring).records.count == 15)
        #expect(try stored(bStore, b.keyring).records.count == 12)

        // Opt-out is per tenant: user-1 (forgotten, so opted out) only in alpha, user-2 only in beta.
        _ = try StoreAdministrator(store: bStore, keyring: b.keyring).optOut(userID: "user-2")
        try b.refreshOptOuts()
        try a.refreshOptOuts()
        feed(a, users: 3, perUser: 1)
        feed(b, users: 3, perUser: 1)
        try await a.flush()
        try await b.flush()
        #expect(try stored(aStore, a.keyring).records.count == 17)
        #expect(try stored(bStore, b.keyring).records.count == 14)
        await a.stop()
        await b.stop()
        await d.stop()
    }

    @Test func aFrameMovedToAnotherTenantFailsAuthenticationEvenUnderTheSameKey() async throws {
        // Two keyrings with identical key ids and bytes that differ only in their tenant.
        let alphaKeys = try Keyring.deterministic(seed: 9, tenant: try Tenant("alpha"))
        let betaKeys = try Keyring.deterministic(seed: 9, tenant: try Tenant("beta"))
        let defaultKeys = try Keyring.deterministic(seed: 9)
        #expect(alphaKeys.activeDataKeyID == betaKeys.activeDataKeyID)
        let store = InMemorySegmentStore()
        let monitor = try InteractionMonitor.testing(store: store, keyring: alphaKeys)
        feed(monitor, users: 2, perUser: 2)
        try await monitor.flush()
        #expect(try stored(store, alphaKeys).records.count == 4)
        for other in [betaKeys, defaultKeys] {
            let (records, report) = try stored(store, other)
            #expect(records.isEmpty && report.hasErrors)
            #expect(report.issues.contains { $0.message.contains("authentication") }, "\(report.issues)")
        }
    }

    @Test func keyringFileRecordsItsTenant() throws {
        let dir = TemporaryDirectory()
        let alpha = try Tenant("alpha")
        let path = alpha.keysDirectory(in: dir.keys)
        let created = try Keyring.create(directory: path, tenant: alpha)
        let text = String(decoding: try readBytes(path + "/keyring"), as: UTF8.self)
        #expect(text.split(separator: "\n").dropFirst().first == "tenant alpha")
        let loaded = try Keyring.load(directory: path)
        #expect(loaded.tenant == alpha && loaded.activeDataKeyID == created.activeDataKeyID)
        // Rotation keeps the tenant.
        try KeyringAdministration.rotate(directory: path, secret: nil, purpose: .data)
        #expect(try Keyring.load(directory: path).tenant == alpha)
        // Used as another tenant's keys: refused with a configuration error.
        let error = #expect(throws: InteractionMonitorError.self) {
            try Keyring.loadOrCreate(directory: path, tenant: try Tenant("beta"))
        }
        #expect(error?.code == .configuration && error?.message.contains("belongs to tenant alpha") == true)
        #expect(throws: InteractionMonitorError.self) {
            try InteractionMonitor(
                configuration: configuration(dir, tenant: try Tenant("beta")), store: InMemorySegmentStore(),
                keyring: loaded)
        }
        // A malformed tenant line is refused.
        let bad = dir.path + "/bad"
        try FileManager.default.createDirectory(atPath: bad, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for replacement in ["tenant Alpha", "tenant", "tenant a b", "tenant default"] {
            var changed = lines
            changed[1] = replacement
            try writeBytes(Array(changed.joined(separator: "\n").utf8), to: bad + "/keyring")
            chmod(bad + "/keyring", 0o600)
            let e = #expect(throws: InteractionMonitorError.self) { try Keyring.load(directory: bad) }
            #expect(e?.code == .keyringMalformed)
        }
    }

    @Test func theAdditionalDataIsTheHeaderThenTheTenantBindingAsSECURITYmdSpecifies() throws {
        // The deterministic keyring's data key: byte i = 7·i + seed.
        let key = try SecretKey(copying: (0..<32).map { UInt8(truncatingIfNeeded: $0 * 7 + 3) })
        let plaintext = Array("{\"command\":\"x\"}\n".utf8)
        let storeID = [UInt8](repeating: 0xA5, count: 16)
        for (tenant, suffix) in [(Tenant.default, [UInt8]()), (try Tenant("alpha"), Array("tenant".utf8) + [5] + Array("alpha".utf8))] {
            let keyring = try Keyring.deterministic(seed: 3, tenant: tenant)
            let (frame, _) = try SegmentCodec.seal(
                plaintext, kind: .interactions, day: Day(daysSinceEpoch: 20_000), position: .start, keyring: keyring,
                storeID: storeID)
            // Format 2: 88 header bytes, the version at offset 4, the store id at 72–88.
            #expect(frame[4] == 2)
            #expect(Array(frame[72..<88]) == storeID)
            let header = Array(frame[0..<SegmentHeader.length])
            let nonce = Array(frame[28..<52])
            let sealed = Array(frame[SegmentHeader.length..<(frame.count - SegmentHeader.trailerLength)])
            // Opened independently with exactly the specified additional data…
            #expect(try AEAD.open(sealed, nonce: nonce, additionalData: header + suffix, key: key) == plaintext)
            // …and not with the other tenant's, nor with another store's id in the header.
            let other = tenant.isDefault ? Array("tenant".utf8) + [5] + Array("alpha".utf8) : []
            #expect(throws: (any Error).self) { try AEAD.open(sealed, nonce: nonce, additionalData: header + other, key: key) }
            let otherStore = Array(header[0..<72]) + [UInt8](repeating: 0x5A, count: 16)
            #expect(throws: (any Error).self) {
                try AEAD.open(sealed, nonce: nonce, additionalData: otherStore + suffix, key: key)
            }
            // A derived file binds its name after the tenant: "name" ‖ length ‖ name.
            let (blob, _) = try SegmentCodec.seal(
                plaintext, kind: .derived, day: Day(daysSinceEpoch: 0), position: .start, keyring: keyring,
                storeID: storeID, name: "optouts.enc")
            let blobHeader = Array(blob[0..<SegmentHeader.length])
            let blobSealed = Array(blob[SegmentHeader.length..<(blob.count - SegmentHeader.trailerLength)])
            let nameBinding = Array("name".utf8) + [11] + Array("optouts.enc".utf8)
            #expect(
                try AEAD.open(
                    blobSealed, nonce: Array(blob[28..<52]), additionalData: blobHeader + suffix + nameBinding, key: key)
                    == plaintext)
            #expect(throws: (any Error).self) {
                try AEAD.open(blobSealed, nonce: Array(blob[28..<52]), additionalData: blobHeader + suffix, key: key)
            }
        }
    }
}
