import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `curl` against the dashboard: status, headers and body.
private func fetch(_ url: String, headers: [String] = []) throws -> (status: Int, headers: String, body: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("im-curl-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    p.arguments = ["-s", "-S", "--max-time", "10", "-D", dir + "/h", "-o", dir + "/b", "-w", "%{http_code}"]
        + headers.flatMap { ["-H", $0] } + [url]
    let out = Pipe()
    p.standardOutput = out
    p.standardError = FileHandle.nullDevice
    try p.run()
    let code = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (
        Int(String(decoding: code, as: UTF8.self)) ?? 0,
        (try? String(contentsOfFile: dir + "/h", encoding: .utf8)) ?? "",
        (try? String(contentsOfFile: dir + "/b", encoding: .utf8)) ?? ""
    )
}

@Suite(.serialized) struct ServeCLITests {
    init() { signal(SIGPIPE, SIG_IGN) }

    @Test func aNonLoopbackHostIsRefusedWithoutAllowRemote() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        guard try cli.run(["serve", "--help"]).status == 0 else { return }  // built without Hummingbird (IM_CORE_ONLY)
        let r = try cli.run(["serve", "--host", "0.0.0.0", "--token", "0123456789abcdef0123"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("--allow-remote") && r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        #expect(try cli.run(["serve", "--token", "short"]).status == 2)
    }

    @Test func tokenRequiredAndThePageFollowsNewData() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/curl") else { return }
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        guard try cli.run(["serve", "--help"]).status == 0 else { return }  // built without Hummingbird (IM_CORE_ONLY)
        #expect(try cli.run(["keys", "init"]).status == 0)
        #expect(try cli.run(["ingest"], stdin: ingestLines(count: 200, prefix: "first")).status == 0)
        let token = "test-token-0123456789abcdef"
        let server = try LiveProcess(cli, ["serve", "--port", "0", "--interval", "0.5"], extraEnvironment: ["INTERACTION_MONITOR_TOKEN": token])
        defer { if server.process.isRunning { server.process.terminate() } }
        #expect(server.wait(timeout: 60) { server.stdout.contains("serving http://") }, "\(server.stderr)")
        #expect(!server.stdout.contains(token))  // a given token is never printed
        let line = try #require(server.stdout.split(separator: "\n").first { $0.hasPrefix("serving http://") })
        let base = String(line.dropFirst("serving ".count).prefix { $0 != " " }).trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        let auth = "Authorization: Bearer \(token)"

        // 401 without the token (or with a wrong one), 200 with it.
        #expect(try fetch(base + "/").status == 401)
        #expect(try fetch(base + "/api/state").status == 401)
        #expect(try fetch(base + "/", headers: ["Authorization: Bearer wrong-token-0123456789ab"]).status == 401)
        #expect(try fetch(base + "/?token=wrong").status == 401)
        let page = try fetch(base + "/", headers: [auth])
        #expect(page.status == 200)
        #expect(page.body.contains("Live alerts") && page.body.contains("<b>200</b><span>interactions</span>"))
        #expect(page.headers.lowercased().contains("content-security-policy: default-src 'none'"))
        #expect(!page.body.contains("src=\"http"))  // no external scripts or fonts
        // ?token= once: an HttpOnly, SameSite=Strict cookie and a redirect that drops the token; the cookie works.
        let first = try fetch(base + "/?token=\(token)")
        #expect(first.status == 303)
        let cookie = try #require(first.headers.split(separator: "\r\n").first { $0.lowercased().hasPrefix("set-cookie:") })
        #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
        #expect(try fetch(base + "/api/state", headers: ["Cookie: im_token=\(token)"]).status == 200)
        // Read-only.
        #expect(try fetch(base + "/api/state", headers: [auth, "X-HTTP-Method-Override: DELETE"]).status == 200)

        let before = try JSONSerialization.jsonObject(with: Data(try fetch(base + "/api/state", headers: [auth]).body.utf8)) as? [String: Any]
        let generation = before?["generation"] as? Int ?? -1
        #expect(before?["interactions"] as? Int == 200)
        // Another process writes; the state and the report follow without a reload.
        #expect(try cli.run(["ingest"], stdin: ingestLines(count: 50, prefix: "second")).status == 0)
        var after: [String: Any]?
        let updated = server.wait(timeout: 10) {
            after = (try? fetch(base + "/api/state", headers: [auth])).flatMap { try? JSONSerialization.jsonObject(with: Data($0.body.utf8)) as? [String: Any] }
            return after?["interactions"] as? Int == 250
        }
        #expect(updated, "\(String(describing: after)) \(server.stderr)")
        #expect((after?["generation"] as? Int ?? 0) > generation)
        #expect(try fetch(base + "/api/report", headers: [auth]).body.contains("<b>250</b><span>interactions</span>"))
        #expect(server.stop(SIGTERM) == 0)
    }

    @Test func aGeneratedTokenIsPrintedOnceAndWorks() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/curl") else { return }
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        guard try cli.run(["serve", "--help"]).status == 0 else { return }  // built without Hummingbird (IM_CORE_ONLY)
        #expect(try cli.run(["keys", "init"]).status == 0)
        let server = try LiveProcess(cli, ["serve", "--port", "0"])
        defer { if server.process.isRunning { server.process.terminate() } }
        #expect(server.wait(timeout: 60) { server.stdout.contains("token (shown once): ") }, "\(server.stderr)")
        let line = try #require(server.stdout.split(separator: "\n").first { $0.hasPrefix("token (shown once): ") })
        let token = String(line.dropFirst("token (shown once): ".count).prefix { $0 != " " })
        #expect(token.count == 64)
        let serving = try #require(server.stdout.split(separator: "\n").first { $0.hasPrefix("serving http://") })
        let base = String(serving.dropFirst("serving ".count).prefix { $0 != " " }).trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        #expect(try fetch(base + "/api/state", headers: ["Authorization: Bearer \(token)"]).status == 200)
        #expect(server.stop(SIGINT) == 0)
    }
}
