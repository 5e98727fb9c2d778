import Foundation
import InteractionMonitor
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A child process whose output is collected as it arrives.
final class LiveProcess: @unchecked Sendable {
    let process = Process()
    private let lock = NSLock()
    // Guarded by `lock`.
    private var out = Data()
    private var err = Data()
    let input = Pipe()

    init(_ cli: CLIRunner, _ arguments: [String], extraEnvironment: [String: String] = [:]) throws {
        guard let binary = CLIRunner.binary else { throw CLIError("interaction-monitor binary not found") }
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.environment = cli.environment.merging(extraEnvironment) { _, new in new }
        let o = Pipe()
        let e = Pipe()
        process.standardOutput = o
        process.standardError = e
        process.standardInput = input
        o.fileHandleForReading.readabilityHandler = { [weak self] h in
            let d = h.availableData
            self?.lock.withLock { self?.out.append(d) }
        }
        e.fileHandleForReading.readabilityHandler = { [weak self] h in
            let d = h.availableData
            self?.lock.withLock { self?.err.append(d) }
        }
        try process.run()
    }

    var stdout: String { lock.withLock { String(decoding: out, as: UTF8.self) } }
    var stderr: String { lock.withLock { String(decoding: err, as: UTF8.self) } }

    func write(_ text: String) { input.fileHandleForWriting.write(Data(text.utf8)) }
    func closeInput() { try? input.fileHandleForWriting.close() }

    /// Waits until `condition` holds, up to `timeout` seconds; returns whether it did.
    func wait(timeout: Double, until condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition() { return true }
            usleep(20_000)
        }
        return condition()
    }

    /// Sends `signal` and waits for the exit status.
    func stop(_ signal: Int32 = SIGTERM, timeout: Double = 10) -> Int32? {
        kill(process.processIdentifier, signal)
        let exited = wait(timeout: timeout) { !process.isRunning }
        if !exited { process.terminate() }
        return exited ? process.terminationStatus : nil
    }
}

/// Raw input lines for `command`: `count` runs evenly over the `hours` before now, every `errorEvery`-th an error.
func baselineLines(command: String, count: Int, hours: Double, errorEvery: Int) -> String {
    let now = Timestamp.now().microsecondsSinceEpoch
    return (0..<count).map { n in
        let t = Timestamp(microsecondsSinceEpoch: now - Int64(hours * 3_600_000_000) * Int64(count - n) / Int64(count))
        let failed = n % errorEvery == 0
        return #"{"command":"\#(command)","status":"\#(failed ? "error" : "success")","duration_ms":\#(50 + n % 40),"user_id":"u\#(n % 9)","timestamp":"\#(t.iso8601)"\#(failed ? #","error_message":"timeout after \#(n) ms""# : "")}"#
    }.joined(separator: "\n") + "\n"
}

@Suite(.serialized) struct WatchCLITests {
    init() { signal(SIGPIPE, SIG_IGN) }

    @Test func aSpikeWrittenByAnotherProcessIsReportedWithinItsFlushAndOneInterval() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        #expect(try cli.run(["keys", "init"]).status == 0)
        // Baseline: 3 % errors over the last 6 hours, written by an earlier process.
        let seeded = try cli.run(["ingest"], stdin: baselineLines(command: "deploy", count: 3000, hours: 6, errorEvery: 33))
        #expect(seeded.status == 0, "\(seeded.stderr)")
        let watch = try LiveProcess(cli, ["watch", "--json", "--interval", "1", "--window", "60"])
        defer { if watch.process.isRunning { watch.process.terminate() } }
        #expect(watch.wait(timeout: 60) { watch.stderr.contains("watching") }, "\(watch.stderr)")
        #expect(watch.stderr.contains("baseline 3000 interactions"))

        // A writer that keeps running (its stdin stays open) and flushes every second.
        let writer = try LiveProcess(cli, ["ingest", "--flush-interval", "1"])
        defer { if writer.process.isRunning { writer.process.terminate() } }
        usleep(300_000)  // let it start, so the measured delay is flush + poll, not process start-up
        let flush = 1.0
        let interval = 1.0
        let started = Date()
        writer.write(
            (0..<40).map { n in
                #"{"command":"deploy","status":"\#(n % 5 < 3 ? "error" : "success")","duration_ms":60,"user_id":"u\#(n % 9)","error_message":"timeout after \#(n) ms"}"#
            }.joined(separator: "\n") + "\n")
        let reported = watch.wait(timeout: 30) { watch.stdout.contains("error_rate_spike") }
        let delay = Date().timeIntervalSince(started)
        print("watch: spike reported \(String(format: "%.2f", delay)) s after the writer received it (flush \(flush) s + interval \(interval) s)")
        #expect(reported, "stdout: \(watch.stdout) stderr: \(watch.stderr)")
        #expect(delay <= flush + interval + 1.5)

        let line = try #require(watch.stdout.split(separator: "\n").first { $0.contains("error_rate_spike") })
        let json = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(json["kind"] as? String == "error_rate_spike")
        #expect(json["command"] as? String == "deploy")
        #expect((json["observed"] as? Double ?? 0) > 0.5)
        #expect(abs((json["baseline"] as? Double ?? 1) - 0.0303) < 0.005)
        #expect(Timestamp(iso8601: json["at"] as? String ?? "") != nil)
        // Raw user ids never appear.
        #expect(!watch.stdout.contains("\"u1\""))

        writer.closeInput()
        #expect(writer.wait(timeout: 20) { !writer.process.isRunning })
        #expect(watch.stop(SIGTERM) == 0)
    }

    @Test func steadyTrafficFromAnotherProcessRaisesNoSpike() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        #expect(try cli.run(["keys", "init"]).status == 0)
        #expect(try cli.run(["ingest"], stdin: baselineLines(command: "deploy", count: 3000, hours: 6, errorEvery: 33)).status == 0)
        let watch = try LiveProcess(cli, ["watch", "--json", "--interval", "0.5", "--window", "60"])
        defer { if watch.process.isRunning { watch.process.terminate() } }
        #expect(watch.wait(timeout: 60) { watch.stderr.contains("watching") })
        // The same distribution, live, in several flushes.
        let writer = try LiveProcess(cli, ["ingest", "--flush-interval", "0.5"])
        for round in 0..<6 {
            writer.write(
                (0..<100).map { n in
                    let k = round * 100 + n
                    return #"{"command":"deploy","status":"\#(k % 33 == 0 ? "error" : "success")","duration_ms":\#(50 + k % 40),"user_id":"u\#(k % 9)"}"#
                }.joined(separator: "\n") + "\n")
            usleep(500_000)
        }
        writer.closeInput()
        #expect(writer.wait(timeout: 20) { !writer.process.isRunning })
        usleep(1_200_000)
        #expect(!watch.stdout.contains("error_rate_spike"), "\(watch.stdout)")
        #expect(watch.stop(SIGINT) == 0)
    }

    @Test func watchExitsZeroOnSIGTERMAndSIGINT() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        #expect(try cli.run(["keys", "init"]).status == 0)
        for sig in [SIGTERM, SIGINT] {
            let watch = try LiveProcess(cli, ["watch", "--interval", "5"])
            defer { if watch.process.isRunning { watch.process.terminate() } }
            #expect(watch.wait(timeout: 60) { watch.stderr.contains("watching") }, "\(watch.stderr)")
            #expect(watch.stop(sig, timeout: 5) == 0)
        }
    }

    @Test func watchRejectsBadOptions() throws {
        let cli = CLIRunner()
        defer { cli.cleanUp() }
        #expect(try cli.run(["watch", "--interval", "0"]).status != 0)
        #expect(try cli.run(["watch", "--baseline-hours", "-1"]).status != 0)
    }
}
