import InteractionMonitor
public import Logging

extension LiveAnalyzer {
    /// Window length, statistical thresholds and memory caps of a ``LiveAnalyzer``.
    ///
    /// Decisions are statistical tests against each command's own baseline (see ``LiveAnalyzer``); the counts
    /// here are floors below which nothing is judged, never the thresholds themselves.
    public struct Configuration: Sendable {
        /// Length of the sliding window that is judged.
        /// - Default value: 300 seconds.
        public var window: Duration = .seconds(300)
        /// How many steps the window slides by per window length (it moves by `window / slots`).
        /// - Default value: 5.
        public var slots: Int = 5
        /// One-sided significance level of the binomial tests (error rate, latency exceedances).
        /// - Default value: 0.001.
        public var significance: Double = 0.001
        /// z of the upper confidence bound put on the baseline error rate (Wilson score interval).
        /// - Default value: 2.576 (99 %).
        public var baselineConfidenceZ: Double = 2.576
        /// Robust standard deviations (1.4826 × MAD) of the per-window history added to its median.
        /// - Default value: 3.
        public var sensitivity: Double = 3
        /// Smallest absolute rise of the error rate over the reference rate that is reported.
        /// - Default value: 0.05 (five percentage points).
        public var minimumErrorRateRise: Double = 0.05
        /// Smallest relative rise of p95 over the baseline p95 that is reported.
        /// - Default value: 0.5 (50 %).
        public var minimumLatencyRise: Double = 0.5
        /// Interactions a window needs before its error rate is judged.
        /// - Default value: 10.
        public var minimumWindowSamples: Int = 10
        /// Interactions a window needs before its p95 is judged.
        /// - Default value: 20.
        public var minimumLatencySamples: Int = 20
        /// Baseline interactions a command needs before it is judged at all.
        /// - Default value: 30.
        public var minimumBaselineSamples: Int = 30
        /// Per-window history entries (error rate, p95) kept per command for the median/MAD term.
        /// - Default value: 64.
        public var historyWindows: Int = 64
        /// Commands tracked at most; beyond it, the least recently seen inactive command is forgotten, or new
        /// commands go untracked (counted in ``LiveAnalyzer/Statistics/untrackedRecords``).
        /// - Default value: 1000.
        public var maximumCommands: Int = 1000
        /// Error templates remembered at most; beyond it the least recently seen eighth is forgotten.
        /// - Default value: 10,000.
        public var maximumTemplates: Int = 10_000
        /// Records dropped in one tick that always need to be exceeded before a drop burst is reported.
        /// - Default value: 0 (any drop above the usual, when drops are usually none).
        public var minimumDropBurst: Int = 0
        /// Alerts buffered per ``LiveAnalyzer/alerts()`` subscriber that is not keeping up (older ones are dropped).
        /// - Default value: 1024.
        public var subscriberBuffer: Int = 1024
        /// Where alerts are logged (at `warning`). Default: discards everything.
        public var logger: Logger = Logger(label: "InteractionMonitor.LiveAnalyzer", factory: { _ in SwiftLogNoOpLogHandler() })

        /// The defaults.
        public init() {}

        /// Slot length in microseconds (at least 1 ms).
        var slotMicroseconds: Int64 {
            let c = window.components
            let total = c.seconds * 1_000_000 + c.attoseconds / 1_000_000_000_000
            return max(total / Int64(max(slots, 1)), 1000)
        }
    }
}
