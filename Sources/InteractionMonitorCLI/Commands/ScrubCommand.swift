import Foundation
import ArgumentParser
import InteractionMonitor

struct ScrubCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scrub",
        abstract: "Audit the PII filter: read text lines on stdin, write exactly one scrubbed line per input line.",
        discussion: """
            Uses the same scrubber a monitor applies, in its flush task, to every record before it is stored. \
            The lines of a PEM private key block between its BEGIN and END lines are each replaced by \
            [PRIVATE_KEY]. Extra rules: --config FILE or INTERACTION_MONITOR_SCRUB_CONFIG.
            """)

    @Option(help: "Scrubber configuration file (JSON or line format) adding patterns and keys.")
    var config: String?

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
        var insideKey = false
        while let bytes = reader.next() {
            var line = String(decoding: bytes, as: UTF8.self)
            if line.hasSuffix("\r") { line.removeLast() }
            if insideKey {
                if line.contains("-----END") && line.contains("PRIVATE KEY-----") { insideKey = false }
                out.line("[PRIVATE_KEY]")
                continue
            }
            if line.contains("-----BEGIN") && line.contains("PRIVATE KEY-----")
                && !(line.contains("-----END") && line.contains("PRIVATE KEY-----", after: "-----END"))
            {
                insideKey = true
            }
            out.line(scrubber.scrub(line))
        }
        out.flush()
    }
}

extension String {
    fileprivate func contains(_ needle: String, after marker: String) -> Bool {
        guard let r = range(of: marker) else { return false }
        return self[r.upperBound...].contains(needle)
    }
}
