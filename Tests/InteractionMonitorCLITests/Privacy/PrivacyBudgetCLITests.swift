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
        #expect(o["epsilon"] as? String == "0.6" && o["max_contribution"] as? Int == 10 && o["total"] is Int)
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
