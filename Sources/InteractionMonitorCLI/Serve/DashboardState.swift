import Foundation
import InteractionMonitor
import InteractionMonitorAnalytics
import Synchronization

/// What `serve` shows, replaced as a whole by the refresher and read by the request handlers.
final class DashboardState: Sendable {
    struct Snapshot: Sendable {
        /// Bumped whenever the report fragment changes.
        var generation = 0
        /// The report's `<body>` content (HTMLReport's output).
        var reportBody = ""
        /// The report's `<head>` up to `</head>` (its inline style).
        var head = ""
        /// When the data was last checked.
        var updated = Timestamp(microsecondsSinceEpoch: 0)
        /// Interactions in the store when last rendered.
        var interactions = 0
        /// The newest alerts, newest last (at most ``DashboardState/maximumAlerts``).
        var alerts: [LiveAlert] = []
    }

    static let maximumAlerts = 100
    private let state = Mutex(Snapshot())

    var snapshot: Snapshot { state.withLock { $0 } }

    /// Replaces the report with a freshly rendered page.
    func update(page: String, interactions: Int, at: Timestamp) {
        let (head, body) = Self.split(page)
        state.withLock { s in
            s.head = head
            s.reportBody = body
            s.interactions = interactions
            s.updated = at
            s.generation += 1
        }
    }

    /// Records the time of a check that found nothing new.
    func touch(at: Timestamp) { state.withLock { $0.updated = at } }

    func add(_ alerts: [LiveAlert]) {
        guard !alerts.isEmpty else { return }
        state.withLock { s in
            s.alerts += alerts
            if s.alerts.count > Self.maximumAlerts { s.alerts.removeFirst(s.alerts.count - Self.maximumAlerts) }
            s.generation += 1
        }
    }

    /// `(head up to and including <body>, body content)` of a rendered report page.
    static func split(_ page: String) -> (String, String) {
        guard let open = page.range(of: "<body>"), let close = page.range(of: "</body>", range: open.upperBound..<page.endIndex)
        else { return ("", page) }
        return (String(page[..<open.lowerBound]), String(page[open.upperBound..<close.lowerBound]))
    }

    /// `/api/state`: generation, update time, interaction count and the alerts, newest first.
    var stateJSON: String {
        let s = snapshot
        return JSONValue.object([
            "generation": .int(Int64(s.generation)), "updated": .string(s.updated.iso8601),
            "interactions": .int(Int64(s.interactions)), "alerts": .array(s.alerts.reversed().map(\.json)),
        ]).jsonText
    }
}
