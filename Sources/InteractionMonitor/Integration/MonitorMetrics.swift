import Metrics

/// Reports a monitor's health through swift-metrics, so an app's existing backend (Prometheus, StatsD, …) sees
/// it. Updated once per flush from the counters' deltas — never on the `record()` path.
///
/// | metric | type | meaning |
/// |---|---|---|
/// | `interaction_monitor_records_recorded_total` | counter | records accepted into the buffer |
/// | `interaction_monitor_records_flushed_total` | counter | records written to the store |
/// | `interaction_monitor_records_dropped_total{reason}` | counter | drops by ``DropReason`` |
/// | `interaction_monitor_bytes_written_total` | counter | sealed bytes written |
/// | `interaction_monitor_flush_failures_total` | counter | failed flushes |
/// | `interaction_monitor_flush_duration_seconds` | timer | time per flush |
/// | `interaction_monitor_buffered_records` | gauge | records in the buffer after the flush |
struct MonitorMetrics {
    static let prefix = "interaction_monitor_"

    /// Emits the difference between `now` and `before`, the flush's duration and the buffer fill.
    static func report(
        from before: MonitorStatistics, to now: MonitorStatistics, flushNanoseconds: Int64?,
        dimensions base: [(String, String)], factory: (any MetricsFactory)?
    ) {
        let factory = factory ?? MetricsSystem.factory
        func add(_ name: String, _ delta: Int, _ dimensions: [(String, String)] = []) {
            guard delta > 0 else { return }
            Counter(label: prefix + name, dimensions: base + dimensions, factory: factory).increment(by: delta)
        }
        add("records_recorded_total", now.recorded - before.recorded)
        add("records_flushed_total", now.flushed - before.flushed)
        for reason in DropReason.allCases {
            add("records_dropped_total", (now.dropped[reason] ?? 0) - (before.dropped[reason] ?? 0), [("reason", reason.rawValue)])
        }
        add("bytes_written_total", now.bytesWritten - before.bytesWritten)
        add("flush_failures_total", now.failedFlushes - before.failedFlushes)
        if let flushNanoseconds {
            Metrics.Timer(label: prefix + "flush_duration_seconds", dimensions: base, factory: factory)
                .recordNanoseconds(flushNanoseconds)
        }
        Gauge(label: prefix + "buffered_records", dimensions: base, factory: factory).record(now.buffered)
    }
}
