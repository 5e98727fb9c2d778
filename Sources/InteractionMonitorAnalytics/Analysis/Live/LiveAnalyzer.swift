import InteractionMonitor
import Foundation
import Logging
import Synchronization

/// Follows interactions as they are stored and raises alerts: `error_rate_spike`, `latency_regression`,
/// `new_error_template` and `drop_burst`.
///
/// Each command has a sliding window (``Configuration/window``, moving by `window / slots`), a pooled baseline
/// (stored data given to ``learn(_:)`` plus every expired window that raised no alert) and a bounded history of
/// per-window error rates and p95s. How a window is judged:
///
/// - **Error rate.** The reference rate is the larger of the Wilson upper bound (99 %) of the pooled baseline rate
///   and, once there are 4 history windows, the median of the per-window rates plus 3 × 1.4826 × MAD. An alert needs
///   the window's error count to be significant under a binomial test at the reference rate
///   (P(X ≥ errors) < ``Configuration/significance``) and the rate to exceed the reference by
///   ``Configuration/minimumErrorRateRise``. So the number of errors that alerts grows with the baseline rate and
///   with the window's size (``errorThreshold(command:samples:)``); it is never a fixed count.
/// - **Latency.** The reference is the pooled baseline p95 (and, with history, the median of per-window p95s plus
///   3 robust standard deviations). An alert needs the window's p95 above the reference by
///   ``Configuration/minimumLatencyRise`` and the number of the window's interactions slower than the baseline p95
///   to be significant against the 5 % expected (binomial test).
/// - **New error template.** An `ErrorTemplate` not seen in the baseline or since, once the analyzer has a
///   baseline (data learned, or one full window observed).
/// - **Drop burst.** Records dropped by the recorder (buffer full, stopped) in one tick above the median plus 3 robust
///   standard deviations of earlier ticks and above ``Configuration/minimumDropBurst``.
///
/// An alert of one kind for one command is not repeated until the window that raised it has slid past.
///
/// Feed it from `InteractionMonitor.Configuration.liveAnalyzer` (the monitor's flush task passes every stored —
/// pseudonymised, scrubbed — batch and its drop counters, off the recording path), or from stored segments as
/// `interaction-monitor watch` does. Alerts come back from ``observe(_:at:)``, through ``alerts()`` and through
/// the configured logger.
///
/// Memory is bounded by ``Configuration/maximumCommands`` × (`slots` + 1 duration sketches + 2 rings of
/// ``Configuration/historyWindows``) plus ``Configuration/maximumTemplates`` templates.
public final class LiveAnalyzer: Sendable {
    /// The configuration it was created with.
    public let configuration: Configuration

    /// What the analyzer holds now.
    public struct Statistics: Sendable, Hashable {
        /// Commands tracked.
        public var commands = 0
        /// Error templates known.
        public var templates = 0
        /// Interactions observed live.
        public var observed = 0
        /// Interactions learned as baseline.
        public var learned = 0
        /// Records of commands that could not be tracked (command cap reached, all tracked commands active).
        public var untrackedRecords = 0
        /// Alerts raised.
        public var alerts = 0
    }

    struct State {
        var commands: [String: LiveCommandState] = [:]
        /// Known templates and the slot each was last seen in.
        var templates: [String: Int64] = [:]
        /// The analyzer's clock, as a slot number (the newest timestamp seen).
        var now: Int64 = 0
        var firstSlot: Int64?
        var learnedAny = false
        var statistics = Statistics()
        /// Drop counters at the previous tick and the per-tick history.
        var lastDropped: Int?
        var dropHistory: LiveRing
        var dropQuietUntil: Int64 = Int64.min
        var subscribers: [Int: AsyncStream<LiveAlert>.Continuation] = [:]
        var nextSubscriber = 0
    }

    private let state: Locked<State>

    /// An analyzer with `configuration`.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        self.state = Locked(State(dropHistory: LiveRing(capacity: configuration.historyWindows)))
    }

    // MARK: Feeding

    /// Adds stored interactions to the baseline without judging them (the history `watch` reads first).
    /// Interactions should come roughly in time order, as a store yields them.
    public func learn(_ interactions: some Sequence<Interaction>) {
        let slotLength = configuration.slotMicroseconds
        let windowLength = slotLength * Int64(max(configuration.slots, 1))
        state.withLock { s in
            for i in interactions {
                let slot = i.timestamp.microsecondsSinceEpoch.floorDiv(slotLength)
                guard var c = command(i.command, slot: slot, in: &s) else { continue }
                let index = i.timestamp.microsecondsSinceEpoch.floorDiv(windowLength)
                if let open = c.seedWindow, open.index != index {
                    c.remember(window: open.slot, minimumSamples: configuration.minimumWindowSamples)
                    c.addToBaseline(open.slot)
                    c.seedWindow = nil
                }
                var w = c.seedWindow?.slot ?? LiveSlot()
                w.add(i)
                c.seedWindow = (index, w)
                c.lastSeen = max(c.lastSeen, slot)
                s.commands[i.command] = c
                if let m = i.errorMessage { remember(template: ErrorTemplate.of(m), slot: slot, in: &s) }
                s.statistics.learned += 1
                s.learnedAny = true
            }
            // Close the open baseline windows so everything learned is in the pooled baseline.
            for key in s.commands.keys {
                guard let open = s.commands[key]?.seedWindow else { continue }
                s.commands[key]?.remember(window: open.slot, minimumSamples: configuration.minimumWindowSamples)
                s.commands[key]?.addToBaseline(open.slot)
                s.commands[key]?.seedWindow = nil
            }
        }
    }

    /// Adds newly stored interactions, moves the clock to `now` (or the newest timestamp, whichever is later, but
    /// never more than one slot past `now`), and returns the alerts raised. Alerts also go to ``alerts()``
    /// subscribers and the logger.
    @discardableResult
    public func observe(_ interactions: some Sequence<Interaction>, at now: Timestamp = .now()) -> [LiveAlert] {
        let slotLength = configuration.slotMicroseconds
        let nowSlot = now.microsecondsSinceEpoch.floorDiv(slotLength)
        let alerts: [LiveAlert] = state.withLock { s in
            var touched = Set<String>()
            var newTemplates: [String: (command: String, count: Int)] = [:]
            let warm = isWarm(s, nowSlot: nowSlot)
            advance(to: nowSlot, in: &s)
            for i in interactions {
                let slot = min(i.timestamp.microsecondsSinceEpoch.floorDiv(slotLength), nowSlot + 1)
                advance(to: slot, in: &s)
                s.statistics.observed += 1
                if let m = i.errorMessage {
                    let t = ErrorTemplate.of(m)
                    if warm, newTemplates[t] != nil || s.templates[t] == nil {
                        newTemplates[t, default: (i.command, 0)].count += 1
                    }
                    remember(template: t, slot: slot, in: &s)
                }
                guard var c = command(i.command, slot: slot, in: &s) else { continue }
                c.lastSeen = max(c.lastSeen, slot)
                if slot > s.now - Int64(configuration.slots) {
                    c.slots[slot, default: LiveSlot()].add(i)
                    touched.insert(i.command)
                } else {
                    var late = LiveSlot()
                    late.add(i)
                    c.addToBaseline(late)  // older than the window: history, not news
                }
                s.commands[i.command] = c
            }
            var out: [LiveAlert] = []
            let at = now
            for name in touched.sorted() { out += judge(name, at: at, in: &s) }
            for (t, seen) in newTemplates.sorted(by: { $0.key < $1.key }) {
                out.append(
                    LiveAlert(
                        kind: .newErrorTemplate, command: seen.command, observed: Double(seen.count), baseline: 0,
                        threshold: 0, samples: seen.count, template: t, at: at,
                        message: "new error '\(t)' (\(seen.count)×) in '\(seen.command)'"))
            }
            s.statistics.alerts += out.count
            return out
        }
        publish(alerts)
        return alerts
    }

    /// Takes the recorder's counters at one flush tick and returns a `drop_burst` alert when the records dropped
    /// since the previous tick (buffer full or stopped; opt-outs and disabled recording are not problems) are far
    /// above the usual.
    @discardableResult
    public func observe(statistics: MonitorStatistics, at now: Timestamp = .now()) -> [LiveAlert] {
        let dropped = (statistics.dropped[.bufferFull] ?? 0) + (statistics.dropped[.stopped] ?? 0)
        let slot = now.microsecondsSinceEpoch.floorDiv(configuration.slotMicroseconds)
        let alerts: [LiveAlert] = state.withLock { s in
            guard let last = s.lastDropped else {
                s.lastDropped = dropped
                return []
            }
            s.lastDropped = dropped
            let delta = max(dropped - last, 0)
            let history = s.dropHistory.values
            let median = RobustStatistics.median(history)
            let threshold = max(
                median + configuration.sensitivity * RobustStatistics.scaledMAD(history, median: median),
                Double(configuration.minimumDropBurst))
            s.dropHistory.append(Double(delta))
            guard Double(delta) > threshold, slot > s.dropQuietUntil else { return [] }
            s.dropQuietUntil = slot + Int64(configuration.slots)
            s.statistics.alerts += 1
            return [
                LiveAlert(
                    kind: .dropBurst, command: nil, observed: Double(delta), baseline: median, threshold: threshold,
                    samples: delta, at: now,
                    message: "the recorder dropped \(delta) record(s) since the last flush; usually \(Int(median.rounded()))")
            ]
        }
        publish(alerts)
        return alerts
    }

    // MARK: Reading

    /// Alerts as they are raised, to every subscriber (each gets its own stream, buffering the newest
    /// ``Configuration/subscriberBuffer`` alerts). Ends when the analyzer is released.
    public func alerts() -> AsyncStream<LiveAlert> {
        let (stream, continuation) = AsyncStream<LiveAlert>.makeStream(
            bufferingPolicy: .bufferingNewest(max(configuration.subscriberBuffer, 1)))
        let id = state.withLock { s in
            let id = s.nextSubscriber
            s.nextSubscriber += 1
            s.subscribers[id] = continuation
            return id
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    /// What the analyzer holds now (commands and templates are bounded by the configuration's caps).
    public func statistics() -> Statistics {
        state.withLock { s in
            var out = s.statistics
            out.commands = s.commands.count
            out.templates = s.templates.count
            return out
        }
    }

    /// The smallest error count that raises `error_rate_spike` for `command` in a window of `samples`
    /// interactions; `nil` when the command has too little baseline to be judged or no count would do.
    public func errorThreshold(command: String, samples: Int) -> Int? {
        state.withLock { s in
            guard let c = s.commands[command], let reference = referenceRate(c) else { return nil }
            guard samples >= configuration.minimumWindowSamples else { return nil }
            let lowest = Int((Double(samples) * (reference + configuration.minimumErrorRateRise)).rounded(.down)) + 1
            guard lowest <= samples else { return nil }
            for k in lowest...samples
            where RobustStatistics.binomialTail(k: k, n: samples, p: reference) < configuration.significance {
                return k
            }
            return nil
        }
    }

    deinit {
        for c in state.withLock({ Array($0.subscribers.values) }) { c.finish() }
    }

    // MARK: Internals

    private func publish(_ alerts: [LiveAlert]) {
        guard !alerts.isEmpty else { return }
        let subscribers = state.withLock { Array($0.subscribers.values) }
        for a in alerts {
            configuration.logger.warning(
                "interaction-monitor live alert",
                metadata: [
                    "kind": "\(a.kind.rawValue)", "command": "\(a.command ?? "-")", "observed": "\(a.observed)",
                    "baseline": "\(a.baseline)", "threshold": "\(a.threshold)", "at": "\(a.at.iso8601)",
                ])
            for c in subscribers { c.yield(a) }
        }
    }

    private func isWarm(_ s: State, nowSlot: Int64) -> Bool {
        s.learnedAny || (s.firstSlot.map { max(s.now, nowSlot) - $0 >= Int64(configuration.slots) } ?? false)
    }

    /// The command's state, created when there is room; `nil` when untracked.
    private func command(_ name: String, slot: Int64, in s: inout State) -> LiveCommandState? {
        if let c = s.commands[name] { return c }
        if s.commands.count >= max(configuration.maximumCommands, 1) {
            // Forget the least recently seen command whose window is empty; keep everything active.
            let oldest = s.commands.min { $0.value.lastSeen < $1.value.lastSeen }
            guard let oldest, oldest.value.slots.isEmpty else {
                s.statistics.untrackedRecords += 1
                return nil
            }
            s.commands.removeValue(forKey: oldest.key)
        }
        return LiveCommandState(history: configuration.historyWindows, seen: slot)
    }

    private func remember(template t: String, slot: Int64, in s: inout State) {
        if let seen = s.templates[t] {
            if slot > seen { s.templates[t] = slot }
            return
        }
        let cap = max(configuration.maximumTemplates, 1)
        if s.templates.count >= cap {
            // Forget the least recently seen eighth at once, so a stream of unique messages costs O(1) amortised.
            let drop = max(cap / 8, 1)
            for (k, _) in s.templates.sorted(by: { $0.value < $1.value }).prefix(drop) { s.templates.removeValue(forKey: k) }
        }
        s.templates[t] = slot
    }

    /// Moves the clock forward: slots that leave the window go into the baseline (unless anomalous) and into the
    /// history, one history entry per window length of expired slots.
    private func advance(to slot: Int64, in s: inout State) {
        if s.firstSlot == nil { s.firstSlot = slot }
        guard slot > s.now else { return }
        s.now = slot
        let oldest = slot - Int64(configuration.slots)  // slots at or before this have left the window
        for name in Array(s.commands.keys) {
            guard var c = s.commands[name], c.slots.keys.contains(where: { $0 <= oldest }) else { continue }
            for key in c.slots.keys.sorted() where key <= oldest {
                guard let expired = c.slots.removeValue(forKey: key) else { continue }
                if !expired.anomalous { c.addToBaseline(expired) }
                c.pending.merge(expired)
                c.pending.anomalous = c.pending.anomalous || expired.anomalous
                c.pendingSlots += 1
                if c.pendingSlots >= configuration.slots {
                    if !c.pending.anomalous {
                        c.remember(window: c.pending, minimumSamples: configuration.minimumWindowSamples)
                    }
                    c.pending = LiveSlot()
                    c.pendingSlots = 0
                }
            }
            s.commands[name] = c
        }
    }

    /// The error rate a window is tested against; `nil` without enough baseline.
    private func referenceRate(_ c: LiveCommandState) -> Double? {
        guard c.baselineCount >= configuration.minimumBaselineSamples else { return nil }
        var reference = RobustStatistics.wilsonUpper(
            k: c.baselineErrors, n: c.baselineCount, z: configuration.baselineConfidenceZ)
        let rates = c.rateHistory.values
        if rates.count >= 4 {
            let m = RobustStatistics.median(rates)
            reference = max(reference, m + configuration.sensitivity * RobustStatistics.scaledMAD(rates, median: m))
        }
        return min(reference, 1)
    }

    private func judge(_ name: String, at: Timestamp, in s: inout State) -> [LiveAlert] {
        guard var c = s.commands[name] else { return [] }
        let window = c.window(now: s.now, slots: configuration.slots)
        var out: [LiveAlert] = []
        let baselineRate = c.baselineCount > 0 ? Double(c.baselineErrors) / Double(c.baselineCount) : 0
        if window.count >= configuration.minimumWindowSamples, let reference = referenceRate(c),
            s.now > c.quietUntil[.errorRateSpike] ?? Int64.min
        {
            let rate = Double(window.errors) / Double(window.count)
            if rate > reference + configuration.minimumErrorRateRise,
                RobustStatistics.binomialTail(k: window.errors, n: window.count, p: reference) < configuration.significance
            {
                out.append(
                    LiveAlert(
                        kind: .errorRateSpike, command: name, observed: rate, baseline: baselineRate,
                        threshold: reference + configuration.minimumErrorRateRise, samples: window.count, at: at,
                        message: "'\(name)' failed \(Self.percent(rate)) of \(window.count) runs in the last window; baseline \(Self.percent(baselineRate))"))
                c.quietUntil[.errorRateSpike] = s.now + Int64(configuration.slots)
            }
        }
        if window.count >= configuration.minimumLatencySamples, c.baselineCount >= configuration.minimumBaselineSamples,
            s.now > c.quietUntil[.latencyRegression] ?? Int64.min
        {
            let baseP95 = c.baselineDurations.quantile(0.95)
            var reference = baseP95
            let p95s = c.p95History.values
            if p95s.count >= 4 {
                let m = RobustStatistics.median(p95s)
                reference = max(reference, m + configuration.sensitivity * RobustStatistics.scaledMAD(p95s, median: m))
            }
            let threshold = reference * (1 + configuration.minimumLatencyRise)
            let p95 = window.durations.quantile(0.95)
            let slower = window.durations.count(above: baseP95)
            if baseP95 > 0, p95 > threshold,
                RobustStatistics.binomialTail(k: slower, n: window.count, p: 0.05) < configuration.significance
            {
                out.append(
                    LiveAlert(
                        kind: .latencyRegression, command: name, observed: p95, baseline: baseP95, threshold: threshold,
                        samples: window.count, at: at,
                        message: "'\(name)' p95 is \(Int(p95.rounded())) ms over the last \(window.count) runs; baseline \(Int(baseP95.rounded())) ms"))
                c.quietUntil[.latencyRegression] = s.now + Int64(configuration.slots)
            }
        }
        if !out.isEmpty {
            for k in c.slots.keys where k > s.now - Int64(configuration.slots) { c.slots[k]?.anomalous = true }
        }
        s.commands[name] = c
        return out
    }

    static func percent(_ x: Double) -> String { String(format: "%.1f%%", x * 100) }
}
