import Foundation
import InteractionMonitor
import InteractionMonitorTestKit
import Logging
import MetricsTestKit
import ServiceLifecycle
import Testing

struct EcosystemTests {
    @Test func healthIsReportedThroughSwiftMetricsAtFlushTime() async throws {
        let metrics = TestMetrics()
        let dims = [("monitor", "metrics-test")]
        let monitor = try InteractionMonitor.testing {
            $0.metricsFactory = metrics
            $0.metricsDimensions = dims
            $0.maxBufferSize = 5
        }
        for i in 0..<8 { monitor.record(.cliCommand, command: "c\(i)", status: .success, durationMs: 1) }
        // Nothing is reported on the record() path.
        #expect(metrics.counters.isEmpty)
        try await monitor.flush()
        #expect(try metrics.expectCounter("interaction_monitor_records_recorded_total", dims).totalValue == 5)
        #expect(try metrics.expectCounter("interaction_monitor_records_flushed_total", dims).totalValue == 5)
        #expect(try metrics.expectCounter("interaction_monitor_records_dropped_total", dims + [("reason", "buffer_full")]).totalValue == 3)
        #expect(try metrics.expectCounter("interaction_monitor_bytes_written_total", dims).totalValue > 0)
        #expect(try metrics.expectTimer("interaction_monitor_flush_duration_seconds", dims).values.count == 1)
        #expect(try metrics.expectGauge("interaction_monitor_buffered_records", dims).lastValue == 0)
        monitor.record(.cliCommand, command: "more", status: .success, durationMs: 1)
        try await monitor.flush()
        #expect(try metrics.expectCounter("interaction_monitor_records_flushed_total", dims).totalValue == 6)
    }

    @Test func aServiceGroupRunsTheMonitorAndFlushesOnGracefulShutdown() async throws {
        let store = InMemorySegmentStore()
        let monitor = try InteractionMonitor.testing(store: store) { $0.flushInterval = .seconds(3600) }
        let group = ServiceGroup(services: [monitor], logger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            monitor.record(.cliCommand, command: "last words", status: .success, durationMs: 1)
            try await Task.sleep(for: .milliseconds(50))
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(try monitor.storedInteractions().map(\.command) == ["last words"])
    }
}
