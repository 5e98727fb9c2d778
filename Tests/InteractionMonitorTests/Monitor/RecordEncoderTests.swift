import InteractionMonitorTestKit
import Testing

@testable import InteractionMonitor

/// The single-pass encoder against the reference: the stored line of a buffered record is exactly what the
/// writer gives for the record the privacy transform returns, whatever the metadata holds.
struct RecordEncoderTests {
    static let day = Timestamp(iso8601: "2026-11-20T10:00:00Z")!

    func buffered(_ n: Int, metadata: [String: JSONValue], error: String? = nil, command: String = "deploy") -> BufferedRecord {
        BufferedRecord(
            timestamp: Timestamp(microsecondsSinceEpoch: Self.day.microsecondsSinceEpoch + Int64(n) * 1_000_003),
            durationMs: n % 3 == 0 ? 1.5 : Double(n), command: command, errorMessage: error, sessionID: nil,
            userID: nil, metadata: metadata, typeIndex: 0, status: n % 4 == 0 ? .failure : .success)
    }

    func reference(_ r: BufferedRecord, _ transform: PrivacyTransform) -> [UInt8] {
        let i = Interaction(
            timestamp: r.timestamp, interactionType: .cliCommand, command: r.command, status: r.status,
            durationMs: r.durationMs, errorMessage: r.errorMessage,
            metadata: transform.scrubber.configuration.strictFields
                ? r.metadata.filter { transform.scrubber.configuration.declaredMetadataKeys.contains($0.key) } : r.metadata)
        var w = JSONWriter()
        w.write(transform.scrubbedForStorage(i))
        w.append(UInt8(ascii: "\n"))
        return w.bytes
    }

    func encoded(_ records: [BufferedRecord], _ transform: PrivacyTransform) throws -> [[UInt8]] {
        let keys = InteractionMonitor.KeyState(keyring: try TestKeyring.make())
        let batch = transform.storedBatch(records, count: records.count, keys: keys, registry: OptOutRegistry(), types: [.cliCommand])
        var out: [[UInt8]] = []
        for day in batch.lines.days { day.forEachLine { out.append(Array($0) + [UInt8(ascii: "\n")]) } }
        return out
    }

    static let samples: [[String: JSONValue]] = [
        [:],
        ["region": "eu-west-1", "retries": 3, "dry_run": true, "ratio": 0.25, "none": .null],
        ["retries": 3, "region": "eu-west-1", "ratio": 0.25, "dry_run": true, "none": .null],  // same set, other order
        ["contact": "alice.smith@example.com", "note": "call +1 415 555 0100 from 203.0.113.42"],
        ["password": "hunter2", "X-Api-Key": "sk_live_abc", "session": "s", "session_id": "abc"],
        ["nested": .object(["email": "bob@example.com", "deeper": .array(["x", 1, .object(["token": "t"])])])],
        ["list": .array(["a", "carol@example.org", 2.5, .null])],
        ["quote\"key": "tab\tand\nnewline \u{1} control", "é-ünïcode": "naïve café 日本"],
        ["bob@example.com": "key holds an email", "z": "last", "a": "first"],
        ["long": .string(String(repeating: "x", count: 300) + " dave@example.com")],
        ["huge": .string(String(repeating: "y ", count: 9000))],
        [String(repeating: "k", count: 300): "long key"],
    ]

    @Test func linesEqualTheReferenceEncoding() throws {
        let transform = PrivacyTransform(scrubber: PIIScrubber(), sessionIDPolicy: .automatic)
        var records: [BufferedRecord] = []
        for n in 0..<(Self.samples.count * 3) {
            // Each metadata shape several times (the remembered shapes and texts must give the same bytes).
            records.append(
                buffered(
                    n, metadata: Self.samples[n % Self.samples.count],
                    error: n % 2 == 0 ? "connection refused by 198.51.100.7 for erin@example.com" : nil,
                    command: n % 5 == 0 ? "mail frank@example.com --token=abc123def456ghi789" : "deploy"))
        }
        let lines = try encoded(records, transform)
        #expect(lines.count == records.count)
        for (r, line) in zip(records, lines) {
            #expect(line == reference(r, transform), "\(String(decoding: line, as: UTF8.self))")
        }
    }

    /// The encoder keeps the second it wrote last and writes only the fraction for records within it: records
    /// at a second's first and last microsecond, going back in time, before 1970 and at the ends of the years a
    /// day file can hold are written exactly as the reference writes them.
    @Test func timestampsAroundSecondBoundariesGiveTheReferenceBytes() throws {
        let transform = PrivacyTransform(scrubber: PIIScrubber(), sessionIDPolicy: .automatic)
        let base = Self.day.microsecondsSinceEpoch
        let earliest = Timestamp(iso8601: "0001-01-01T00:00:00Z")!.microsecondsSinceEpoch
        let latest = Timestamp(iso8601: "9999-12-31T23:59:59.999999Z")!.microsecondsSinceEpoch
        let times: [Int64] = [
            base, base + 999_999, base + 1_000_000, base + 999_999, base - 1, base + 1_000_000 * 86_400 + 5,
            -1, 0, -1_000_000, -1_000_001, -999_999, 1, earliest, earliest + 1_000_000, latest, latest - 999_999,
            latest, base,
        ]
        let records = times.enumerated().map { n, t in
            var r = buffered(n, metadata: [:])
            r.timestamp = Timestamp(microsecondsSinceEpoch: t)
            return r
        }
        // Lines are grouped by day: the two sets of lines are compared.
        let lines = try encoded(records, transform)
        #expect(lines.count == records.count)
        let text = { (line: [UInt8]) in String(decoding: line, as: UTF8.self) }
        #expect(lines.map(text).sorted() == records.map { text(reference($0, transform)) }.sorted())
    }

    /// A middleware hands every request the same dictionary: after the second record in a row the encoder writes
    /// the bytes it remembered, and a changed copy (another storage) is encoded afresh.
    @Test func oneDictionaryRecordAfterRecordGivesTheReferenceBytes() throws {
        let transform = PrivacyTransform(scrubber: PIIScrubber(), sessionIDPolicy: .automatic)
        var records: [BufferedRecord] = []
        for sample in Self.samples {
            for n in 0..<4 { records.append(buffered(n, metadata: sample)) }
            var changed = sample
            changed["extra"] = "grace@example.com"
            records.append(buffered(4, metadata: changed))
            records.append(buffered(5, metadata: sample))
            changed["extra"] = 7
            records.append(buffered(6, metadata: changed))
            records.append(buffered(7, metadata: changed))
            records.append(buffered(8, metadata: changed))
        }
        let lines = try encoded(records, transform)
        #expect(lines.count == records.count)
        for (r, line) in zip(records, lines) {
            #expect(line == reference(r, transform), "\(String(decoding: line, as: UTF8.self))")
        }
    }

    @Test func strictFieldsLeaveOutUndeclaredKeysAndCountThem() throws {
        var config = ScrubberConfiguration()
        config.strictFields = true
        config.declaredMetadataKeys = ["region", "password"]
        let transform = PrivacyTransform(scrubber: PIIScrubber(configuration: config), sessionIDPolicy: .automatic)
        let records = (0..<6).map { buffered($0, metadata: ["region": "eu", "password": "p", "contact": "x@example.com", "alice@example.com": 1]) }
        let lines = try encoded(records, transform)
        for (r, line) in zip(records, lines) { #expect(line == reference(r, transform)) }
        let keys = InteractionMonitor.KeyState(keyring: try TestKeyring.make())
        let batch = transform.storedBatch(records, count: 6, keys: keys, registry: OptOutRegistry(), types: [.cliCommand])
        #expect(batch.undeclared == ["contact": 6, "[EMAIL]": 6])
    }

    @Test func keysThatScrubToOneNameAreWrittenOnceWhateverTheOrder() throws {
        let transform = PrivacyTransform(scrubber: PIIScrubber(), sessionIDPolicy: .automatic)
        let a = buffered(0, metadata: ["alice@example.com": 1, "bob@example.com": 2])
        let lines = try encoded([a, a, a], transform)
        let text = String(decoding: lines[0], as: UTF8.self)
        #expect(text.contains("\"metadata\":{\"[EMAIL]\":1}"), "\(text)")
        #expect(Set(lines).count == 1)
    }

    @Test func manyDistinctKeysStayBoundedAndCorrect() throws {
        let transform = PrivacyTransform(scrubber: PIIScrubber(), sessionIDPolicy: .automatic)
        let records = (0..<(RecordEncoder.keyLimit + 500)).map { n in
            buffered(n, metadata: ["k\(n)": .int(Int64(n)), "region": "eu", "user\(n)@example.com": "v"])
        }
        let lines = try encoded(records, transform)
        for k in [0, 1, RecordEncoder.keyLimit - 1, RecordEncoder.keyLimit, RecordEncoder.keyLimit + 499] {
            #expect(lines[k] == reference(records[k], transform))
        }
    }

    @Test func manyDistinctTextsStayBoundedAndCorrect() throws {
        let transform = PrivacyTransform(scrubber: PIIScrubber(), sessionIDPolicy: .automatic)
        let filler = String(repeating: "\\", count: 100)  // escaped to twice its size
        let n = RecordEncoder.arenaLimit / 400 + 100
        let records = (0..<n).map { k in buffered(k, metadata: ["v": .string("\(k) \(filler)")], command: "cmd \(k) \(filler)") }
        let lines = try encoded(records, transform)
        #expect(lines.count == n)
        for k in [0, 1, n / 2, n - 2, n - 1] { #expect(lines[k] == reference(records[k], transform)) }
    }
}

/// A day's lines held in parts (as a pipelined flush hands them over) are sealed where they lie.
struct DayBatchTests {
    /// A day held in parts is cut into runs of whole lines within each part: every line once, in order, and no
    /// run longer than the batch size.
    @Test func partsAreCutIntoRunsWithinEachPart() throws {
        func part(_ day: Day, _ range: Range<Int>) -> EncodedLines.DayLines {
            var p = EncodedLines.DayLines(day: day)
            var line = JSONWriter(reservingCapacity: 64)
            for k in range {
                line.append(contentsOf: Array("{\"n\":\(k)}".utf8))
                p.append(sequence: UInt64(k), line: &line)
            }
            return p
        }
        let day = Day(daysSinceEpoch: 20_000)
        var batch = DayBatch(part(day, 0..<15))
        batch.append(part(day, 15..<22))
        var runs: [Range<Int>] = []
        batch.forEachRun(size: 10) { _, lines in runs.append(lines) }
        #expect(runs == [0..<10, 10..<15, 15..<22])
        let plaintexts = SegmentWriter.batches(batch, batchSize: 10)
        #expect(plaintexts.map { $0.filter { $0 == UInt8(ascii: "\n") }.count } == [10, 5, 7])
        #expect(String(decoding: plaintexts.joined(), as: UTF8.self) == (0..<22).map { "{\"n\":\($0)}\n" }.joined())
        #expect(batch.sequences == (0..<22).map(UInt64.init))
        // Leaving out what an earlier attempt stored crosses parts.
        batch.removeFirst(17)
        #expect(batch.count == 5 && batch.parts.count == 1 && batch.sequences == (17..<22).map(UInt64.init))
        #expect(lines(batch) == (17..<22).map { Array("{\"n\":\($0)}".utf8) })
    }
}

/// A day's lines in order, without their newlines.
func lines(_ batch: DayBatch) -> [[UInt8]] {
    var out: [[UInt8]] = []
    batch.forEachLine { out.append(Array($0)) }
    return out
}
