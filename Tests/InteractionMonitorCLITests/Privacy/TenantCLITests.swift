import Foundation
import Testing

/// `--tenant` / `INTERACTION_MONITOR_TENANT`: two apps in one data and keys directory.
struct TenantCLITests {
    func stats(_ cli: CLIRunner, _ args: [String], env: [String: String] = [:]) throws -> [String: Any] {
        let r = try cli.run(["stats", "--json"] + args, extraEnvironment: env)
        #expect(r.status == 0, "\(r.stderr)")
        return try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any] ?? [:]
    }

    func userHashes(_ cli: CLIRunner, _ args: [String]) throws -> Set<String> {
        let r = try cli.run(["decrypt"] + args)
        #expect(r.status == 0, "\(r.stderr)")
        var out = Set<String>()
        for line in r.stdout.split(separator: "\n") {
            let o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            if let h = o?["user_hash"] as? String { out.insert(h) }
        }
        return out
    }

    func dayFiles(_ dir: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [])
            .filter { $0.hasPrefix("interactions_") && $0.hasSuffix(".jsonl.enc") }.sorted()
    }

    @Test func tenantsShareADirectoryWithSeparateKeysCountsHashesAndErasure() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        let journal = cli.root + "/journal.md"
        let env = ["INTERACTION_MONITOR_JOURNAL": journal]
        // The same raw interactions go to alpha (twice), beta (once) and the default tenant (once).
        let lines = ingestLines(count: 140, prefix: "cmd", users: 7)
        #expect(try cli.run(["ingest", "--tenant", "alpha"], stdin: lines).status == 0)
        #expect(try cli.run(["ingest"], stdin: lines, extraEnvironment: ["INTERACTION_MONITOR_TENANT": "alpha"]).status == 0)
        #expect(try cli.run(["ingest", "--tenant", "beta"], stdin: lines).status == 0)
        #expect(try cli.run(["ingest"], stdin: lines).status == 0)

        #expect(try stats(cli, ["--tenant", "alpha"])["total_interactions"] as? Int == 280)
        #expect(try stats(cli, [], env: ["INTERACTION_MONITOR_TENANT": "alpha"])["total_interactions"] as? Int == 280)
        #expect(try stats(cli, ["--tenant", "beta"])["total_interactions"] as? Int == 140)
        #expect(try stats(cli, [])["total_interactions"] as? Int == 140)
        #expect(try stats(cli, ["--tenant", "default"])["total_interactions"] as? Int == 140)
        #expect(FileManager.default.fileExists(atPath: cli.keys + "/tenants/alpha/keyring"))
        #expect(dayFiles(cli.data + "/tenants/alpha").count == 1 && dayFiles(cli.data + "/tenants/beta").count == 1)

        // Unrelated pseudonyms for the same user ids.
        let alphaHashes = try userHashes(cli, ["--tenant", "alpha"])
        let betaHashes = try userHashes(cli, ["--tenant", "beta"])
        let defaultHashes = try userHashes(cli, [])
        #expect(alphaHashes.count == 7 && betaHashes.count == 7 && defaultHashes.count == 7)
        #expect(alphaHashes.isDisjoint(with: betaHashes) && alphaHashes.isDisjoint(with: defaultHashes))

        // Forget in alpha: alpha loses user-3's 40 records, beta and the default tenant keep theirs.
        var r = try cli.run(["forget", "user-3", "--tenant", "alpha"], extraEnvironment: env)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try stats(cli, ["--tenant", "alpha"])["total_interactions"] as? Int == 240)
        #expect(try stats(cli, ["--tenant", "beta"])["total_interactions"] as? Int == 140)
        #expect(try stats(cli, [])["total_interactions"] as? Int == 140)
        r = try cli.run(["opt-outs", "--tenant", "beta"])
        #expect(r.status == 0 && !r.stdout.contains(alphaHashes.first ?? "-"))

        // Rotation is per tenant: beta's data key changes, alpha's does not.
        let alphaAudit = try cli.run(["audit", "--json", "--tenant", "alpha"], extraEnvironment: env)
        #expect(alphaAudit.status == 0, "\(alphaAudit.stderr)")
        #expect(try cli.run(["keys", "rotate", "--tenant", "beta"], extraEnvironment: env).status == 0)
        // Every audit prints a new checkpoint; everything else about alpha is unchanged.
        func withoutCheckpoint(_ text: String) throws -> NSDictionary {
            var o = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] ?? [:]
            #expect((o["checkpoint"] as? String)?.hasPrefix("imcp1:") == true)
            o["checkpoint"] = nil
            return o as NSDictionary
        }
        let again = try cli.run(["audit", "--json", "--tenant", "alpha"], extraEnvironment: env).stdout
        #expect(try withoutCheckpoint(again) == withoutCheckpoint(alphaAudit.stdout))
        let audit = try JSONSerialization.jsonObject(with: Data(alphaAudit.stdout.utf8)) as? [String: Any]
        #expect(audit?["tenant"] as? String == "alpha" && audit?["records"] as? Int == 240)
        // The journal names the tenant of each operation; audit counts only its tenant's entries.
        let journalText = try String(contentsOfFile: journal, encoding: .utf8)
        #expect(journalText.contains("| forget | ok | tenant=alpha") && journalText.contains("| keys rotate | ok | tenant=beta"))
        #expect(((audit?["journal"] as? [String: Any])?["by_operation"] as? [String: Any])?["keys rotate"] == nil)

        // Verify is clean in each tenant; beta's day file replaced by alpha's is rejected.
        for t in ["alpha", "beta", "default"] { #expect(try cli.run(["verify", "--tenant", t]).status == 0) }
        let name = try #require(dayFiles(cli.data + "/tenants/beta").first)
        try FileManager.default.removeItem(atPath: cli.data + "/tenants/beta/" + name)
        try FileManager.default.copyItem(atPath: cli.data + "/tenants/alpha/" + name, toPath: cli.data + "/tenants/beta/" + name)
        r = try cli.run(["verify", "--tenant", "beta"])
        #expect(r.status == 1, "\(r.stdout)\(r.stderr)")
        #expect(try cli.run(["verify", "--tenant", "alpha"]).status == 0)
    }

    @Test func badTenantNamesAndMismatchedKeyringsAreRefused() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        // A bad --tenant is a usage error; a bad environment value is a configuration error (exit 2).
        var r = try cli.run(["stats", "--tenant", "../x"])
        #expect(r.status == 64, "\(r.stderr)")
        r = try cli.run(["stats"], extraEnvironment: ["INTERACTION_MONITOR_TENANT": "Not Valid"])
        #expect(r.status == 2 && r.stderr.hasPrefix("error: tenant name must be"), "\(r.stderr)")
        // keys init --tenant writes the tenant's keyring; another tenant's keyring copied over is refused (exit 2).
        r = try cli.run(["keys", "init", "--tenant", "alpha"])
        #expect(r.status == 0 && r.stdout.contains("for tenant alpha"), "\(r.stdout)")
        try FileManager.default.createDirectory(atPath: cli.keys + "/tenants", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: cli.keys + "/tenants/alpha", toPath: cli.keys + "/tenants/beta")
        r = try cli.run(["stats", "--tenant", "beta"])
        #expect(r.status == 2 && r.stderr.contains("belongs to tenant alpha, not tenant beta"), "\(r.stderr)")
        r = try cli.run(["ingest", "--tenant", "beta"], stdin: ingestLines(count: 3, prefix: "x"))
        #expect(r.status == 2, "\(r.stderr)")
    }

    @Test func concurrentWritersOfTwoTenantsKeepExactCounts() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        // Six processes at once, three per tenant, all creating their tenant's keyring on first use.
        var running: [(Process, Pipe, Pipe)] = []
        for n in 0..<6 {
            let tenant = n % 2 == 0 ? "alpha" : "beta"
            running.append(try cli.process(["ingest", "--tenant", tenant, "--batch-size", "7"], stdin: ingestLines(count: 150 + n, prefix: "p\(n)")))
        }
        for (p, _, err) in running {
            p.waitUntilExit()
            #expect(p.terminationStatus == 0, "\(String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))")
        }
        #expect(try stats(cli, ["--tenant", "alpha"])["total_interactions"] as? Int == 150 + 152 + 154)
        #expect(try stats(cli, ["--tenant", "beta"])["total_interactions"] as? Int == 151 + 153 + 155)
        for t in ["alpha", "beta"] { #expect(try cli.run(["verify", "--tenant", t]).status == 0) }
    }
}
