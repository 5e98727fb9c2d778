import InteractionMonitor
/// Something the ``LiveAnalyzer`` noticed while following new data.
public struct LiveAlert: Sendable, Hashable {
    /// Alert kinds.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// A command's error rate in the current window is significantly above its baseline rate.
        case errorRateSpike = "error_rate_spike"
        /// A command's p95 latency in the current window is significantly above its baseline p95.
        case latencyRegression = "latency_regression"
        /// An error template the analyzer has not seen before (in the baseline or since).
        case newErrorTemplate = "new_error_template"
        /// The recorder dropped records (its buffer was full) far more than usual.
        case dropBurst = "drop_burst"
    }

    /// The kind.
    public var kind: Kind
    /// The command concerned; `nil` for ``Kind/dropBurst`` (the recorder as a whole).
    public var command: String?
    /// The observed value: error rate (0…1), p95 in ms, occurrences of the new template, or records dropped.
    public var observed: Double
    /// The baseline it is compared with: pooled error rate, baseline p95 in ms, 0, or the usual drops per tick.
    public var baseline: Double
    /// The value the observation had to exceed (see the *Live detection* article of the InteractionMonitor documentation, "How alerts are decided").
    public var threshold: Double
    /// Interactions in the window judged (records for a drop burst).
    public var samples: Int
    /// The error template, for ``Kind/newErrorTemplate``.
    public var template: String?
    /// When the alert was raised (the time passed to ``LiveAnalyzer/observe(_:at:)``).
    public var at: Timestamp
    /// One human sentence.
    public var message: String

    /// Creates an alert value.
    public init(
        kind: Kind, command: String?, observed: Double, baseline: Double, threshold: Double, samples: Int,
        template: String? = nil, at: Timestamp, message: String
    ) {
        self.kind = kind
        self.command = command
        self.observed = observed
        self.baseline = baseline
        self.threshold = threshold
        self.samples = samples
        self.template = template
        self.at = at
        self.message = message
    }

    /// JSON: `kind`, `command` (null for a drop burst), `observed`, `baseline`, `threshold`, `samples`, `at`,
    /// `message`, and `template` for a new error template.
    public var json: JSONValue {
        var o: [String: JSONValue] = [
            "kind": .string(kind.rawValue), "command": command.map(JSONValue.string) ?? .null,
            "observed": .double(observed), "baseline": .double(baseline), "threshold": .double(threshold),
            "samples": .int(Int64(samples)), "at": .string(at.iso8601), "message": .string(message),
        ]
        if let template { o["template"] = .string(template) }
        return .object(o)
    }
}
