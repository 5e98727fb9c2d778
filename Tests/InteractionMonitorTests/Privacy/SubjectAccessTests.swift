import Foundation
import InteractionMonitorTestKit
import Testing

@testable import InteractionMonitor

struct SubjectAccessTests {
    @Test func reportsOnlyTheSubjectsRecordsWithFilesKeysProfileAndOptOut() async throws {
        let store = InMemorySegmentStore()
        let monitor = try InteractionMonitor.testing(store: store)
        for n in 0..<6 {
            monitor.record(.cliCommand, command: "deploy", status: n == 0 ? .failure : .success, durationMs: 5, userID: "alice",
                           errorMessage: n == 0 ? "mail alice@example.com failed" : nil)
            monitor.record(.cliCommand, command: "build", status: .success, durationMs: 5, userID: "bob")
        }
        monitor.record(.cliCommand, command: "anonymous", status: .success, durationMs: 1)
        try await monitor.flush()
        let admin = StoreAdministrator(store: store, keyring: monitor.keyring)
        _ = try admin.optOut(userID: "bob")

        let alice = try admin.subjectAccess(userID: "alice")
        #expect(alice.interactions.count == 6 && alice.interactions.allSatisfy { $0.userHash == admin.userHash(of: "alice") })
        #expect(alice.interactions.allSatisfy { $0.command == "deploy" })
        #expect(alice.interactions.first?.errorMessage == "mail [EMAIL] failed")
        #expect(alice.holders.count == 1 && alice.holders[0].interactions == 6 && alice.holders[0].keyIDs == [monitor.keyring.activeDataKeyID])
        #expect(alice.profile?.totalInteractions == 6 && alice.optedOutSince == nil)
        #expect(!alice.storeReport.hasErrors)

        let bob = try admin.subjectAccess(userID: "bob")
        #expect(bob.interactions.count == 6 && bob.optedOutSince != nil && bob.derivedFiles.contains(OptOutRegistry.blobName))

        let nobody = try admin.subjectAccess(userID: "nobody")
        #expect(nobody.interactions.isEmpty && nobody.holders.isEmpty && nobody.profile == nil)
        // The JSON form carries no raw id.
        let text = alice.json.jsonText
        #expect(!text.contains("\"alice\"") && !text.contains("alice@example.com") && text.contains("\"user_hashes\""))
    }
}
