import InteractionMonitor

extension LiveAnalyzer: FlushObserver {
    /// Observes a batch the monitor's flush task stored.
    public func didStore(_ interactions: [Interaction], at now: Timestamp) { observe(interactions, at: now) }

    /// Observes the monitor's counters at a flush tick.
    public func didFlush(statistics: MonitorStatistics, at now: Timestamp) { observe(statistics: statistics, at: now) }
}
