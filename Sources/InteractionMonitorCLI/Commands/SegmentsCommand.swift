import ArgumentParser
import InteractionMonitor
import InteractionMonitorAnalytics

struct SegmentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "segments",
        abstract: "Group pseudonymous users by behaviour (command mix, success rate, active hours, session length).",
        discussion: """
            k-means over standardised per-user features with k-means++ seeding from a fixed seed (runs repeat). \
            Without --k, k is the value in 2…8 with the best mean silhouette, or 1 when none reaches 0.25. \
            --min-users K hides segments of fewer than K users.
            """)
    @OptionGroup var store: StoreOptions
    @OptionGroup var options: AnalysisOptions
    @Option(help: "Number of segments (default: chosen by silhouette).") var k: Int?
    @Flag(help: "List each segment's user hashes.") var members = false
    @OptionGroup var privacy: PrivateReleaseOptions

    /// Segments of a private release when --k is not given (choosing k by silhouette would look at the data).
    static let defaultPrivateK = 4

    func validate() throws {
        if let k, k < 1 || k > 100 { throw ValidationError("--k must be between 1 and 100") }
        if privacy.epsilon != nil, members || options.minUsers != nil {
            throw ValidationError("--members and --min-users do not apply to a private release (--epsilon)")
        }
    }

    /// Reads the features, charges the budget, then runs the private k-means (nothing printed when refused).
    private func runPrivate(_ epsilon: PrivacyAmount) throws {
        let reader = try store.reader()
        let analyzer = InteractionAnalyzer(reader: reader)
        let features = try analyzer.userFeatures()
        if let report = analyzer.lastReport { try requireIntact(report) }
        let ledger = try privacy.charge(epsilon, command: "segments", reader: reader, journal: try store.journal)
        let s = try PrivateSegments.release(features, k: k ?? Self.defaultPrivateK, epsilon: epsilon)
        if options.json {
            print(s.json.jsonText)
            return
        }
        print("\(s.segments.count) segment(s) of \(s.k) asked for (differentially private: ε = \(epsilon); private k-means, \(PrivateSegments.iterations) iterations)")
        for g in s.segments { print("[\(g.segmentID)] \(g.description)") }
        print("Command mixes and members are withheld. Budget: \(ledger.spent) of \(ledger.budget.map(\.description) ?? "-") spent.")
    }

    func run() async throws {
        if let epsilon = try privacy.amount { return try runPrivate(epsilon) }
        let analyzer = try options.analyzer(store)
        let s = try analyzer.segments(k: k)
        if options.json {
            print(JSONValue.object([
                "k": .int(Int64(s.k)), "users": .int(Int64(s.users)), "silhouette": .double(s.silhouette),
                "hidden_segments": .int(Int64(s.hiddenSegments)),
                "segments": .array(s.segments.map { $0.json(includeMembers: members) }),
            ]).jsonText)
        } else {
            print("\(s.users) user(s) in \(s.k) segment(s) (silhouette \(format(s.silhouette, 2)))")
            for g in s.segments {
                print("[\(g.segmentID)] \(g.description)")
                print("    size \(g.size), success rate \(percent(g.successRate)), top commands: \(g.topCommands.joined(separator: ", "))")
                if members { print("    members: \(g.members.joined(separator: " "))") }
            }
            if s.hiddenSegments > 0 { print("(\(s.hiddenSegments) segment(s) hidden: fewer than \(options.minUsers ?? 0) users)") }
        }
        try finish(analyzer)
    }
}
