import ArgumentParser
import InteractionMonitor
import InteractionMonitorAnalytics

struct PredictCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict", abstract: "Predict the next command in a session, or whether a command's next run fails.",
        subcommands: [PredictNextCommand.self, PredictFailureCommand.self, PredictEvaluateCommand.self])
}

struct PredictNextCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "next",
        abstract: "The likeliest next commands after COMMAND within a session (smoothed first-order Markov model).")
    @OptionGroup var store: StoreOptions
    @Argument(help: "The current command.") var command: String
    @Option(help: "How many to list.") var top: Int = 3
    @Flag(help: "Print JSON: a list of {command, probability}.") var json = false

    func validate() throws { guard top >= 1, top <= 1000 else { throw ValidationError("--top must be between 1 and 1000") } }

    func run() async throws {
        let analyzer = InteractionAnalyzer(reader: try store.reader())
        let model = NextCommandModel(sessions: try analyzer.commandSessions().sessions)
        let p = model.predict(after: command, top: top)
        if json {
            print(JSONValue.array(p.map { ["command": .string($0.command), "probability": .double($0.probability)] }).jsonText)
        } else {
            let n = model.observations(after: command)
            print(n == 0 ? "\(command) was never followed by another command; overall frequencies:" : "After \(command) (\(n) transition(s)):")
            for x in p { print("  \(percent(x.probability).leftPad(6))  \(x.command)") }
        }
        try finish(analyzer)
    }
}

struct PredictFailureCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "failure",
        abstract: "The probability that COMMAND's next run fails given its recent runs, against its long-run rate.",
        discussion: """
            An exponentially weighted failure rate of the last 100 runs (half-life 10 runs), shrunk toward the \
            long-run rate with the weight of 5 runs. Any status other than success counts as a failure.
            """)
    @OptionGroup var store: StoreOptions
    @Argument(help: "The command.") var command: String
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let analyzer = InteractionAnalyzer(reader: try store.reader())
        let f = try analyzer.failurePrediction(command: command)
        if json {
            print(f.json.jsonText)
        } else if f.runs == 0 {
            print("\(command): no runs stored")
        } else {
            print("\(command): next run fails with probability \(percent(f.probability)) (long-run \(percent(f.longRunFailureRate)) over \(f.runs) runs)")
            print("  last runs: " + f.recent.suffix(20).map { $0 ? "✗" : "✓" }.joined())
            if let a = f.failureRateAfterFailure { print("  after a failure: \(percent(a))") }
            if let s = f.failureRateAfterSuccess { print("  after a success: \(percent(s))") }
        }
        try finish(analyzer)
    }
}

struct PredictEvaluateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Honest accuracy of `predict next`: train on the older 80 % of sessions, test on the newer 20 %, against the most-frequent-command baseline.")
    @OptionGroup var store: StoreOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let analyzer = InteractionAnalyzer(reader: try store.reader())
        let e = NextCommandModel.evaluate(sessions: try analyzer.commandSessions().sessions)
        if json {
            print(e.json.jsonText)
        } else {
            print("Trained on \(e.trainSessions) older session(s), tested on \(e.testSessions) newer (\(e.transitions) transitions)")
            print("  Markov model: top-1 \(percent(e.top1)), top-3 \(percent(e.top3))")
            print("  baseline (most frequent commands): top-1 \(percent(e.baselineTop1)), top-3 \(percent(e.baselineTop3))")
        }
        try finish(analyzer)
    }
}
