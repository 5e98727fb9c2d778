import Foundation
import InteractionMonitorTestKit
import Testing

@testable import InteractionMonitor
@testable import InteractionMonitorAnalytics

/// The privacy budget: charged before release, exact, sealed; an overspend is refused and writes nothing; each
/// user's contribution is clipped.
struct PrivacyLedgerTests {
    @Test func chargesAreExactAndAnOverspendIsRefusedWithoutWriting() throws {
        let store = InMemorySegmentStore()
        let keyring = try TestKeyring.make()
        let tenth = try PrivacyAmount(parsing: "0.1")
        #expect(throws: InteractionMonitorError.self) { try PrivacyLedger.charge(tenth, command: "stats", store: store, keyring: keyring) }
        #expect(try store.readBlob(named: PrivacyLedger.blobName) == nil)
        try PrivacyLedger.setBudget(try PrivacyAmount(parsing: "1"), store: store, keyring: keyring)
        for _ in 0..<10 { try PrivacyLedger.charge(tenth, command: "stats", store: store, keyring: keyring) }
        let full = try PrivacyLedger.read(store: store, keyring: keyring)
        #expect(full.spent == (try PrivacyAmount(parsing: "1")) && full.spends.count == 10 && full.remaining?.micros == 0)
        let before = try store.readBlob(named: PrivacyLedger.blobName)
        do {
            try PrivacyLedger.charge(PrivacyAmount(micros: 1), command: "stats", store: store, keyring: keyring)
            Issue.record("an overspend must be refused")
        } catch let e as InteractionMonitorError {
            #expect(e.code.isConfigurationOrKey && e.message.contains("exceed the privacy budget"))
        }
        #expect(try store.readBlob(named: PrivacyLedger.blobName) == before)
        // The budget cannot be lowered below what was spent; the ledger is sealed (no plaintext command names).
        #expect(throws: InteractionMonitorError.self) { try PrivacyLedger.setBudget(try PrivacyAmount(parsing: "0.5"), store: store, keyring: keyring) }
        #expect(!String(decoding: before ?? [], as: UTF8.self).contains("stats"))
    }

    @Test func contributionsAboveTheBoundAreClipped() throws {
        var clipped = NoisyStatistics.Clipped(maxContribution: 3)
        let t = Timestamp(microsecondsSinceEpoch: 0)
        for _ in 0..<50 { clipped.add(Interaction(timestamp: t, interactionType: .cliCommand, command: "x", status: .success, durationMs: 1, userHash: "heavy")) }
        for u in 0..<4 { clipped.add(Interaction(timestamp: t, interactionType: .cliCommand, command: "x", status: .failure, durationMs: 1, userHash: "u\(u)")) }
        clipped.add(Interaction(timestamp: t, interactionType: .cliCommand, command: "x", status: .success, durationMs: 1))
        let counts = clipped.counts
        #expect(counts.byStatus == [3 + 1, 4, 0, 0] && counts.users == 6)
        // With a huge ε the noise is almost always 0: the release shows the clipped counts.
        let release = try NoisyStatistics.release(clipped, epsilon: try PrivacyAmount(parsing: "1000000"))
        #expect(release.byStatus[.success] == 4 && release.byStatus[.failure] == 4 && release.uniqueUsers == 6)
    }
}
