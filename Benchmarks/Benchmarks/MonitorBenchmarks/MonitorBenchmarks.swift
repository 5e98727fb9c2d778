import Benchmark
import Foundation
import InteractionMonitor
import InteractionMonitorAnalytics
import InteractionMonitorTestKit

/// A realistic record: 5 metadata keys (one holding an email), an error message with an IP address.
enum Sample {
    static let metadata: [String: JSONValue] = [
        "expert": "ops", "retries": 2, "contact": "alice.smith@example.com", "region": "eu-west-1", "dry_run": false,
    ]
    static let error = "connection refused by 203.0.113.42:5432 after 3 retries (timeout 3000 ms)"
    static let typicalText = "GET /api/v1/orders/:id failed for alice.smith@example.com from 203.0.113.42 after 1500 ms (req 7f3a9c2e)"
    static let cleanText = String(
        repeating: "deploy finished in 1532 ms; version 2.4.1 build 20261125; route /api/v1/users/:id returned 200\n",
        count: 10_000)

    static func record(_ monitor: InteractionMonitor, _ n: Int) {
        monitor.record(
            .cliCommand, command: "deploy", status: n % 10 == 0 ? .failure : .success, durationMs: Double(n % 500),
            userID: "user-\(n % 50)", sessionID: "sess-\(n % 20)", errorMessage: n % 10 == 0 ? error : nil,
            metadata: metadata)
    }

    static func monitor(store: InMemorySegmentStore = InMemorySegmentStore(), buffer: Int = 1000, batch: Int = 100) throws
        -> InteractionMonitor
    {
        try InteractionMonitor.testing(store: store) {
            $0.maxBufferSize = buffer
            $0.batchSize = batch
            $0.retentionDays = nil
        }
    }

    /// A store holding `count` sample records (sealed), for the read-side benchmarks.
    static func filledStore(_ count: Int) throws -> (InMemorySegmentStore, Keyring) {
        let store = InMemorySegmentStore()
        let m = try monitor(store: store, buffer: count, batch: 100)
        for n in 0..<count { record(m, n) }
        let done = DispatchSemaphore(value: 0)
        Task {
            try? await m.flush()
            done.signal()
        }
        done.wait()
        return (store, m.keyring)
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal], warmupIterations: 3, maxDuration: .seconds(3))

    // record(): bound the values and buffer them, per call (pseudonymising and scrubbing happen later, in the flush
    // task; 1000 calls per run into a fresh monitor, setup untimed).
    Benchmark("record() realistic", configuration: .init(metrics: [.wallClock, .throughput, .mallocCountTotal], scalingFactor: .kilo)) {
        benchmark in
        let monitor = try Sample.monitor(buffer: 1000)
        benchmark.startMeasurement()
        for n in benchmark.scaledIterations { Sample.record(monitor, n) }
        benchmark.stopMeasurement()
        blackHole(monitor.statistics().recorded)
    }

    // The scrubber alone on a typical 118-byte record string.
    Benchmark("scrub typical string", configuration: .init(metrics: [.wallClock, .throughput], scalingFactor: .kilo)) { benchmark in
        let scrubber = PIIScrubber()
        for _ in benchmark.scaledIterations { blackHole(scrubber.scrub(Sample.typicalText)) }
    }

    // The scrubber on ~1 MB of clean log text (throughput: MB/s = runs/s × 1.06).
    Benchmark("scrub 1 MB clean text", configuration: .init(metrics: [.wallClock, .throughput])) { benchmark in
        let scrubber = PIIScrubber()
        for _ in benchmark.scaledIterations { blackHole(scrubber.scrub(Sample.cleanText)) }
    }

    // Encode + seal + store one 100-record segment (in memory), including the manifest update.
    Benchmark("flush 100-record batch", configuration: .init(metrics: [.wallClock, .throughput, .mallocCountTotal])) { benchmark in
        let monitor = try Sample.monitor(buffer: 100, batch: 100)
        for n in 0..<100 { Sample.record(monitor, n) }
        benchmark.startMeasurement()
        try await monitor.flush()
        benchmark.stopMeasurement()
    }

    // End to end on disk: 10,000 records recorded and flushed to a fresh data directory (fsync included).
    Benchmark("ingest 10k to disk", configuration: .init(metrics: [.wallClock, .throughput], maxDuration: .seconds(5))) { benchmark in
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("im-bench-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var c = InteractionMonitor.Configuration(dataDirectory: dir + "/data", keysDirectory: dir + "/keys")
        c.maxBufferSize = 10_000
        c.retentionDays = nil
        let monitor = try InteractionMonitor(configuration: c)
        benchmark.startMeasurement()
        for n in 0..<10_000 { Sample.record(monitor, n) }
        try await monitor.flush()
        benchmark.stopMeasurement()
    }

    // Memory of 1000 buffered interactions: allocations and bytes while filling the buffer.
    Benchmark(
        "buffer 1000 interactions",
        configuration: .init(metrics: [.mallocCountTotal, .memoryLeaked, .peakMemoryResidentDelta], maxDuration: .seconds(2))
    ) { benchmark in
        let monitor = try Sample.monitor(buffer: 1000)
        benchmark.startMeasurement()
        for n in 0..<1000 { Sample.record(monitor, n) }
        benchmark.stopMeasurement()
        blackHole(monitor)
    }

    // Read side over 10,000 sealed records.
    guard let (store, keyring) = try? Sample.filledStore(10_000) else {
        print("cannot prepare the read-side store; skipping read benchmarks")
        return
    }
    let reader = DecryptingReader(store: store, keyring: keyring)
    let now = Timestamp.now()

    Benchmark("decrypt+parse 10k", configuration: .init(metrics: [.wallClock, .throughput, .mallocCountTotal])) { _ in
        var n = 0
        try reader.read { _ in n += 1 }
        blackHole(n)
    }
    Benchmark("statistics 10k") { _ in blackHole(try InteractionAnalyzer(reader: reader, now: now).statistics().total) }
    Benchmark("analyzeRecent 10k") { _ in blackHole(try InteractionAnalyzer(reader: reader, now: now).analyzeRecent(hours: 24).total) }
    Benchmark("patterns 10k") { _ in blackHole(try InteractionAnalyzer(reader: reader, now: now).patterns(minFrequency: 3).count) }
    Benchmark("profiles 10k") { _ in blackHole(try InteractionAnalyzer(reader: reader, now: now).userProfiles().count) }
    Benchmark("anomalies 10k") { _ in blackHole(try InteractionAnalyzer(reader: reader, now: now).anomalies().count) }

}
