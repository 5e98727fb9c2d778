import Foundation
import ArgumentParser
import InteractionMonitor

struct ScrubCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scrub",
        abstract: "Audit the PII filter: read text lines on stdin, write exactly one scrubbed line per input line.",
        discussion: """
            Uses the same scrubber a monitor applies, in its flush task, to every record before it is stored: \
            each line is scrubbed on its own, exactly as the library scrubs each field. A PEM private key \
            block is replaced within the text that holds it, so a block spread over several input lines is \
            only replaced as a whole with --json (a line that opens a block without closing it is replaced \
            from its BEGIN marker to its end). With --json every input line is a JSON string literal, whose \
            text may span lines, and every output line is one. Extra rules: --config FILE or \
            INTERACTION_MONITOR_SCRUB_CONFIG.
            """)

    @Option(help: "Scrubber configuration file (JSON or line format) adding patterns and keys.")
    var config: String?

    @Flag(help: "Read and write one JSON string literal per line, so that texts may span lines.")
    var json = false

    func run() async throws {
        var configuration = ScrubberConfiguration()
        if let file = config ?? InteractionMonitor.Configuration().scrubbingConfigurationFile {
            do {
                configuration = try ScrubberConfiguration(contentsOf: file)
            } catch {
                throw InteractionMonitorError(.configuration, "scrubber configuration: \(error.message)")
            }
        }
        let scrubber = PIIScrubber(configuration: configuration)
        let reader = try LineReader(path: nil)
        var out = OutputStream.standardOutput()
        var number = 0
        while let bytes = reader.next() {
            number += 1
            if json {
                guard let text = try? JSONValue(parsing: bytes).stringValue else {
                    out.flush()
                    throw InteractionMonitorError(.invalidInput, "line \(number) is not a JSON string literal")
                }
                out.line(JSONValue.string(scrubber.scrub(text)).jsonText)
            } else {
                var line = String(decoding: bytes, as: UTF8.self)
                if line.hasSuffix("\r") { line.removeLast() }
                out.line(scrubber.scrub(line))
            }
        }
        out.flush()
    }
}
