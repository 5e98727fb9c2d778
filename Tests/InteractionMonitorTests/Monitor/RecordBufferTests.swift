import Foundation
import InteractionMonitorTestKit
import Testing

@testable import InteractionMonitor

/// The chunked buffer behind `record()` and the deferred work (pseudonymising, opt-outs, type interning) the
/// flush task now does for it.
struct RecordBufferTests {
    func record(_ n: Int) -> BufferedRecord {
        BufferedRecord(
            timestamp: Timestamp(microsecondsSinceEpoch: Int64(n)), durationMs: 1, command: "c\(n)", errorMessage: nil,
            sessionID: nil, userID: nil, metadata: [:], typeIndex: 0, status: .success)
    }

    @Test func aSnapshotIsRemovedWhileLaterRecordsStayInOrder() {
        var buffer = RecordBuffer()
        for n in 0..<600 { buffer.append(record(n)) }
        let snapshot = buffer.snapshot()
        // Appends during the flush go to a new chunk; the snapshot does not see them.
        for n in 600..<610 { buffer.append(record(n)) }
        #expect(snapshot.count == 600 && snapshot.records.map(\.command) == (0..<600).map { "c\($0)" })
        #expect(buffer.count == 610)
        buffer.removeSnapshot(snapshot)
        #expect(buffer.count == 10 && buffer.peek().map(\.command) == (600..<610).map { "c\($0)" })
        // A failed flush releases its snapshot: nothing is removed and appends continue in order.
        let failed = buffer.snapshot()
        buffer.release(failed)
        for n in 610..<900 { buffer.append(record(n)) }
        #expect(buffer.peek().map(\.command) == (600..<900).map { "c\($0)" })
        let all = buffer.snapshot()
        buffer.removeSnapshot(all)
        #expect(buffer.isEmpty && buffer.peek().map(\.command).isEmpty)
    }

    @Test func aBufferedRecordStaysSmall() {
        // The buffer's memory per record (issue 7: ≤ 100 KB per 1000 buffered records).
        #expect(MemoryLayout<BufferedRecord>.stride <= 96)
    }

    @Test func customTypesRoundTripAndATypeFloodIsStoredAsOther() async throws {
        let store = InMemorySegmentStore()
        let monitor = try InteractionMonitor.testing(store: store) { $0.maxBufferSize = 10_000 }
        monitor.record("background_job", command: "reindex", status: .success, durationMs: 3)
        monitor.record(.apiRequest, command: "GET /", status: .success, durationMs: 1)
        for n in 0..<(InteractionTypeTable.capacity + 10) {
            monitor.record(InteractionType("generated_\(n)"), command: "g", status: .success, durationMs: 1)
        }
        try await monitor.flush()
        let stored = try monitor.storedInteractions()
        #expect(stored.count == InteractionTypeTable.capacity + 12)
        #expect(stored[0].interactionType == "background_job" && stored[1].interactionType == .apiRequest)
        // The table holds cli_command, api_request, other and background_job before the generated names.
        let fitted = InteractionTypeTable.capacity - 4
        #expect(stored.filter { $0.interactionType == InteractionTypeTable.overflow }.count == InteractionTypeTable.capacity + 10 - fitted)
        #expect(Set(stored.map(\.interactionType)).count == InteractionTypeTable.capacity - 1)  // no cli_command here
    }

    @Test func usersArePseudonymisedAtFlushAndOptOutsMadeMeanwhileApply() async throws {
        let store = InMemorySegmentStore()
        let monitor = try InteractionMonitor.testing(store: store)
        monitor.record(.cliCommand, command: "a", status: .success, durationMs: 1, userID: "alice")
        monitor.record(.cliCommand, command: "b", status: .success, durationMs: 1, userID: "bob")
        // Bob opts out (another process) after his record was buffered but before it was written.
        _ = try StoreAdministrator(store: store, keyring: monitor.keyring).optOut(userID: "bob")
        try await monitor.flush()
        let stored = try monitor.storedInteractions()
        #expect(stored.map(\.command) == ["a"])
        #expect(stored[0].userHash == StoreAdministrator(store: store, keyring: monitor.keyring).userHash(of: "alice"))
        #expect(monitor.statistics().dropped[.optedOut] == 1)
    }
}
