/// Receives what the flush task stored, off the recording path. Set one as
/// ``InteractionMonitor/Configuration/liveAnalyzer``; the `InteractionMonitorAnalytics` library's `LiveAnalyzer`
/// is one.
public protocol FlushObserver: AnyObject, Sendable {
    /// A batch was stored (pseudonymised and scrubbed, as on disk), at `now`.
    func didStore(_ interactions: [Interaction], at now: Timestamp)
    /// One flush tick's counters (recorded, dropped by reason, buffered), at `now`.
    func didFlush(statistics: MonitorStatistics, at now: Timestamp)
}
