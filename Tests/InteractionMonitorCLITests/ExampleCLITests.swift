import Foundation
import Testing

/// The instrumented example tool (Examples/ExampleCLI): every run recorded, last records flushed on exit and on
/// SIGTERM/SIGINT.
struct ExampleCLITests {
    static let exampleBinary: String? = CLIRunner.binary.map {
        URL(fileURLWithPath: $0).deletingLastPathComponent().appendingPathComponent("example-cli").path
    }

    func runExample(_ cli: CLIRunner, _ args: [String], signalAfter: Double? = nil, signal sig: Int32 = SIGTERM) throws -> (Process, Double) {
        guard let binary = Self.exampleBinary, FileManager.default.isExecutableFile(atPath: binary) else {
            throw CLIError("example-cli not built")
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = args
        p.environment = cli.environment.merging(["EXAMPLE_USER": "dave@example.com"]) { _, n in n }
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        var exitDelay = 0.0
        if let signalAfter {
            Thread.sleep(forTimeInterval: signalAfter)
            let sent = Date()
            kill(p.processIdentifier, sig)
            p.waitUntilExit()
            exitDelay = Date().timeIntervalSince(sent)
        } else {
            p.waitUntilExit()
        }
        return (p, exitDelay)
    }

    func stored(_ cli: CLIRunner) throws -> [[String: Any]] {
        let d = try cli.run(["decrypt"])
        #expect(d.status == 0, "\(d.stderr)")
        return d.stdout.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    @Test func eachRunIsRecordedWithPathAndFlagNamesOnly() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        try cli.run(["keys", "init"])
        let (p, _) = try runExample(cli, ["greet", "--name", "bob", "--loud"])
        #expect(p.terminationStatus == 0)
        let (q, _) = try runExample(cli, ["config", "set", "fail", "x"])
        #expect(q.terminationStatus != 0)
        let records = try stored(cli)
        #expect(records.compactMap { $0["command"] as? String } == ["example-cli greet", "example-cli config set"])
        #expect((records.first?["metadata"] as? [String: Any])?["flags"] as? [String] == ["--name", "--loud"])
        let text = try cli.run(["decrypt"]).stdout
        #expect(!text.contains("bob") && !text.contains("dave"))
    }

    @Test(arguments: [SIGTERM, SIGINT])
    func aSignalledRunStillHasItsLastRecordsOnDiskAndExitsPromptly(sig: Int32) throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        try cli.run(["keys", "init"])
        let (p, delay) = try runExample(cli, ["work", "--steps", "100"], signalAfter: 0.8, signal: sig)
        #expect(p.terminationReason == .uncaughtSignal && p.terminationStatus == sig)
        #expect(delay < 1.0, "exit took \(delay) s")
        let steps = try stored(cli).filter { $0["command"] as? String == "work step" }
        // Steps run every 100 ms: the ones finished before the signal are all on disk.
        #expect(steps.count >= 3, "\(steps.count)")
    }
}
