#if IM_SERVE
import ArgumentParser
import Hummingbird
import InteractionMonitor
import InteractionMonitorAnalytics
import Logging
import MonitorCrypto
import NIOCore

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the report page, kept current with new segments and live alerts (read-only, token required).",
        discussion: """
            Requires a bearer token: --token, else INTERACTION_MONITOR_TOKEN, else a random one printed once. Send \
            Authorization: Bearer <token>, or open http://HOST:PORT/?token=<token> once in a browser (it sets an \
            HttpOnly, SameSite=Strict cookie). Listens on loopback only unless --allow-remote is given. Stops with \
            exit 0 on SIGINT or SIGTERM.
            """)

    @OptionGroup var store: StoreOptions
    @Option(help: "Address to listen on.") var host: String = "127.0.0.1"
    @Option(help: "Port to listen on (0: any free port, printed at start).") var port: Int = 8080
    @Option(help: "Bearer token (env INTERACTION_MONITOR_TOKEN; generated when neither is given).") var token: String?
    @Flag(help: "Allow listening on a non-loopback address.") var allowRemote = false
    @Option(help: "Seconds between checks for new segments.") var interval: Double = 2
    @Option(help: "Hours of stored data that make the live baseline.") var baselineHours: Double = 168
    @Option(help: "Window in hours for the per-command charts.") var hours: Int = 24
    @Option(help: "Minimum users per shown group (k-anonymity).") var minUsers: Int?

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard interval >= 0.1, interval <= 3600 else { throw ValidationError("--interval must be between 0.1 and 3600 seconds") }
        guard hours >= 1 else { throw ValidationError("--hours must be at least 1") }
        guard baselineHours >= 0, baselineHours <= 24 * 366 else { throw ValidationError("--baseline-hours must be between 0 and 8784") }
        if let k = minUsers, k < 1 { throw ValidationError("--min-users must be at least 1") }
    }

    static func isLoopback(_ host: String) -> Bool {
        if host == "localhost" || host == "::1" || host == "[::1]" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    /// A token fit for a header and a cookie value: 16 to 256 characters of `A–Z a–z 0–9 - . _ ~ + / =`.
    static func isUsableToken(_ t: String) -> Bool {
        (16...256).contains(t.utf8.count)
            && t.utf8.allSatisfy { c in
                (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
                    || [UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "+"), UInt8(ascii: "/"), UInt8(ascii: "=")].contains(c)
            }
    }

    func run() async throws {
        guard allowRemote || Self.isLoopback(host) else {
            throw InteractionMonitorError(
                .configuration, "refusing to listen on non-loopback address \(host) without --allow-remote (the dashboard has no TLS)")
        }
        let secret: String
        let generated: Bool
        if let given = token ?? StoreOptions.environment("INTERACTION_MONITOR_TOKEN") {
            guard Self.isUsableToken(given) else {
                throw InteractionMonitorError(.configuration, "the token must be 16–256 characters of A–Z a–z 0–9 - . _ ~ + / =")
            }
            secret = given
            generated = false
        } else {
            secret = Hex.encode(try RandomBytes.generate(32))
            generated = true
        }

        let reader = try store.reader(mustExist: false)
        let follower = SegmentFollower(store: reader.store, keyring: reader.keyring)
        var liveConfiguration = LiveAnalyzer.Configuration()
        liveConfiguration.logger = Logger(label: "interaction-monitor-serve")
        let analyzer = LiveAnalyzer(configuration: liveConfiguration)
        let issues = LiveBaseline.IssuePrinter()
        _ = try LiveBaseline.load(follower: follower, analyzer: analyzer, hours: baselineHours, issue: issues.report)
        let state = DashboardState()
        let minUsers = minUsers
        let hours = hours
        let render: @Sendable () throws -> Void = {
            let overview = try InteractionAnalyzer(reader: reader, minUsers: minUsers).overview(hours: hours)
            let now = Timestamp.now()
            state.update(
                page: HTMLReport.render(overview, title: "InteractionMonitor live", generatedAt: now),
                interactions: overview.statistics.total, at: now)
        }
        try render()

        let router = Router()
        router.add(middleware: DashboardAuth(token: secret))
        let pollMilliseconds = Int(min(max(interval, 0.5), 60) * 1000)
        router.get("/") { _, _ -> Response in
            let nonce = Hex.encode(try RandomBytes.generate(16))
            let html = DashboardPage.render(state.snapshot, nonce: nonce, pollMilliseconds: pollMilliseconds)
            return Self.response(html, type: "text/html; charset=utf-8", nonce: nonce)
        }
        router.get("/api/state") { _, _ -> Response in Self.response(state.stateJSON, type: "application/json") }
        router.get("/api/report") { _, _ -> Response in Self.response(state.snapshot.reportBody, type: "text/html; charset=utf-8") }

        let host = host
        let interval = interval
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "interaction-monitor"),
            onServerRunning: { channel in
                let bound = channel.localAddress?.port ?? 0
                let shown = host.contains(":") ? "[\(host)]" : host
                writeLineNow("serving http://\(shown):\(bound)/ (read-only)")
                if generated { writeLineNow("token (shown once): \(secret)  —  open http://\(shown):\(bound)/?token=\(secret)") }
            },
            logger: Logger(label: "interaction-monitor-serve"))

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService() }
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(Int64(interval * 1000)))
                    if Task.isCancelled { break }
                    var fresh: [Interaction] = []
                    do {
                        try follower.poll(issue: { printError("\($0.severity.rawValue): \($0)") }) { fresh.append($0) }
                        state.add(analyzer.observe(fresh, at: .now()))
                        if fresh.isEmpty { state.touch(at: .now()) } else { try render() }
                    } catch {
                        printError("error: \((error as? InteractionMonitorError)?.message ?? "\(error)")")
                    }
                }
            }
            // The server returns after SIGINT / SIGTERM (graceful shutdown); then stop refreshing.
            _ = try await group.next()
            group.cancelAll()
        }
    }

    static func response(_ body: String, type: String, nonce: String? = nil) -> Response {
        var headers: HTTPFields = [.contentType: type, .cacheControl: "no-store"]
        for (name, value) in [("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "no-referrer"), ("X-Frame-Options", "DENY")] {
            if let field = HTTPFields.Element.Name(name) { headers[field] = value }
        }
        let script = nonce.map { "'nonce-\($0)'" } ?? "'none'"
        headers[.contentSecurityPolicy] =
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; connect-src 'self'; script-src \(script); base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
#endif
