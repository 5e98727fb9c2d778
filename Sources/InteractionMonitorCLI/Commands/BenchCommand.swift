import ArgumentParser
import CHeapStats
import Foundation
import InteractionMonitor
import InteractionMonitorAnalytics

#if canImport(Glibc)
import Glibc
#endif

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure recording, ingest, reading and scrubbing cost on this machine (temporary directories).",
        discussion: """
            Loads raw interactions (the `ingest` line format from --input, else a built-in synthetic set) into \
            memory untimed, then measures on fresh temporary directories. --json prints one object with the keys \
            record_ns_p50, record_ns_p99, record_ns_p999, record_ns_p50_2threads, ingest_per_s, \
            ingest_plaintext_per_s, flush_per_s, read_per_s, stats_per_s, scrub_mb_per_s, buffered_bytes_per_1000.
            """)

    @Option(help: "A JSON-lines file in the `ingest` format (default: built-in synthetic records).") var input: String?
    @Option(help: "Records per measurement (the input is cycled or cut to this many).") var count: Int = 200_000
    @Flag(help: "One JSON object.") var json = false
    @Option(
        help: ArgumentHelp(
            "Only these measurements (comma-separated: record, ingest, flush, read, stats, scrub; default: all).",
            valueName: "list"))
    var only: String?

    /// One group of measurements.
    enum Measurement: String, CaseIterable {
        case record, ingest, flush, read, stats, scrub
    }

    private func wants(_ m: Measurement) -> Bool {
        guard let only else { return true }
        return only.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces) == m.rawValue }
    }

    func validate() throws {
        guard count >= 1000, count <= 20_000_000 else { throw ValidationError("--count must be between 1000 and 20000000") }
        if let only {
            let names = only.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            if let bad = names.first(where: { Measurement(rawValue: $0) == nil }) {
                throw ValidationError("--only: unknown measurement '\(bad)' (one of: \(Measurement.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
        }
    }

    struct Raw: Sendable {
        var type: InteractionType
        var command: String
        var status: InteractionStatus
        var durationMs: Double
        var userID: String?
        var sessionID: String?
        var errorMessage: String?
        var metadata: [String: JSONValue]
    }

    func run() async throws {
        let records = try loadRecords()
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("im-bench-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let keyring = try Keyring.generate()

        var results: [(String, Double)] = []
        let sealedDir = root + "/sealed"
        if wants(.record) {
            let single = try measureRecord(records, keyring: keyring, threads: 1)
            let double = try measureRecord(records, keyring: keyring, threads: 2)
            results += [
                ("record_ns_p50", single.p50), ("record_ns_p99", single.p99), ("record_ns_p999", single.p999),
                ("record_ns_p50_2threads", double.p50),
            ]
        }
        var ingest = 0.0, plain = 0.0
        if wants(.ingest) || wants(.read) || wants(.stats) {
            // Reading needs the sealed store the ingest run writes.
            ingest = try await measureIngest(records, keyring: keyring, directory: sealedDir, plaintext: false)
            if wants(.ingest) {
                plain = try await measureIngest(records, keyring: keyring, directory: root + "/plain", plaintext: true)
                results += [("ingest_per_s", ingest), ("ingest_plaintext_per_s", plain)]
            }
        }
        if wants(.flush) { results.append(("flush_per_s", try await measureFlush(records, keyring: keyring, directory: root + "/flush"))) }
        if wants(.read) { results.append(("read_per_s", try measureRead(count: records.count, keyring: keyring, directory: sealedDir))) }
        if wants(.stats) { results.append(("stats_per_s", try measureStats(count: records.count, keyring: keyring, directory: sealedDir))) }
        if wants(.scrub) { results.append(("scrub_mb_per_s", measureScrub(records))) }
        if wants(.record) { results.append(("buffered_bytes_per_1000", try measureBufferedBytes(records, keyring: keyring))) }

        if json {
            var o: [String: JSONValue] = [:]
            for (k, v) in results { o[k] = v.rounded() == v && abs(v) < 1e15 ? .int(Int64(v)) : .double((v * 100).rounded() / 100) }
            print(JSONValue.object(o).jsonText)
        } else {
            print("interaction-monitor bench — \(records.count) records\(input.map { " from \($0)" } ?? " (synthetic)")")
            for (k, v) in results { print("  \(k.padding(26)) \(format(v, v >= 100 ? 0 : 2).leftPadding(14))") }
            if wants(.ingest) {
                print("  encryption cost: sealed ingest is \(format(plain > 0 ? 100 * ingest / plain : 0, 1)) % of plaintext ingest")
            }
        }
    }

    // MARK: Input

    private func loadRecords() throws -> [Raw] {
        var base: [Raw] = []
        if let input {
            let reader = try LineReader(path: input)
            while let line = reader.next(), base.count < count {
                guard let r = try? RawInteractionLine(line) else { continue }
                base.append(
                    Raw(type: r.interactionType, command: r.command, status: r.status, durationMs: r.durationMs,
                        userID: r.userID, sessionID: r.sessionID, errorMessage: r.errorMessage, metadata: r.metadata))
            }
            guard !base.isEmpty else { throw InteractionMonitorError(.invalidInput, "\(input) holds no valid interaction lines") }
        } else {
            base = (0..<1000).map(Self.synthetic)
        }
        var out: [Raw] = []
        out.reserveCapacity(count)
        while out.count < count { out.append(base[out.count % base.count]) }
        return out
    }

    /// A realistic record: 5 metadata keys (one holding an email), every 10th an error message with an IP.
    static func synthetic(_ n: Int) -> Raw {
        let commands = ["deploy", "build", "test", "GET /users/:id", "POST /orders", "sync", "lint", "release"]
        return Raw(
            type: n % 3 == 0 ? .apiRequest : .cliCommand, command: commands[n % commands.count],
            status: n % 10 == 0 ? .failure : .success, durationMs: Double(n % 500) + 0.25, userID: "user-\(n % 50)",
            sessionID: "sess-\(n % 20)",
            errorMessage: n % 10 == 0 ? "connection refused by 203.0.113.42:5432 after 3 retries (timeout 3000 ms)" : nil,
            metadata: [
                "expert": "ops", "retries": .int(Int64(n % 4)), "contact": "alice.smith@example.com",
                "region": "eu-west-1", "dry_run": .bool(n % 2 == 0),
            ])
    }

    private func configuration(_ directory: String, buffer: Int) -> InteractionMonitor.Configuration {
        var c = InteractionMonitor.Configuration(dataDirectory: directory, keysDirectory: directory + "/keys")
        c.tenant = .default
        c.maxBufferSize = buffer
        c.maxBufferBytes = Int.max / 2  // every record held: the bench measures throughput, not the bound
        c.batchSize = 1000
        c.retentionDays = nil
        c.scrubbingConfigurationFile = nil
        return c
    }

    // MARK: Measurements

    private static func nanos() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }

    private struct Percentiles {
        var p50 = 0.0, p99 = 0.0, p999 = 0.0
        init(_ samples: [Int64]) {
            let s = samples.sorted()
            guard !s.isEmpty else { return }
            func at(_ q: Double) -> Double { Double(s[min(s.count - 1, Int(q * Double(s.count)))]) }
            p50 = at(0.5)
            p99 = at(0.99)
            p999 = at(0.999)
        }
    }

    /// Per-call latency of `record()` on `threads` threads at once, into a started monitor (memory store) whose
    /// background flushes run meanwhile.
    private func measureRecord(_ records: [Raw], keyring: Keyring, threads: Int) throws -> Percentiles {
        var c = configuration("memory", buffer: records.count + 1)
        c.flushInterval = .seconds(3600)
        let monitor = try InteractionMonitor(configuration: c, store: DiscardingStore(), keyring: keyring)
        monitor.start()
        // Warm-up (caches, allocator).
        for r in records.prefix(2000) { Self.record(monitor, r) }
        let per = records.count / threads
        let results = LockedSamples()
        let done = DispatchSemaphore(value: 0)
        for t in 0..<threads {
            let slice = Array(records[(t * per)..<((t + 1) * per)])
            Thread.detachNewThread {
                var samples = [Int64](repeating: 0, count: slice.count)
                for (i, r) in slice.enumerated() {
                    let a = Self.nanos()
                    Self.record(monitor, r)
                    samples[i] = Self.nanos() - a
                }
                results.append(samples)
                done.signal()
            }
        }
        for _ in 0..<threads { done.wait() }
        let stopped = DispatchSemaphore(value: 0)
        Task {
            await monitor.stop()
            stopped.signal()
        }
        stopped.wait()
        return Percentiles(results.all)
    }

    @inline(__always)
    private static func record(_ m: InteractionMonitor, _ r: Raw) {
        m.record(
            r.type, command: r.command, status: r.status, durationMs: r.durationMs, userID: r.userID,
            sessionID: r.sessionID, errorMessage: r.errorMessage, metadata: r.metadata)
    }

    /// Records per second from the first `record()` until `stop()` returned with everything on disk.
    private func measureIngest(_ records: [Raw], keyring: Keyring, directory: String, plaintext: Bool) async throws -> Double {
        let store = FileSegmentStore(directory: directory)
        try store.prepare()
        let monitor = try InteractionMonitor.benchmarkMonitor(
            configuration: configuration(directory, buffer: records.count + 1), store: store, keyring: keyring,
            plaintext: plaintext)
        monitor.start()
        let start = Self.nanos()
        for r in records { Self.record(monitor, r) }
        await monitor.stop()
        let seconds = Double(Self.nanos() - start) / 1e9
        let stats = monitor.statistics()
        guard stats.flushed == records.count else {
            throw InteractionMonitorError(.storage, "bench ingest stored \(stats.flushed) of \(records.count) records: \(stats.lastError ?? "")")
        }
        return Double(records.count) / seconds
    }

    /// Records per second of one flush of everything buffered (privacy transform, encoding, sealing, writing and
    /// syncing, on the flushing thread), measured apart from recording.
    private func measureFlush(_ records: [Raw], keyring: Keyring, directory: String) async throws -> Double {
        let store = FileSegmentStore(directory: directory)
        try store.prepare()
        let monitor = try InteractionMonitor(
            configuration: configuration(directory, buffer: records.count + 1), store: store, keyring: keyring)
        for r in records { Self.record(monitor, r) }
        let start = Self.nanos()
        try await monitor.flush()
        let seconds = Double(Self.nanos() - start) / 1e9
        guard monitor.statistics().flushed == records.count else {
            throw InteractionMonitorError(.storage, "bench flush stored \(monitor.statistics().flushed) of \(records.count) records")
        }
        return Double(records.count) / seconds
    }

    /// Records per second read back from the sealed store through the `stats` path: decrypt, verify, parse and
    /// count (``InteractionStatistics``).
    private func measureStats(count: Int, keyring: Keyring, directory: String) throws -> Double {
        var reader = DecryptingReader(store: FileSegmentStore(directory: directory), keyring: keyring)
        reader.fields = InteractionStatistics.fields  // as `stats` reads
        var stats = InteractionStatistics()
        let start = Self.nanos()
        let report = try reader.read { stats.add($0) }
        let seconds = Double(Self.nanos() - start) / 1e9
        guard stats.total == count, !report.hasErrors else {
            throw InteractionMonitorError(.dataCorrupted, "bench stats read \(stats.total) of \(count) records")
        }
        return Double(count) / seconds
    }

    /// Records per second through the decrypting reader into statistics, recent analysis, patterns, anomalies and
    /// profiles (one pass).
    private func measureRead(count: Int, keyring: Keyring, directory: String) throws -> Double {
        let analyzer = InteractionAnalyzer(reader: DecryptingReader(store: FileSegmentStore(directory: directory), keyring: keyring))
        let start = Self.nanos()
        let overview = try analyzer.overview()
        let seconds = Double(Self.nanos() - start) / 1e9
        guard overview.statistics.total == count else {
            throw InteractionMonitorError(.dataCorrupted, "bench read \(overview.statistics.total) of \(count) records")
        }
        return Double(count) / seconds
    }

    /// MB/s of the PII scrubber over every free-text field of the records (at least 8 MB).
    private func measureScrub(_ records: [Raw]) -> Double {
        let scrubber = PIIScrubber()
        var texts: [String] = []
        var bytes = 0
        var i = 0
        while bytes < 8 << 20 && i < 10 * records.count {
            let r = records[i % records.count]
            texts.append(r.command)
            bytes += r.command.utf8.count
            if let e = r.errorMessage {
                texts.append(e)
                bytes += e.utf8.count
            }
            for (k, v) in r.metadata {
                texts.append(k)
                bytes += k.utf8.count
                if case .string(let s) = v {
                    texts.append(s)
                    bytes += s.utf8.count
                }
            }
            i += 1
        }
        var sink = 0
        let start = Self.nanos()
        for t in texts { sink &+= scrubber.scrub(t).utf8.count }
        let seconds = Double(Self.nanos() - start) / 1e9
        if sink == -1 { print(sink) }
        return Double(bytes) / 1e6 / seconds
    }

    /// Heap bytes held by 1000 buffered records (glibc `mallinfo2`, after a warm-up).
    private func measureBufferedBytes(_ records: [Raw], keyring: Keyring) throws -> Double {
        let monitor = try InteractionMonitor(configuration: configuration("memory", buffer: 10_000), store: DiscardingStore(), keyring: keyring)
        for r in records.prefix(100) { Self.record(monitor, r) }
        let before = im_heap_bytes_in_use()
        for r in records.dropFirst(100).prefix(1000) { Self.record(monitor, r) }
        let after = im_heap_bytes_in_use()
        withExtendedLifetime(monitor) {}
        return Double(Int(after) - Int(before))
    }
}

/// Thread-safe collection of latency samples.
final class LockedSamples: @unchecked Sendable {
    // Guarded by `lock`.
    private var samples: [Int64] = []
    private let lock = NSLock()
    func append(_ s: [Int64]) { lock.withLock { samples += s } }
    var all: [Int64] { lock.withLock { samples } }
}

/// A store that accepts and forgets everything (the record-latency runs measure the caller's path, not disk).
final class DiscardingStore: SegmentStore {
    var location: String { "discard" }
    func name(of day: Day) -> String { "discard-\(day)" }
    func withExclusiveAccess<R>(to day: Day, create: Bool, _ body: (any DayAccess) throws -> R) throws -> R? {
        try body(DiscardingDay())
    }
    func days() throws -> [Day] { [] }
    func scan(day: Day, _ body: (ScannedItem) throws -> Void) throws {}
    func readBlob(named name: String) throws -> [UInt8]? { nil }
    func updateBlob(named name: String, _ transform: ([UInt8]?) throws -> [UInt8]?) throws { _ = try transform(nil) }
    func removeBlob(named name: String) throws {}
    func blobNames() throws -> [String] { [] }
    func byteCount(of day: Day) -> Int64? { nil }

    struct DiscardingDay: DayAccess {
        func tail() throws -> SegmentPosition { .start }
        func append(_ frames: [[UInt8]]) throws {}
        func scan(_ body: (ScannedItem) throws -> Void) throws {}
        func replace(producing produce: (_ emit: ([UInt8]) throws -> Void) throws -> Void, beforeCommit: () throws -> Void) throws {}
        func remove() throws {}
    }
}
