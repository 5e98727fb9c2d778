import Foundation
import Testing

@testable import InteractionMonitor

struct TamperDetectionTests {
    let day = Day("2026-11-20")!

    @Test func intactStoreVerifiesAndReadsBack() throws {
        let dir = TemporaryDirectory()
        let (store, keyring, written) = try makeStore(in: dir)
        let (got, report) = try readAll(store, keyring)
        #expect(!report.hasErrors, "\(report.issues)")
        #expect(got == written)
        #expect(report.segmentsVerified == 5)
    }

    @Test func noPlaintextReachesDisk() async throws {
        let dir = TemporaryDirectory()
        let keyring = try Keyring.loadOrCreate(directory: dir.keys)
        let monitor = try InteractionMonitor(
            configuration: .init(dataDirectory: dir.data, keysDirectory: dir.keys), store: FileSegmentStore(directory: dir.data),
            keyring: keyring)
        monitor.record(
            .cliCommand, command: "super-secret-command", status: .success, durationMs: 1, userID: "raw-user-id-4711",
            sessionID: "sess-xyz", metadata: ["customer": "ACME-metadata-value", "nested": ["deep": "nested-secret-value"]])
        try await monitor.flush()
        #expect(try mode(of: dir.data) == 0o700)
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.data) {
            #expect(try mode(of: dir.data + "/" + name) == 0o600, "\(name)")
            let bytes = try readBytes(dir.data + "/" + name)
            for needle in ["super-secret-command", "raw-user-id-4711", "ACME-metadata-value", "nested-secret-value", "customer", "sess-xyz"] {
                #expect(!bytes.contains(needle), "\(needle) found in \(name)")
            }
        }
        #expect(try monitor.storedInteractionsForTest().first?.command == "super-secret-command")
    }

    @Test func everyFlippedBitIsDetectedAndNoForgedDataIsReturned() throws {
        let dir = TemporaryDirectory()
        let (store, keyring, written) = try makeStore(in: dir, segments: 3, perSegment: 2)
        let path = store.path(of: day)
        let original = try readBytes(path)
        // Every byte, one bit each (rotating), plus every bit of the first 96 bytes (the 88-byte header and more).
        var positions: [(Int, UInt8)] = original.indices.map { ($0, UInt8(1) << UInt8($0 % 8)) }
        positions += (0..<96).flatMap { i in (0..<8).map { (i, UInt8(1) << UInt8($0)) } }
        for (i, bit) in positions {
            var bytes = original
            bytes[i] ^= bit
            try writeBytes(bytes, to: path)
            let (got, report) = try readAll(store, keyring)
            #expect(report.hasErrors, "flip at \(i) undetected")
            #expect(report.issues.allSatisfy { $0.file == store.name(of: day) || $0.file == StoreManifest.blobName })
            // Whatever is returned is genuine: a subset of what was written.
            #expect(got.allSatisfy { written.contains($0) })
            #expect(got.count >= written.count - 2, "one flip should cost at most one segment")
        }
        try writeBytes(original, to: path)
        #expect(try !DecryptingReader(store: store, keyring: keyring).verify().hasErrors)
    }

    @Test func truncationAnywhereIsDetected() throws {
        let dir = TemporaryDirectory()
        let (store, keyring, _) = try makeStore(in: dir, segments: 3, perSegment: 2)
        let path = store.path(of: day)
        let original = try readBytes(path)
        let frames = try frameOffsets(original)
        var cuts = Array(stride(from: 0, to: original.count, by: 7))
        cuts += frames.map(\.offset)  // clean cuts at segment boundaries
        for cut in cuts {
            try writeBytes(Array(original[0..<cut]), to: path)
            let report = try DecryptingReader(store: store, keyring: keyring).verify()
            #expect(report.hasErrors, "cut at \(cut) undetected")
        }
    }

    @Test func reorderedDeletedAndDuplicatedSegmentsAreDetected() throws {
        let dir = TemporaryDirectory()
        let (store, keyring, written) = try makeStore(in: dir, segments: 4, perSegment: 2)
        let path = store.path(of: day)
        let original = try readBytes(path)
        let f = try frameOffsets(original).map { Array(original[$0.offset..<($0.offset + $0.length)]) }
        let variants: [(String, [[UInt8]])] = [
            ("swap 1 and 2", [f[0], f[2], f[1], f[3]]),
            ("delete 1", [f[0], f[2], f[3]]),
            ("delete first", [f[1], f[2], f[3]]),
            ("duplicate 2", [f[0], f[1], f[2], f[2], f[3]]),
        ]
        for (name, frames) in variants {
            try writeBytes(frames.flatMap { $0 }, to: path)
            let (got, report) = try readAll(store, keyring)
            #expect(report.hasErrors, "\(name) undetected")
            #expect(report.issues.contains { $0.severity == .error && $0.segment != nil }, "\(name): no segment named")
            #expect(got.allSatisfy { written.contains($0) })
            #expect(Set(got.map(\.command)).count == got.count, "\(name): duplicate records returned")
        }
    }

    @Test func segmentMovedToAnotherDayIsDetected() throws {
        let dir = TemporaryDirectory()
        let other = Day("2026-11-21")!
        let (store, keyring, _) = try makeStore(in: dir, segments: 2, perSegment: 2)
        _ = try SegmentWriter(store: store).write([sample(day: other, n: 99)], batchSize: 10, keyring: keyring)
        let a = try readBytes(store.path(of: day))
        let frames = try frameOffsets(a)
        let moved = Array(a[frames[1].offset..<(frames[1].offset + frames[1].length)])
        try writeBytes(Array(a[0..<frames[1].offset]), to: store.path(of: day))
        try writeBytes(try readBytes(store.path(of: other)) + moved, to: store.path(of: other))
        let (got, report) = try readAll(store, keyring)
        #expect(report.issues.contains { $0.file == store.name(of: other) && $0.message.contains("moved") })
        #expect(report.issues.contains { $0.file == store.name(of: day) && $0.message.contains("truncated") })
        #expect(!got.contains { $0.timestamp.day != day && $0.command.hasPrefix("cmd-") && $0.command != "cmd-99" })
    }

    @Test func deletedDayFileAndDeletedManifestAreDetected() throws {
        let dir = TemporaryDirectory()
        let (store, keyring, _) = try makeStore(in: dir, segments: 1, perSegment: 1)
        _ = try SegmentWriter(store: store).write([sample(day: Day("2026-11-22")!, n: 1)], batchSize: 10, keyring: keyring)
        try FileManager.default.removeItem(atPath: store.path(of: day))
        var report = try DecryptingReader(store: store, keyring: keyring).verify()
        #expect(report.issues.contains { $0.file == store.name(of: day) && $0.message.contains("missing") })
        try FileManager.default.removeItem(atPath: dir.data + "/" + StoreManifest.blobName)
        report = try DecryptingReader(store: store, keyring: keyring).verify()
        #expect(report.issues.contains { $0.file == StoreManifest.blobName })
    }

    @Test func wrongKeyringReadsNothingAndSaysSo() throws {
        let dir = TemporaryDirectory()
        let (store, _, _) = try makeStore(in: dir, segments: 2, perSegment: 2)
        let (got, report) = try readAll(store, try Keyring.generate())
        #expect(got.isEmpty)
        #expect(report.issues.contains { $0.message.contains("keyring does not hold") })
    }

    @Test func aTornTailNoWriteAnnouncedIsReportedAndKeptByLaterWrites() throws {
        let dir = TemporaryDirectory()
        let (store, keyring, written) = try makeStore(in: dir, segments: 3, perSegment: 2)
        let path = store.path(of: day)
        let bytes = try readBytes(path)
        let frames = try frameOffsets(bytes)
        // Half of a segment at the end that no write of this store announced (planted, not a crash).
        let last = Array(bytes[frames[2].offset..<(frames[2].offset + frames[2].length)])
        try writeBytes(bytes + last.prefix(last.count / 2), to: path)
        var (got, report) = try readAll(store, keyring)
        #expect(got == written)
        #expect(report.issues.contains { $0.severity == .error && $0.message.contains("incomplete segment") })
        // A later write keeps the bytes (evidence) and appends after them; the finding stays.
        let more = [sample(day: day, n: 50), sample(day: day, n: 51)]
        _ = try SegmentWriter(store: store).write(more, batchSize: 10, keyring: keyring)
        (got, report) = try readAll(store, keyring)
        #expect(got == written + more)
        #expect(report.hasErrors, "\(report.issues)")
        #expect(try readBytes(path).starts(with: bytes + last.prefix(last.count / 2)))
    }

    @Test func anInterruptedWriteTheManifestAnnouncedIsANoteAndTheNextWriteRemovesIt() throws {
        let dir = TemporaryDirectory()
        let (store, keyring, written) = try makeStore(in: dir, segments: 3, perSegment: 2)
        let path = store.path(of: day)
        let bytes = try readBytes(path)
        // What a writer killed mid-append leaves: the intent recorded, then half of its segment.
        let tail = try FrameScanner(bytes: bytes).tail()
        let (frames, end) = try SegmentWriter.seal(
            [sample(day: day, n: 40)], day: day, from: tail, batchSize: 10, keyring: keyring,
            storeID: try #require(try StoreIdentity.read(store: store)))
        try StoreManifest.update(store: store, keyring: keyring, except: []) { $0.entries[day]?.alternate = .init(end) }
        try writeBytes(bytes + frames[0].prefix(frames[0].count / 2), to: path)
        var (got, report) = try readAll(store, keyring)
        #expect(got == written)
        #expect(!report.hasErrors, "\(report.issues)")
        #expect(report.issues.contains { $0.severity == .note && $0.message.contains("interrupted write") })
        let more = [sample(day: day, n: 50), sample(day: day, n: 51)]
        _ = try SegmentWriter(store: store).write(more, batchSize: 10, keyring: keyring)
        (got, report) = try readAll(store, keyring)
        #expect(got == written + more)
        #expect(report.issues.isEmpty, "\(report.issues)")
        #expect(try readBytes(path).count == bytes.count + (try frameOffsets(try readBytes(path))).suffix(1).reduce(0) { $0 + $1.length })
    }

    @Test func garbageFilesAndHostileLengthsNeverCrash() throws {
        let dir = TemporaryDirectory()
        let (store, keyring, _) = try makeStore(in: dir, segments: 1, perSegment: 1)
        let path = store.path(of: day)
        var rng = SystemRandomNumberGenerator()
        for (size, version) in [0, 1, 4, 71, 72, 80, 87, 88, 100, 4096].flatMap({ s in [(s, UInt8(1)), (s, UInt8(2))] }) {
            var junk = (0..<size).map { _ in UInt8.random(in: 0...255, using: &rng) }
            if size >= 72 {
                junk.replaceSubrange(0..<4, with: Array("IMSG".utf8))
                junk[4] = version
                junk[5] = 1
                junk[6] = 0
                junk[7] = 0
                junk.replaceSubrange(68..<72, with: [0xff, 0xff, 0xff, 0xf0])  // absurd length
            }
            try writeBytes(junk, to: path)
            let report = try DecryptingReader(store: store, keyring: keyring).verify()
            #expect(report.hasErrors || size == 0)
        }
    }
}

extension InteractionMonitor {
    func storedInteractionsForTest() throws -> [Interaction] {
        var all: [Interaction] = []
        try DecryptingReader(store: store, keyring: keyring).read { all.append($0) }
        return all
    }
}
