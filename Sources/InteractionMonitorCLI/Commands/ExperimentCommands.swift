import ArgumentParser
import Foundation
import InteractionMonitor
import InteractionMonitorAnalytics

/// Parses `a,b,c` lists.
func commaList(_ s: String) -> [String] {
    s.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingSpaces() }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}

struct AssignCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assign",
        abstract: "Assign user ids (one per line on stdin) to EXPERIMENT's variants; prints one variant per line.",
        discussion: """
            The same deterministic scheme as the library's `variant(experiment:userID:variants:weights:)` \
            (scheme v1, see SECURITY.md), for servers in other languages. Nothing is recorded and no store or key \
            is needed; a secret assignment key is taken from INTERACTION_MONITOR_EXPERIMENT_KEY (hex) when set. \
            An empty input line gets an empty output line.
            """)

    @Argument(help: "The experiment name.") var experiment: String
    @Option(help: "Variant names, comma-separated (the first is the control).") var variants: String
    @Option(help: "Integer weights, comma-separated, one per variant (default equal).") var weights: String?

    func parsed() throws -> ([String], [Int]?) {
        let v = commaList(variants)
        guard !v.contains(where: \.isEmpty) else { throw ValidationError("--variants must not contain empty names") }
        var w: [Int]?
        if let weights {
            w = try commaList(weights).map { s in
                guard let x = Int(s), x >= 0 else { throw ValidationError("--weights must be non-negative integers") }
                return x
            }
        }
        do {
            _ = try ExperimentAssignment.bounds(variants: v, weights: w)
        } catch let e as InteractionMonitorError {
            throw ValidationError(e.message)
        }
        return (v, w)
    }

    func validate() throws { _ = try parsed() }

    func run() async throws {
        let (v, w) = try parsed()
        let assignment = try ExperimentAssignment.fromEnvironment()
        let reader = try LineReader(path: nil)
        var out = OutputStream.standardOutput()
        while var line = reader.next() {
            if line.last == 13 { line.removeLast() }
            if line.isEmpty {
                out.line("")
                continue
            }
            out.line(try assignment.variant(experiment: experiment, userID: String(decoding: line, as: UTF8.self), variants: v, weights: w))
        }
        out.flush()
    }
}

struct ExperimentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "experiment",
        abstract: "Compare an experiment's variants: success rate (95 % CI), median duration, p-values, sample-ratio check.",
        discussion: """
            Users are those with an `experiment_exposure` of NAME; each counts in the variant of their first \
            exposure, with their interactions from then on (or only those of --command). Success rates are compared \
            with a two-proportion z-test whose variance is computed over users (delta method), durations with a \
            Mann–Whitney U test over each user's median duration, and the user counts against --weights with a \
            chi-square test, flagged as a sample-ratio mismatch at p < 0.001.
            """)

    @OptionGroup var store: StoreOptions
    @Argument(help: "The experiment name.") var name: String
    @Option(help: "Only this command's interactions.") var command: String?
    @Option(help: "Variant order, comma-separated (the first is the control; default: sorted names).") var variants: String?
    @Option(help: "Expected shares, comma-separated, in variant order (default equal).") var weights: String?
    @Flag(help: "Print JSON instead of text.") var json = false
    @OptionGroup var privacy: PrivateReleaseOptions

    /// Reads and clips, charges the budget, then releases noisy per-variant counts (nothing printed when refused).
    private func runPrivate(_ epsilon: PrivacyAmount) throws {
        guard let order = variants.map(commaList) else { throw ValidationError("with --epsilon, name the variants with --variants (only they are released)") }
        let weights = try parsedWeights()
        if let weights, weights.count != order.count {
            throw ValidationError("\(weights.count) weight(s) for \(order.count) variant(s)")
        }
        let reader = try store.reader()
        let analyzer = InteractionAnalyzer(reader: reader)
        let clipped = try analyzer.privateExperiment(name, command: command, variants: order, maxContribution: privacy.maxContribution)
        if let report = analyzer.lastReport { try requireIntact(report) }
        guard !clipped.isEmpty else {
            throw InteractionMonitorError(
                .configuration,
                "experiment '\(name)': no exposures are stored (a typo in the name?); nothing was charged to the privacy budget")
        }
        let ledger = try privacy.charge(epsilon, command: "experiment", reader: reader, journal: try store.journal)
        let r = try PrivateExperiment.release(clipped, experiment: name, epsilon: epsilon, weights: weights)
        if json {
            print(r.json.jsonText)
            return
        }
        func pv(_ p: Double?) -> String { p.map { $0 < 0.0001 ? "< 0.0001" : format($0, 4) } ?? "–" }
        print("Experiment \(name)" + (command.map { " (command \($0))" } ?? "") + " — differentially private: ε = \(epsilon), at most \(r.maxContribution) interactions per user")
        print("  variant               users  interactions  successes  success rate  p vs control")
        for v in r.variants {
            print("  \(v.variant.padding(toLength: 20, withPad: " ", startingAt: 0)) \(String(v.users).leftPad(6)) \(String(v.interactions).leftPad(13)) \(String(v.successes).leftPad(10)) \((v.successRate.map(percent) ?? "–").leftPad(13)) \(pv(v.pValueVsControl).leftPad(13))")
        }
        print("  p-value success rate (Bonferroni): \(pv(r.pValueSuccessRate)); sample ratio: p = \(pv(r.srmPValue))" + (r.sampleRatioMismatch ? "  MISMATCH (p < 0.001): do not trust this result" : " (ok)"))
        print("  Durations are withheld. Budget: \(ledger.spent) of \(ledger.budget.map(\.description) ?? "-") spent.")
    }

    func parsedWeights() throws -> [Double]? {
        try weights.map { w in
            try commaList(w).map { s in
                guard let x = Double(s), x >= 0, x.isFinite else { throw ValidationError("--weights must be non-negative numbers") }
                return x
            }
        }
    }

    func validate() throws {
        if let w = try parsedWeights(), !w.contains(where: { $0 > 0 }) { throw ValidationError("--weights add up to 0") }
        if let v = variants.map(commaList) {
            guard !v.contains(where: \.isEmpty), Set(v).count == v.count else {
                throw ValidationError("--variants must be distinct, non-empty names")
            }
        }
    }

    func run() async throws {
        if let epsilon = try privacy.amount { return try runPrivate(epsilon) }
        let analyzer = InteractionAnalyzer(reader: try store.reader())
        let r = try analyzer.experiment(name, command: command, variants: variants.map(commaList), weights: try parsedWeights())
        if r.variants.allSatisfy({ $0.users == 0 }) {
            printError("experiment '\(name)': no exposures are stored (a typo in the name, or no `variant(experiment:…)` call has been flushed yet)")
        }
        if json {
            print(r.json.jsonText)
        } else {
            func pct(_ d: Double?) -> String { d.map(percent) ?? "–" }
            print("Experiment \(name)" + (command.map { " (command \($0))" } ?? ""))
            print("  variant               users  interactions  success rate  95 % CI            median ms")
            for v in r.variants {
                let ci = "[\(pct(v.ciLow)), \(pct(v.ciHigh))]"
                print(
                    "  \(v.variant.padding(toLength: 20, withPad: " ", startingAt: 0)) \(String(v.users).leftPad(6)) \(String(v.interactions).leftPad(13)) \(pct(v.successRate).leftPad(13))  \(ci.padding(toLength: 18, withPad: " ", startingAt: 0)) \(v.medianDurationMs.map { format($0) } ?? "–")"
                )
            }
            func pv(_ p: Double) -> String { p < 0.0001 ? "< 0.0001" : format(p, 4) }
            print("  p-value success rate: \(pv(r.pValueSuccessRate)), duration: \(pv(r.pValueDuration))")
            print("  sample ratio: p = \(pv(r.srmPValue))" + (r.sampleRatioMismatch ? "  MISMATCH (p < 0.001): do not trust this result" : " (ok)"))
            if r.usersInSeveralVariants > 0 { print("  \(r.usersInSeveralVariants) user(s) exposed to several variants (counted in their first)") }
        }
        try finish(analyzer)
    }
}
