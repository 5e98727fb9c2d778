import Foundation
import Testing

struct SegmentsExperimentsCLITests {
    func json(_ s: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(s.utf8)) }

    @Test func assignExperimentSegmentsPredictAndFeatureExport() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        #expect(try cli.run(["keys", "init"]).status == 0)
        // assign: the documented test vectors, one variant per line, no store needed.
        var r = try cli.run(["assign", "checkout-button", "--variants", "a,b,c", "--weights", "30,20,50"], stdin: "user-4\nuser-3\nuser-1\n")
        #expect(r.status == 0 && r.stdout == "a\nb\nc\n", "\(r.stderr)")
        // A secret assignment key from the environment (SECURITY.md vector: bucket 9465 of 10,000); a malformed one
        // is a configuration error.
        let secret = (0..<32).map { String(format: "%02x", $0) }.joined()
        r = try cli.run(["assign", "checkout-button", "--variants", "a,b", "--weights", "9465,535"], stdin: "user-1\n",
                        extraEnvironment: ["INTERACTION_MONITOR_EXPERIMENT_KEY": secret])
        #expect(r.stdout == "b\n", "\(r.stderr)")
        r = try cli.run(["assign", "checkout-button", "--variants", "a,b", "--weights", "9466,534"], stdin: "user-1\n",
                        extraEnvironment: ["INTERACTION_MONITOR_EXPERIMENT_KEY": secret])
        #expect(r.stdout == "a\n")
        r = try cli.run(["assign", "e", "--variants", "a,b"], stdin: "u\n", extraEnvironment: ["INTERACTION_MONITOR_EXPERIMENT_KEY": "zz"])
        #expect(r.status == 2 && r.stderr.split(separator: "\n").count == 1)
        #expect(try cli.run(["assign", "x", "--variants", "a,a"], stdin: "").status == 64)
        #expect(try cli.run(["assign", "x", "--variants", "a,b", "--weights", "1"], stdin: "").status == 64)
        let users = (0..<300).map { "user-\($0)@example.com" }
        r = try cli.run(["assign", "checkout", "--variants", "control,treatment"], stdin: users.joined(separator: "\n") + "\n")
        let variants = r.stdout.split(separator: "\n").map(String.init)
        #expect(variants.count == 300 && Set(variants) == ["control", "treatment"])

        let start = Date().timeIntervalSince1970 - 3 * 3600
        let f = ISO8601DateFormatter()
        var lines = ""
        for (n, (u, v)) in zip(users, variants).enumerated() {
            let t0 = start + Double(n)
            lines += #"{"timestamp":"\#(f.string(from: Date(timeIntervalSince1970: t0)))","interaction_type":"experiment_exposure","command":"experiment_exposure","status":"success","duration_ms":0,"user_id":"\#(u)","metadata":{"experiment":"checkout","variant":"\#(v)"}}"# + "\n"
            for k in 0..<4 {
                let ok = v == "treatment" || k % 2 == 0
                let cmd = k == 0 ? "cart" : "pay"
                lines += #"{"timestamp":"\#(f.string(from: Date(timeIntervalSince1970: t0 + 1000 + Double(k))))","command":"\#(cmd)","status":"\#(ok ? "success" : "failure")","duration_ms":\#(10 + k),"user_id":"\#(u)","session_id":"s\#(n)"}"# + "\n"
            }
        }
        r = try cli.run(["ingest"], stdin: lines)
        #expect(r.status == 0, "\(r.stderr)")

        r = try cli.run(["experiment", "checkout", "--command", "pay", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!r.stderr.contains("no exposures"))
        // A misspelt experiment says so on stderr instead of printing an empty table silently.
        let typo = try cli.run(["experiment", "chekout"])
        #expect(typo.status == 0 && typo.stderr.contains("experiment 'chekout': no exposures are stored"), "\(typo.stderr)")
        let e = try json(r.stdout) as? [String: Any] ?? [:]
        let rows = e["variants"] as? [[String: Any]] ?? []
        #expect(rows.map { $0["variant"] as? String } == ["control", "treatment"])
        #expect(Set(rows.first.map { Array($0.keys) } ?? []).isSuperset(of: ["variant", "users", "success_rate", "ci_low", "ci_high", "median_duration_ms"]))
        #expect((e["p_value_success_rate"] as? Double ?? 1) < 0.001)
        #expect(e["p_value_duration"] is Double && e["sample_ratio_mismatch"] as? Bool == false)
        // Heavily skewed expected weights trip the ratio check.
        r = try cli.run(["experiment", "checkout", "--weights", "90,10", "--json"])
        #expect((try json(r.stdout) as? [String: Any])?["sample_ratio_mismatch"] as? Bool == true)
        #expect(try cli.run(["experiment", "checkout", "--weights", "1,2,3"]).status == 1)
        r = try cli.run(["experiment", "checkout"])
        #expect(r.status == 0 && r.stdout.contains("treatment") && !r.stdout.contains("@example.com"))

        r = try cli.run(["segments", "--json", "--members"])
        #expect(r.status == 0, "\(r.stderr)")
        let s = try json(r.stdout) as? [String: Any] ?? [:]
        let segs = s["segments"] as? [[String: Any]] ?? []
        #expect(!segs.isEmpty && segs.allSatisfy { Set($0.keys).isSuperset(of: ["segment_id", "size", "top_commands", "success_rate", "description", "members"]) })
        #expect(!r.stdout.contains("@example.com"))
        r = try cli.run(["segments", "--min-users", "100000", "--json"])
        #expect(((try json(r.stdout) as? [String: Any])?["segments"] as? [Any])?.isEmpty == true)
        #expect(try cli.run(["segments", "--k", "0"]).status == 64)

        r = try cli.run(["predict", "next", "cart", "--json"])
        let p = try json(r.stdout) as? [[String: Any]] ?? []
        #expect(p.first?["command"] as? String == "pay" && (p.first?["probability"] as? Double ?? 0) > 0.9)
        r = try cli.run(["predict", "failure", "pay", "--json"])
        #expect((try json(r.stdout) as? [String: Any])?["probability"] is Double)
        r = try cli.run(["predict", "evaluate", "--json"])
        #expect((try json(r.stdout) as? [String: Any])?["top1_accuracy"] is Double)

        r = try cli.run(["export", "--features", "--format", "csv"])
        #expect(r.status == 0, "\(r.stderr)")
        let csv = r.stdout.split(separator: "\n")
        #expect(csv.first?.hasPrefix("user_hash,interactions,success_rate,sessions,avg_session_minutes") == true)
        #expect(csv.count == 301 && !r.stdout.contains("@example.com") && !r.stdout.contains("experiment_exposure"))
        // --hours is exact: everything here is more than two hours old.
        #expect(try cli.run(["export", "--features", "--format", "csv", "--hours", "1"]).stdout.split(separator: "\n").count == 1)
        #expect(try cli.run(["experiment", "checkout", "--variants", "a,a"]).status == 64)
        r = try cli.run(["export", "--features", "--min-users", "1000"])
        let featureRows = (try json(r.stdout) as? [String: Any])?["users"] as? [Any]
        #expect(r.status == 0 && featureRows?.isEmpty == true)
    }
}
