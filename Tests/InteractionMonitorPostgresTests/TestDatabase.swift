import Foundation
import InteractionMonitor
import InteractionMonitorPostgres
import Testing

/// The server the tests use: `INTERACTION_MONITOR_TEST_POSTGRES` (Scripts/start-postgres.sh sets it). Each test
/// works in a schema of its own, dropped at the end, so tests run in parallel on one database.
enum TestDatabase {
    static let url: String? = ProcessInfo.processInfo.environment["INTERACTION_MONITOR_TEST_POSTGRES"].flatMap {
        $0.isEmpty ? nil : $0
    }
    static var available: Bool { url != nil }
    static let skipReason: Comment =
        "no PostgreSQL server: set INTERACTION_MONITOR_TEST_POSTGRES=postgres://… (eval \"$(Scripts/start-postgres.sh)\")"

    /// A URL for a fresh schema of the test database (optionally as another role).
    static func url(schema: String, user: String? = nil, password: String? = nil) -> String {
        var base = url ?? "postgres://unset"
        if let user, let password, let at = base.range(of: "@"), let scheme = base.range(of: "://") {
            base = String(base[..<scheme.upperBound]) + "\(user):\(password)" + String(base[at.lowerBound...])
        }
        return base + (base.contains("?") ? "&" : "?") + "schema=\(schema)"
    }

    static func freshSchemaName(_ prefix: String = "t") -> String {
        "\(prefix)_\(UInt64.random(in: 0...UInt64.max) % 1_000_000_000_000)"
    }

    /// A store in a new schema.
    static func freshStore(_ prefix: String = "t") throws -> PostgresSegmentStore {
        try PostgresSegmentStore(url(schema: freshSchemaName(prefix)))
    }

    /// An administrative connection (default schema, never written by tests).
    static func admin() throws -> PostgresSegmentStore {
        try PostgresSegmentStore(url(schema: "im_admin"))
    }

    /// The directory of pg_dump and psql: `INTERACTION_MONITOR_TEST_PG_BIN`, else the newest Debian install.
    static var binDirectory: String? {
        if let dir = ProcessInfo.processInfo.environment["INTERACTION_MONITOR_TEST_PG_BIN"], !dir.isEmpty { return dir }
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).sorted { $0.count == $1.count ? $0 > $1 : $0.count > $1.count }
        for v in versions where FileManager.default.isExecutableFile(atPath: "\(root)/\(v)/bin/pg_dump") { return "\(root)/\(v)/bin" }
        return FileManager.default.isExecutableFile(atPath: "/usr/bin/pg_dump") ? "/usr/bin" : nil
    }
}

/// A temporary directory removed by ``remove()``.
struct TemporaryDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("im-pg-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// Runs a program to completion, collecting its output.
struct ProgramRun {
    var status: Int32
    var stdout: String
    var stderr: String

    static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil, stdin: String? = nil)
        throws -> ProgramRun
    {
        let (p, out, err) = try start(executable, arguments, environment: environment, stdin: stdin)
        return finish(p, out, err)
    }

    static func start(_ executable: String, _ arguments: [String], environment: [String: String]? = nil, stdin: String? = nil)
        throws -> (Process, Pipe, Pipe)
    {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        if let environment { p.environment = environment }
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

    static func finish(_ p: Process, _ out: Pipe, _ err: Pipe) -> ProgramRun {
        let errData = Box()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errData.set(err.fileHandleForReading.readDataToEndOfFile())
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        p.waitUntilExit()
        return ProgramRun(
            status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData.get(), as: UTF8.self))
    }

    final class Box: @unchecked Sendable {
        // Guarded by `lock`.
        private var data = Data()
        private let lock = NSLock()
        func set(_ d: Data) { lock.withLock { data = d } }
        func get() -> Data { lock.withLock { data } }
    }
}

/// The `interaction-monitor` binary next to the test bundle.
enum CLIBinary {
    static let path: String? = {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            Bundle.main.bundleURL.deletingLastPathComponent(), Bundle.main.bundleURL,
        ]
        for dir in candidates {
            let path = dir.appendingPathComponent("interaction-monitor").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }()

    /// Runs the CLI with a clean environment rooted at `root` (keys in `root/keys`).
    static func run(_ arguments: [String], root: String, stdin: String? = nil) throws -> ProgramRun {
        let (p, out, err) = try start(arguments, root: root, stdin: stdin)
        return ProgramRun.finish(p, out, err)
    }

    static func start(_ arguments: [String], root: String, stdin: String? = nil) throws -> (Process, Pipe, Pipe) {
        guard let path else { throw InteractionMonitorError(.configuration, "interaction-monitor binary not built") }
        let env = [
            "PATH": "/usr/bin:/bin", "HOME": root + "/home", "INTERACTION_MONITOR_KEYS_DIR": root + "/keys",
            "INTERACTION_MONITOR_DATA_DIR": root + "/data", "INTERACTION_MONITOR_JOURNAL": root + "/journal.md",
        ]
        return try ProgramRun.start(path, arguments, environment: env, stdin: stdin)
    }
}

/// Ingest input lines: `count` records with commands `prefix-n`.
func ingestLines(count: Int, prefix: String, users: Int = 7) -> String {
    (0..<count).map { n in
        #"{"command":"\#(prefix)-\#(n)","status":"\#(n % 5 == 0 ? "failure" : "success")","duration_ms":\#(n % 97),"user_id":"user-\#(n % users)","metadata":{"n":\#(n)}}"#
    }.joined(separator: "\n") + "\n"
}
