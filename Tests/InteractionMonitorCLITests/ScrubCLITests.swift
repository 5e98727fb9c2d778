import Foundation
import InteractionMonitor
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite(.serialized) struct ScrubCLITests {
    init() { signal(SIGPIPE, SIG_IGN) }

    @Test func scrubWritesExactlyOneLinePerInputLine() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        let input = [
            "mail alice@example.com from 10.1.2.3", "", "   ", "password=hunter2", "-----BEGIN RSA PRIVATE KEY-----",
            "MIIEpAIBAAKCAQEA", "-----END RSA PRIVATE KEY-----", "version 1.2.3 took 1500ms", "tab\there",
            String(repeating: "x", count: 100_000), "émoji 🎉 card 4111 1111 1111 1111",
        ]
        let r = try cli.run(["scrub"], stdin: input.joined(separator: "\n") + "\n")
        #expect(r.status == 0)
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == input.count)
        #expect(lines[0] == "mail [EMAIL] from [IPV4]")
        #expect(lines[1] == "" && lines[2] == "   ")
        #expect(lines[3] == "password=[SECRET]")
        // Each line is scrubbed on its own, as the library scrubs each field: the line that opens a
        // key block is replaced from its BEGIN marker on; the lines after it are ordinary lines.
        #expect(lines[4] == "[PRIVATE_KEY]")
        #expect(lines[5] == "MIIEpAIBAAKCAQEA")
        #expect(lines[6] == "-----END RSA PRIVATE KEY-----")
        #expect(lines[7] == "version 1.2.3 took 1500ms")
        #expect(lines[10] == "émoji 🎉 card [CARD]")
        // No trailing newline on the last input line: still one output line.
        #expect(try cli.run(["scrub"], stdin: "a@b.example.com").stdout == "[EMAIL]\n")
    }

    @Test func aLoneBeginLineDoesNotSwallowTheLinesAfterIt() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        let input = ["-----BEGIN RSA PRIVATE KEY-----", "mail alice@example.com", "version 1.2.3 took 1500ms"]
        let r = try cli.run(["scrub"], stdin: input.joined(separator: "\n") + "\n")
        #expect(r.status == 0)
        #expect(r.stdout == "[PRIVATE_KEY]\nmail [EMAIL]\nversion 1.2.3 took 1500ms\n")
    }

    @Test func jsonModeScrubsTextsThatSpanLines() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        let texts = [
            "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\nafter the key",
            "first line\nmail alice@example.com\t\"quoted\"",
            "",
        ]
        let input = texts.map { JSONValue.string($0).jsonText }.joined(separator: "\n") + "\n"
        let r = try cli.run(["scrub", "--json"], stdin: input)
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == texts.count)
        let outputs = lines.map { try? JSONValue(parsing: Array($0.utf8)).stringValue }
        #expect(outputs[0] == "[PRIVATE_KEY]\nafter the key")
        #expect(outputs[1] == "first line\nmail [EMAIL]\t\"quoted\"")
        #expect(outputs[2] == "")
        let bad = try cli.run(["scrub", "--json"], stdin: "not json\n")
        #expect(bad.status != 0 && bad.stderr.contains("line 1"))
    }

    private struct CorpusRow: Decodable {
        let text: String
    }

    /// `scrub --json` is the library's filter: on every line of every labelled corpus it writes what
    /// ``PIIScrubber/scrub(_:)`` returns in process.
    @Test func scrubAgreesWithTheLibraryOnEveryCorpusLine() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("InteractionMonitorTests/Privacy")
        let corpora = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasPrefix("pii-") && $0.hasSuffix(".jsonl") }.sorted()
        #expect(corpora.count >= 4)
        let scrubber = PIIScrubber()
        for name in corpora {
            let rows = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
                .split(separator: "\n")
            let texts = try rows.map { try JSONDecoder().decode(CorpusRow.self, from: Data($0.utf8)).text }
            let input = texts.map { JSONValue.string($0).jsonText }.joined(separator: "\n") + "\n"
            let r = try cli.run(["scrub", "--json"], stdin: input)
            #expect(r.status == 0, "\(name): \(r.stderr)")
            let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            #expect(lines.count == texts.count, "\(name)")
            for (text, line) in zip(texts, lines) {
                let cliOutput = try? JSONValue(parsing: Array(line.utf8)).stringValue
                #expect(cliOutput == scrubber.scrub(text), "\(name): \(text)")
            }
        }
    }

    @Test func whatRecordingStoresIsWhatScrubPrintsForEveryCorpusLine() throws {
        // Every corpus text recorded as an error message (ingest → the monitor's flush → sealed segments), read back
        // with decrypt, equals what `scrub --json` prints for it.
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        #expect(try cli.run(["keys", "init"]).status == 0)
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("InteractionMonitorTests/Privacy")
        let corpora = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasPrefix("pii-") && $0.hasSuffix(".jsonl") }.sorted()
        var texts: [String] = []
        for name in corpora {
            texts += try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8).split(separator: "\n")
                .map { try JSONDecoder().decode(CorpusRow.self, from: Data($0.utf8)).text }
        }
        #expect(texts.count > 3000)
        let lines = texts.map { t -> String in
            let o: JSONValue = ["command": "c", "status": "failure", "error_message": .string(t)]
            return o.jsonText
        }
        let ingest = try cli.run(["ingest", "--batch-size", "500"], stdin: lines.joined(separator: "\n") + "\n")
        #expect(ingest.status == 0 && ingest.stdout.contains("recorded \(texts.count) interactions"), "\(ingest.stdout) \(ingest.stderr)")
        let decrypted = try cli.run(["decrypt"])
        #expect(decrypted.status == 0)
        let stored = try decrypted.stdout.split(separator: "\n").map { line -> String in
            guard case .object(let o) = try JSONValue(parsing: Array(line.utf8)), case .string(let m)? = o["error_message"] else {
                return "<no error_message>"
            }
            return m
        }
        let scrubbed = try cli.run(["scrub", "--json"], stdin: texts.map { JSONValue.string($0).jsonText }.joined(separator: "\n") + "\n")
        let printed = scrubbed.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            .map { (try? JSONValue(parsing: Array($0.utf8)).stringValue ?? "") ?? "" }
        #expect(stored.count == texts.count && printed.count == texts.count)
        var differences = 0
        for (i, (a, b)) in zip(stored, printed).enumerated() where a != b {
            differences += 1
            if differences <= 3 { Issue.record("corpus text \(i): stored \(a) but scrub printed \(b)") }
        }
        #expect(differences == 0)
    }

    @Test func scrubConfigFileAddsPatternsAndABadFileExits2() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        let config = cli.root + "/scrub.json"
        try #"{"extra_patterns":[{"name":"TICKET","regex":"TCK-[0-9]+"}]}"#.write(toFile: config, atomically: true, encoding: .utf8)
        #expect(try cli.run(["scrub", "--config", config], stdin: "see TCK-1234\n").stdout == "see [TICKET]\n")
        try #"{"extra_patterns":[{"name":"BAD","regex":"(unclosed"}]}"#.write(toFile: config, atomically: true, encoding: .utf8)
        let bad = try cli.run(["scrub", "--config", config], stdin: "x\n")
        #expect(bad.status == 2 && bad.stderr.hasPrefix("error: scrubber configuration"))
    }

    @Test func ingestedPIINeverReachesDiskAndUserHashesStayConsistent() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        let secrets = [
            "alice.smith@example.com", "4111 1111 1111 1111", "203.0.113.77", "2001:db8::8a2e:370:7334",
            "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789", "hunter2-secret", "/home/alice/", "+44 20 7946 0958",
            "sk_live_4eC39HqLyjWDarjtT1zdp7dc", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
        ]
        var lines: [String] = []
        for n in 0..<200 {
            let user = "user-\(n % 4)@corp.example.com"
            let error = "failed for alice.smith@example.com card 4111 1111 1111 1111 from 203.0.113.77 reading /home/alice/.ssh/id_rsa"
            let meta = #"{"client_ip":"2001:db8::8a2e:370:7334","note":"token ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789","nested":{"list":["call +44 20 7946 0958", {"deep":"sk_live_4eC39HqLyjWDarjtT1zdp7dc"}]},"password":"hunter2-secret","auth":"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"}"#
            lines.append(
                #"{"command":"deploy --email alice.smith@example.com","status":"error","user_id":"\#(user)","error_message":"\#(error)","metadata":\#(meta)}"#)
        }
        let ingest = try cli.run(["ingest"], stdin: lines.joined(separator: "\n"))
        #expect(ingest.status == 0, "\(ingest.stderr)")
        let out = try cli.run(["decrypt"]).stdout
        #expect(out.split(separator: "\n").count == 200)
        for s in secrets + ["corp.example.com", "user-1"] { #expect(!out.contains(s), "\(s) survived") }
        #expect(out.contains("[EMAIL]") && out.contains("[CARD]") && out.contains("[REDACTED]"))
        let hashes = out.split(separator: "\n").compactMap { line -> String? in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["user_hash"] as? String
        }
        #expect(Set(hashes).count == 4)
        for name in try FileManager.default.contentsOfDirectory(atPath: cli.data) {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: cli.data + "/" + name))
            for s in ["alice", "deploy", "user-1"] { #expect(bytes.range(of: Data(s.utf8)) == nil) }
        }
    }
}
