import ArgumentParser
import Foundation
import InteractionMonitor

struct SelfTestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Self-test: record into a temporary directory, read back, one PASS/FAIL line per check.")

    func run() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent(
            "interaction-monitor-selftest-\(UUID().uuidString)"
        ).path
        defer { try? FileManager.default.removeItem(atPath: root) }
        var failures = 0
        func check(_ name: String, _ body: () throws -> Bool) {
            let ok = (try? body()) ?? false
            if !ok { failures += 1 }
            print("\(ok ? "PASS" : "FAIL") \(name)")
        }
        var configuration = InteractionMonitor.Configuration(dataDirectory: root + "/data", keysDirectory: root + "/keys")
        configuration.tenant = .default  // its own scratch directories, whatever INTERACTION_MONITOR_TENANT says
        let secretCommand = "selftest-command-\(UUID().uuidString.prefix(8))"
        let userID = "selftest-user-\(UUID().uuidString.prefix(8))"
        var monitor: InteractionMonitor? = nil
        check("keyring is created with mode 0600 in a 0700 directory") {
            monitor = try InteractionMonitor(configuration: configuration)
            let file = try FileManager.default.attributesOfItem(atPath: root + "/keys/keyring")
            let dir = try FileManager.default.attributesOfItem(atPath: root + "/keys")
            return (file[.posixPermissions] as? Int) == 0o600 && (dir[.posixPermissions] as? Int) == 0o700
        }
        guard let monitor else { throw ExitCode(1) }
        monitor.start()
        for n in 0..<250 {
            monitor.record(
                .cliCommand, command: secretCommand, status: n % 10 == 0 ? .failure : .success, durationMs: Double(n),
                userID: userID, metadata: ["n": .int(Int64(n))])
        }
        await monitor.stop()
        check("all 250 records flushed, none dropped") {
            let s = monitor.statistics()
            return s.flushed == 250 && s.totalDropped == 0 && s.buffered == 0
        }
        let reader = DecryptingReader(store: FileSegmentStore(directory: root + "/data"), keyring: monitor.keyring)
        check("records read back intact and in order") {
            var got: [Interaction] = []
            let report = try reader.read { got.append($0) }
            return !report.hasErrors && got.count == 250 && got.map(\.durationMs) == (0..<250).map(Double.init)
        }
        check("no plaintext on disk (command, user id)") {
            for name in try FileManager.default.contentsOfDirectory(atPath: root + "/data") {
                let bytes = try Data(contentsOf: URL(fileURLWithPath: root + "/data/" + name))
                if bytes.range(of: Data(secretCommand.utf8)) != nil || bytes.range(of: Data(userID.utf8)) != nil {
                    return false
                }
            }
            return true
        }
        check("verify passes on intact data") { try !reader.verify().hasErrors }
        check("a flipped byte is detected") {
            let days = try FileSegmentStore(directory: root + "/data").days()
            guard let day = days.first else { return false }
            let path = root + "/data/" + FileSegmentStore(directory: root + "/data").name(of: day)
            var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            bytes[bytes.count / 2] ^= 0x01
            try bytes.write(to: URL(fileURLWithPath: path))
            return try reader.verify().hasErrors
        }
        check("a wrong keyring cannot read the data") {
            let other = try Keyring.generate()
            let report = try DecryptingReader(store: FileSegmentStore(directory: root + "/data"), keyring: other).read { _ in }
            return report.hasErrors && report.interactionsRead == 0
        }
        print(failures == 0 ? "all checks passed" : "\(failures) check(s) failed")
        if failures > 0 { throw ExitCode(1) }
    }
}
