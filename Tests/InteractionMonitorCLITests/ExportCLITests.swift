import Foundation
import Testing

struct ExportCLITests {
    @Test func exportsStoredInteractionsAsJSONOrCSVAndAnalysisAsJSON() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        try cli.run(["keys", "init"])
        var lines = ""
        let now = Date().timeIntervalSince1970
        for n in 0..<40 {
            // Half within the last 2 hours, half 3 days ago.
            let t = Date(timeIntervalSince1970: now - (n < 20 ? 600 : 3 * 86_400) - Double(n))
            let ts = ISO8601DateFormatter().string(from: t)
            lines += #"{"timestamp":"\#(ts)","command":"c\#(n)","status":"success","duration_ms":1,"user_id":"erin@example.com","error_message":"x, \"quoted\"\nnext","metadata":{"k":"v"}}"# + "\n"
        }
        #expect(try cli.run(["ingest"], stdin: lines).status == 0)
        var r = try cli.run(["export"])
        #expect(r.status == 0, "\(r.stderr)")
        let all = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]] ?? []
        #expect(all.count == 40 && !r.stdout.contains("erin"))
        r = try cli.run(["export", "--hours", "2"])
        #expect((try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [Any])?.count == 20)
        r = try cli.run(["export", "--format", "csv", "--hours", "2"])
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("timestamp,interaction_type,command,status,duration_ms,error_message,session_id,user_hash,metadata\n"))
        #expect(r.stdout.contains(#""x, ""quoted""\#nnext""#))
        // 20 records, each with one embedded line break in a quoted field, plus the header.
        #expect(r.stdout.split(separator: "\n").count == 1 + 20 * 2)
        r = try cli.run(["export", "--what", "analysis"])
        let a = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any] ?? [:]
        #expect(Set(a.keys).isSuperset(of: ["statistics", "recent", "patterns", "anomalies", "profiles"]))
        #expect(try cli.run(["export", "--what", "analysis", "--format", "csv"]).status == 64)
    }
}
