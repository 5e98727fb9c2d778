import Foundation
import Testing

/// `privacy budget`, `privacy ledger` and `stats --epsilon` through the CLI.
struct PrivacyBudgetCLITests {
    @Test func statsWithEpsilonIsChargedBeforeReleaseAndAnOverspendExits2() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        #expect(try cli.run(["keys", "init"]).status == 0)
        let lines = (0..<200).map { n in
            #"{"command":"c","status":"\#(n % 5 == 0 ? "failure" : "success")","duration_ms":5,"user_id":"u\#(n % 40)"}"#
        }.joined(separator: "\n") + "\n"
        #expect(try cli.run(["ingest"], stdin: lines).status == 0)
        var r = try cli.run(["stats", "--epsilon", "0.5"])
        #expect(r.status == 2 && r.stderr.contains("no privacy budget") && r.stdout.isEmpty, "\(r.stderr)")
        #expect(try cli.run(["privacy", "budget", "--set", "1"]).status == 0)
        r = try cli.run(["stats", "--epsilon", "0.6", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let o = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any] ?? [:]
        #expect(o["epsilon"] as? Double == 0.6 && o["max_contribution"] as? Int == 10 && o["total_interactions"] is Int)
        #expect(o["successful_interactions"] is Int && o["count_noise_sd"] is Double && o["noise_dominates"] as? Bool == true, "\(o)")
        // The exact release and the private one share their keys.
        let exact = try JSONSerialization.jsonObject(with: Data(try cli.run(["stats", "--json"]).stdout.utf8)) as? [String: Any] ?? [:]
        for key in ["total_interactions", "successful_interactions", "failed_interactions", "success_rate", "unique_users"] {
            #expect(exact[key] != nil && o[key] != nil, "\(key)")
        }
        // 0.6 + 0.6 > 1: refused, nothing printed, nothing charged.
        r = try cli.run(["stats", "--epsilon", "0.6"])
        #expect(r.status == 2 && r.stdout.isEmpty && r.stderr.contains("exceed the privacy budget"), "\(r.stderr)")
        r = try cli.run(["stats", "--epsilon", "0.4"])
        #expect(r.status == 0 && r.stdout.contains("differentially private"), "\(r.stderr)")
        r = try cli.run(["privacy", "ledger", "--json"])
        let ledger = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any] ?? [:]
        let spends = ledger["spends"] as? [[String: Any]] ?? []
        #expect(spends.map { $0["epsilon"] as? String } == ["0.6", "0.4"] && spends.allSatisfy { $0["command"] as? String == "stats" })
        #expect(ledger["spent"] as? String == "1" && ledger["budget"] as? String == "1")
        #expect(try cli.run(["stats", "--epsilon", "0.0000001"]).status == 2)
        #expect(try cli.run(["privacy", "budget"]).stdout.contains("spent 1; left 0"))
    }
}

/// `--epsilon` on `analyze`, `report`, `segments` and `experiment`: charged before release, refused (exit 2, no
/// output, no file) when the budget is short, and only noisy, documented figures released.
struct PrivateCommandsCLITests {
    func json(_ text: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] ?? [:]
    }

    @Test func everyAnalysisCommandReleasesOnlyAfterChargingTheLedger() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        #expect(try cli.run(["keys", "init"]).status == 0)
        var lines = ""
        for n in 0..<600 {
            let user = "u\(n % 60)"
            lines += #"{"command":"\#(["deploy", "build", "status"][n % 3])","status":"\#(n % 4 == 0 ? "failure" : "success")","duration_ms":5,"user_id":"\#(user)"}"# + "\n"
            if n < 60 {
                lines += #"{"interaction_type":"experiment_exposure","command":"experiment_exposure","status":"success","duration_ms":0,"user_id":"\#(user)","metadata":{"experiment":"checkout","variant":"\#(n % 2 == 0 ? "a" : "b")"}}"# + "\n"
            }
        }
        #expect(try cli.run(["ingest"], stdin: lines).status == 0)
        var r = try cli.run(["analyze", "--epsilon", "1", "--public-commands", "deploy,build"])
        #expect(r.status == 2 && r.stdout.isEmpty && r.stderr.contains("no privacy budget"), "\(r.stderr)")
        #expect(try cli.run(["privacy", "budget", "--set", "5"]).status == 0)

        // analyze: the public list is released exactly, in order; a thresholded release records its δ.
        r = try cli.run(["analyze", "--epsilon", "1", "--public-commands", "deploy,build", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        var o = try json(r.stdout)
        #expect((o["commands"] as? [[String: Any]])?.compactMap { $0["command"] as? String } == ["deploy", "build"])
        #expect(o["threshold"] is NSNull && o["epsilon"] as? String == "1")
        r = try cli.run(["analyze", "--epsilon", "0.5", "--json"])
        o = try json(r.stdout)
        // 60 users are far below the threshold for ε = 0.5: no command is released.
        #expect(r.status == 0 && (o["commands"] as? [Any])?.isEmpty == true && (o["threshold"] as? Int ?? 0) > 1000, "\(r.stdout)")
        #expect(try cli.run(["analyze", "--epsilon", "1", "--min-users", "3"]).status == 64)

        // report: a file only when charged.
        let page = cli.root + "/private.html"
        r = try cli.run(["report", "--epsilon", "1", "--output", page, "--public-commands", "deploy"])
        #expect(r.status == 0, "\(r.stderr)")
        let html = try String(contentsOfFile: page, encoding: .utf8)
        #expect(html.contains("differentially private") && html.contains("deploy") && !html.contains("p95"))

        // experiment: variants must be named; released per variant in that order.
        #expect(try cli.run(["experiment", "checkout", "--epsilon", "0.5"]).status == 64)
        r = try cli.run(["experiment", "checkout", "--epsilon", "0.5", "--variants", "a,b", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        o = try json(r.stdout)
        #expect((o["variants"] as? [[String: Any]])?.compactMap { $0["variant"] as? String } == ["a", "b"])

        // segments: 2 left of 5 — this spends them; the next queries are refused with no output.
        r = try cli.run(["segments", "--epsilon", "2", "--k", "2", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try json(r.stdout)["k"] as? Int == 2)
        let page2 = cli.root + "/refused.html"
        r = try cli.run(["report", "--epsilon", "0.1", "--output", page2])
        #expect(r.status == 2 && r.stdout.isEmpty && !FileManager.default.fileExists(atPath: page2), "\(r.stderr)")
        r = try cli.run(["segments", "--epsilon", "0.1"])
        #expect(r.status == 2 && r.stdout.isEmpty)

        r = try cli.run(["privacy", "ledger", "--json"])
        let spends = try json(r.stdout)["spends"] as? [[String: Any]] ?? []
        #expect(spends.compactMap { $0["command"] as? String } == ["analyze", "analyze", "report", "experiment", "segments"])
        #expect(spends[0]["delta"] == nil && spends[1]["delta"] as? Double == 1e-6)
        #expect(try json(r.stdout)["spent"] as? String == "5")
    }
}
