import Foundation
import Testing

/// `access USER_ID`: a data-subject access request answered from the store — only that user's data, across
/// hash-key epochs, with files, keys, profile and opt-out state; recorded in the journal without the raw id.
struct AccessCLITests {
    func lines(_ users: [(String, Int)], prefix: String) -> String {
        var out = ""
        var n = 0
        for (user, count) in users {
            for k in 0..<count {
                out += #"{"command":"\#(prefix)-\#(k % 3)","status":"\#(k % 4 == 0 ? "failure" : "success")","duration_ms":\#(10 + k),"user_id":"\#(user)","metadata":{"contact":"\#(user)@example.com","n":\#(n)}}"# + "\n"
                n += 1
            }
        }
        return out
    }

    func object(_ text: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] ?? [:]
    }

    @Test func accessReturnsOnlyThatUsersDataAcrossHashKeyEpochs() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        let journal = cli.root + "/journal.md"
        let env = ["INTERACTION_MONITOR_JOURNAL": journal]
        #expect(try cli.run(["keys", "init"]).status == 0)
        #expect(try cli.run(["ingest"], stdin: lines([("alice", 7), ("bob", 5), ("carol", 3)], prefix: "a")).status == 0)
        #expect(try cli.run(["keys", "rotate", "--hash-key"]).status == 0)
        #expect(try cli.run(["ingest"], stdin: lines([("alice", 4), ("bob", 2)], prefix: "b")).status == 0)
        #expect(try cli.run(["opt-out", "bob"], extraEnvironment: env).status == 0)

        var r = try cli.run(["access", "alice", "--json"], extraEnvironment: env)
        #expect(r.status == 0, "\(r.stderr)")
        var o = try object(r.stdout)
        let hashes = (o["user_hashes"] as? [[String: Any]] ?? []).compactMap { $0["user_hash"] as? String }
        #expect(hashes.count == 2 && Set(hashes).count == 2)
        let records = o["interactions"] as? [[String: Any]] ?? []
        // Both epochs: 7 records under the first hash key, 4 under the second.
        #expect(records.count == 11)
        #expect(records.allSatisfy { hashes.contains($0["user_hash"] as? String ?? "") })
        #expect(o["opted_out"] as? Bool == false)
        let files = o["files"] as? [[String: Any]] ?? []
        #expect(files.count == 1 && files.first?["interactions"] as? Int == 11 && (files.first?["key_ids"] as? [String])?.count == 1)
        #expect((o["profile"] as? [String: Any])?["total_interactions"] as? Int == 11, "\(o["profile"] ?? "nil")")
        // As stored: scrubbed, and nothing of the other users.
        #expect(!r.stdout.contains("alice@example.com") && r.stdout.contains("[EMAIL]"))
        #expect(!r.stdout.contains("\"alice\""))

        r = try cli.run(["access", "bob", "--json"], extraEnvironment: env)
        o = try object(r.stdout)
        #expect((o["interactions"] as? [[String: Any]])?.count == 7 && o["opted_out"] as? Bool == true)
        #expect((o["derived_files"] as? [String] ?? []).contains("optouts.enc"))

        // Text form, and an unknown user: nothing held, exit 0.
        r = try cli.run(["access", "dave"], extraEnvironment: env)
        #expect(r.status == 0 && r.stdout.contains("interactions:  0 in 0 file(s)") && r.stdout.contains("opted out:     no"), "\(r.stdout)")
        r = try cli.run(["access", "-"], stdin: "carol\n", extraEnvironment: env)
        #expect(r.stdout.contains("interactions:  3 in 1 file(s)") && !r.stdout.contains("carol"), "\(r.stdout)")

        // The journal records each request by pseudonym, never the raw id.
        let text = (try? String(contentsOfFile: journal, encoding: .utf8)) ?? ""
        #expect(text.components(separatedBy: "access").count - 1 >= 4)
        #expect(!text.contains("alice") && !text.contains("carol") && !text.contains("dave"))
    }
}
