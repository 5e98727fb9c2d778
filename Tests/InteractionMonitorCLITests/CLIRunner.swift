import Foundation
import Testing

/// Runs the built `interaction-monitor` binary (next to the test bundle) with a clean environment.
struct CLIRunner {
    static let binary: String? = {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            Bundle.main.bundleURL.deletingLastPathComponent(),
            Bundle.main.bundleURL,
        ]
        for dir in candidates {
            let path = dir.appendingPathComponent("interaction-monitor").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }()

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    let root: String
    var data: String { root + "/data" }
    var keys: String { root + "/keys" }

    /// A child killed while we write its stdin must not kill the test process with SIGPIPE.
    static let ignoreSIGPIPE: Void = { signal(SIGPIPE, SIG_IGN) }()

    init() {
        _ = Self.ignoreSIGPIPE
        root = FileManager.default.temporaryDirectory.appendingPathComponent("im-cli-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    func cleanUp() { try? FileManager.default.removeItem(atPath: root) }

    var environment: [String: String] {
        [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": root + "/home",
            "INTERACTION_MONITOR_DATA_DIR": data, "INTERACTION_MONITOR_KEYS_DIR": keys,
        ]
    }

    func process(
        _ arguments: [String], stdin: String? = nil, extraEnvironment: [String: String] = [:], executable: String? = nil
    ) throws -> (Process, Pipe, Pipe) {
        guard let binary = executable ?? Self.binary else {
            throw CLIError("interaction-monitor binary not found next to the test bundle; run `swift build --build-tests` first")
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = arguments
        p.environment = environment.merging(extraEnvironment) { _, new in new }
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        if let stdin {
            let input = Pipe()
            p.standardInput = input
            try p.run()
            let data = Data(stdin.utf8)
            DispatchQueue.global().async {
                try? input.fileHandleForWriting.write(contentsOf: data)
                try? input.fileHandleForWriting.close()
            }
        } else {
            p.standardInput = FileHandle.nullDevice
            try p.run()
        }
        return (p, out, err)
    }

    @discardableResult
    func run(
        _ arguments: [String], stdin: String? = nil, extraEnvironment: [String: String] = [:], executable: String? = nil
    ) throws -> Result {
        let (p, out, err) = try process(arguments, stdin: stdin, extraEnvironment: extraEnvironment, executable: executable)
        // Read both pipes concurrently so a chatty process never blocks.
        let errData = LockedData()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errData.set(err.fileHandleForReading.readDataToEndOfFile())
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        p.waitUntilExit()
        return Result(
            status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData.get(), as: UTF8.self))
    }
}

final class LockedData: @unchecked Sendable {
    // Guarded by `lock`.
    private var data = Data()
    private let lock = NSLock()
    func set(_ d: Data) { lock.withLock { data = d } }
    func get() -> Data { lock.withLock { data } }
}

struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

func ingestLines(count: Int, prefix: String, users: Int = 7) -> String {
    (0..<count).map { n in
        #"{"command":"\#(prefix)-\#(n)","status":"\#(n % 5 == 0 ? "failure" : "success")","duration_ms":\#(n % 97),"user_id":"user-\#(n % users)","metadata":{"n":\#(n)}}"#
    }.joined(separator: "\n") + "\n"
}
