import InteractionMonitorTestKit
import Testing

@testable import InteractionMonitor

/// The flush's privacy transform on its own, without a monitor: what a buffered record becomes before it is encoded.
struct PrivacyTransformTests {
    func record(_ command: String, user: String?, session: String? = nil, metadata: [String: JSONValue] = [:]) -> BufferedRecord {
        BufferedRecord(
            timestamp: Timestamp(iso8601: "2026-11-20T10:00:00Z")!, durationMs: 5, command: command, errorMessage: nil,
            sessionID: session, userID: user, metadata: metadata, typeIndex: 0, status: .success)
    }

    @Test func idsArePseudonymisedOptedOutUsersLeftOutAndTextScrubbed() throws {
        let keyring = try TestKeyring.make()
        let keys = InteractionMonitor.KeyState(keyring: keyring)
        let transform = PrivacyTransform(scrubber: PIIScrubber(), sessionIDPolicy: .automatic)
        var registry = OptOutRegistry()
        registry.insert(.init(hashKeyID: keyring.activeHashKeyID, userHash: keys.pseudonymiser.hash("bob"), since: .now()))
        let token = "a1b2c3d4e5f6a7b8c9d0"
        let records = [
            record("mail alice@example.com", user: "alice", session: token, metadata: ["region": "eu", "n": 3]),
            record("deploy", user: "bob"),
            record("deploy", user: nil, metadata: ["password": "hunter2", "note": "call +1 415 555 0100"]),
        ]
        let batch = transform.storedBatch(
            records, count: 3, keys: keys, registry: registry, types: [.cliCommand], firstSequence: 10)
        #expect(batch.optedOut == 1 && batch.lines.days.map(\.sequences) == [[10, 12]], "each stored line keeps its record's number")
        let stored = batch.interactions()
        let first = stored[0]
        #expect(first.userHash == keys.pseudonymiser.hash("alice") && first.userHash != "alice")
        #expect(first.sessionID != token && first.sessionID?.count == 32, "a token-like session id is pseudonymised")
        #expect(!first.command.contains("alice@example.com"))
        #expect(first.metadata == ["region": "eu", "n": 3], "clean metadata is stored as it is")
        let third = stored[1]
        #expect(third.metadata["password"] == .string(InteractionMonitor.redactedValue))
        #expect(third.metadata["note"]?.stringValue?.contains("555") == false)
        #expect(third.userHash == nil)
    }
}
