import InteractionMonitor
import Foundation

/// Renders an ``InteractionAnalyzer/Overview`` as one self-contained HTML page: inline CSS and inline SVG
/// charts, no scripts, no network.
package enum HTMLReport {
    /// The page.
    package static func render(_ o: InteractionAnalyzer.Overview, title: String = "InteractionMonitor report", generatedAt: Timestamp) -> String {
        let s = o.statistics
        var html = head(title: title) + """
            <h1>\(esc(title))</h1>
            <div class="sub">Generated \(esc(generatedAt.iso8601)) · data \(esc(s.first?.iso8601 ?? "–")) to \(esc(s.last?.iso8601 ?? "–")) · all figures from decrypted, verified segments</div>
            <div class="cards">
            \(card("\(s.total)", "interactions"))
            \(card(pct(s.successRate), "success rate"))
            \(card("\(s.uniqueUsers)", "users (pseudonymous)"))
            \(card(ms(s.durations.quantile(0.5)), "p50 duration"))
            \(card(ms(s.durations.quantile(0.95)), "p95 duration"))
            \(card("\(o.anomalies.count)", "anomalies (last 24 h)"))
            </div>
            <div class="grid">

            """
        let (activityTitle, activityChart) = activity(o.interactionsPerHour)
        html += section(activityTitle, activityChart)
        html += section("Success rate per command (last \(o.recent.hours) h)", successChart(o.recent))
        html += section("Duration percentiles per command (last \(o.recent.hours) h)", durationChart(o.recent))
        html += section("Top error templates (last \(o.recent.hours) h)", errorChart(o.recent))
        html += section("Anomalies", anomalyTable(o.anomalies))
        html += section("Patterns", patternTable(o.patterns))
        html += "</div></body></html>\n"
        return html
    }

    /// The page's head (inline CSS) and opening body tag.
    static func head(title: String) -> String {
        """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(esc(title))</title>
            <style>
            body{font-family:-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;margin:24px;color:#1d2330;background:#f6f7f9}
            h1{font-size:22px;margin:0 0 4px} h2{font-size:16px;margin:0 0 10px}
            .sub{color:#667;font-size:13px;margin-bottom:18px}
            .cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px;margin-bottom:16px}
            .card{background:#fff;border-radius:8px;padding:12px 14px;box-shadow:0 1px 2px rgba(0,0,0,.08)}
            .card b{display:block;font-size:22px} .card span{color:#667;font-size:12px}
            .grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(460px,100%),1fr));gap:16px}
            section{background:#fff;border-radius:8px;padding:14px 16px;box-shadow:0 1px 2px rgba(0,0,0,.08);min-width:0;overflow-x:auto}
            @media (max-width:520px){body{margin:10px} section{padding:10px} td,th{padding:3px 4px}}
            table{border-collapse:collapse;width:100%;font-size:12.5px} td,th{padding:4px 6px;border-bottom:1px solid #eceef2;text-align:left;vertical-align:top}
            th{color:#556;font-weight:600} .num{text-align:right;font-variant-numeric:tabular-nums}
            .empty{color:#889;font-size:13px} svg text{font-size:11px;fill:#445}
            .kind{font-family:ui-monospace,Menlo,monospace;font-size:11.5px;color:#2a5bd7}
            </style></head><body>
            """
    }

    static func esc(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    static func pct(_ x: Double) -> String { String(format: "%.1f%%", x * 100) }
    static func ms(_ x: Double) -> String { x >= 1000 ? String(format: "%.2f s", x / 1000) : String(format: "%.0f ms", x) }
    static func card(_ value: String, _ label: String) -> String { "<div class=\"card\"><b>\(esc(value))</b><span>\(esc(label))</span></div>" }
    static func section(_ title: String, _ body: String) -> String { "<section><h2>\(esc(title))</h2>\(body)</section>\n" }
    static let empty = "<p class=\"empty\">No data.</p>"

    /// The activity chart and its title, which says how the bars are bucketed.
    static func activity(_ series: [(hour: Timestamp, count: Int)]) -> (title: String, chart: String) {
        (perDay(series) ? "Interactions per day" : "Interactions per hour", perHourChart(series))
    }

    /// Whether the series spans more than 14 days of hours (then it is summed per day).
    static func perDay(_ series: [(hour: Timestamp, count: Int)]) -> Bool {
        guard let first = series.first?.hour, let last = series.last?.hour else { return false }
        return Int((last.microsecondsSinceEpoch - first.microsecondsSinceEpoch) / 3_600_000_000) + 1 > 24 * 14
    }

    /// Vertical bars over time; more than 14 days of hours are summed per day.
    static func perHourChart(_ series: [(hour: Timestamp, count: Int)]) -> String {
        guard let first = series.first?.hour, let last = series.last?.hour else { return empty }
        let spanHours = Int((last.microsecondsSinceEpoch - first.microsecondsSinceEpoch) / 3_600_000_000) + 1
        let perDay = perDay(series)
        var buckets: [(label: String, count: Int)] = []
        if perDay {
            var byDay: [Day: Int] = [:]
            for p in series { byDay[p.hour.day, default: 0] += p.count }
            buckets = byDay.sorted { $0.key < $1.key }.map { ($0.key.description, $0.value) }
        } else {
            let byHour = Dictionary(series.map { ($0.hour.microsecondsSinceEpoch, $0.count) }, uniquingKeysWith: +)
            for h in 0..<spanHours {
                let t = first.microsecondsSinceEpoch + Int64(h) * 3_600_000_000
                buckets.append((Timestamp(microsecondsSinceEpoch: t).iso8601.prefix(13).replacingOccurrences(of: "T", with: " ") + ":00", byHour[t] ?? 0))
            }
        }
        let w = 640.0, h = 220.0, left = 44.0, bottom = 28.0, top = 10.0
        let maxCount = Double(buckets.map(\.count).max() ?? 1)
        let bw = (w - left - 8) / Double(max(buckets.count, 1))
        var svg = "<svg viewBox=\"0 0 \(Int(w)) \(Int(h))\" width=\"100%\" role=\"img\" aria-label=\"interactions per \(perDay ? "day" : "hour")\">"
        svg += axes(left: left, top: top, width: w - left - 8, height: h - top - bottom, maxValue: maxCount, format: { String(Int($0)) })
        for (k, b) in buckets.enumerated() {
            let bh = (h - top - bottom) * Double(b.count) / maxCount
            svg += "<rect x=\"\(f(left + Double(k) * bw + 0.5))\" y=\"\(f(h - bottom - bh))\" width=\"\(f(max(bw - 1, 0.5)))\" height=\"\(f(bh))\" fill=\"#4a7ee0\"><title>\(esc(b.label)): \(b.count)</title></rect>"
        }
        let labelEvery = max(1, buckets.count / 6)
        for (k, b) in buckets.enumerated() where k % labelEvery == 0 {
            svg += "<text x=\"\(f(left + Double(k) * bw))\" y=\"\(f(h - 10))\">\(esc(String(b.label.suffix(perDay ? 5 : 11))))</text>"
        }
        return svg + "</svg><p class=\"sub\">per \(perDay ? "day" : "hour"), UTC</p>"
    }

    static func axes(left: Double, top: Double, width: Double, height: Double, maxValue: Double, format: (Double) -> String) -> String {
        var s = ""
        for k in 0...4 {
            let y = top + height - height * Double(k) / 4
            s += "<line x1=\"\(f(left))\" y1=\"\(f(y))\" x2=\"\(f(left + width))\" y2=\"\(f(y))\" stroke=\"#e3e6eb\"/>"
            s += "<text x=\"\(f(left - 4))\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(esc(format(maxValue * Double(k) / 4)))</text>"
        }
        return s
    }

    /// Horizontal bars: label, value in [0, max], right-hand text.
    static func hbars(_ rows: [(label: String, value: Double, text: String, color: String)], maxValue: Double) -> String {
        guard !rows.isEmpty else { return empty }
        let rowH = 22.0, labelW = 190.0, w = 640.0
        let h = rowH * Double(rows.count) + 6
        var svg = "<svg viewBox=\"0 0 \(Int(w)) \(Int(h))\" width=\"100%\" role=\"img\">"
        for (k, r) in rows.enumerated() {
            let y = Double(k) * rowH + 3
            let bw = (w - labelW - 90) * (maxValue > 0 ? r.value / maxValue : 0)
            // At 11 px a character is at most ~6.5 px wide: 27 characters fit the label column without clipping.
            let label = r.label.count > 27 ? String(r.label.prefix(26)) + "…" : r.label
            svg += "<text x=\"\(f(labelW - 6))\" y=\"\(f(y + 14))\" text-anchor=\"end\"><title>\(esc(r.label))</title>\(esc(label))</text>"
            svg += "<rect x=\"\(f(labelW))\" y=\"\(f(y + 3))\" width=\"\(f(max(bw, 1)))\" height=\"\(f(rowH - 8))\" rx=\"2\" fill=\"\(r.color)\"/>"
            svg += "<text x=\"\(f(labelW + max(bw, 1) + 6))\" y=\"\(f(y + 14))\">\(esc(r.text))</text>"
        }
        return svg + "</svg>"
    }

    static func successChart(_ r: RecentAnalysis) -> String {
        let rows = r.commandFrequency.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(15).map { c, n in
            let failures = r.commandFailures[c] ?? 0
            let rate = Double(n - failures) / Double(max(n, 1))
            return (label: c, value: rate, text: "\(pct(rate)) of \(n)", color: rate >= 0.95 ? "#3aa76d" : rate >= 0.8 ? "#e0a23a" : "#d9534f")
        }
        return hbars(Array(rows), maxValue: 1)
    }

    static func durationChart(_ r: RecentAnalysis) -> String {
        let rows = r.commandDurations.sorted { $0.value.p95 > $1.value.p95 }.prefix(12)
        guard !rows.isEmpty else { return empty }
        let maxV = rows.map(\.value.p95).max() ?? 1
        let rowH = 26.0, labelW = 190.0, w = 640.0
        let h = rowH * Double(rows.count) + 24
        var svg = "<svg viewBox=\"0 0 \(Int(w)) \(Int(h))\" width=\"100%\" role=\"img\">"
        for (k, e) in rows.enumerated() {
            let y = Double(k) * rowH + 3
            let scale = (w - labelW - 210) / max(maxV, 1e-9)
            svg += "<text x=\"\(f(labelW - 6))\" y=\"\(f(y + 15))\" text-anchor=\"end\"><title>\(esc(e.key))</title>\(esc(e.key.count > 27 ? String(e.key.prefix(26)) + "…" : e.key))</text>"
            svg += "<rect x=\"\(f(labelW))\" y=\"\(f(y + 3))\" width=\"\(f(max(e.value.p95 * scale, 1)))\" height=\"9\" fill=\"#9bb7ef\"><title>p95 \(ms(e.value.p95))</title></rect>"
            svg += "<rect x=\"\(f(labelW))\" y=\"\(f(y + 13))\" width=\"\(f(max(e.value.p50 * scale, 1)))\" height=\"9\" fill=\"#2a5bd7\"><title>p50 \(ms(e.value.p50))</title></rect>"
            svg += "<text x=\"\(f(labelW + max(e.value.p95 * scale, 1) + 6))\" y=\"\(f(y + 15))\">p50 \(esc(ms(e.value.p50))) · p95 \(esc(ms(e.value.p95)))</text>"
        }
        svg += "<rect x=\"\(f(labelW))\" y=\"\(f(h - 14))\" width=\"10\" height=\"8\" fill=\"#2a5bd7\"/><text x=\"\(f(labelW + 14))\" y=\"\(f(h - 7))\">p50</text>"
        svg += "<rect x=\"\(f(labelW + 50))\" y=\"\(f(h - 14))\" width=\"10\" height=\"8\" fill=\"#9bb7ef\"/><text x=\"\(f(labelW + 64))\" y=\"\(f(h - 7))\">p95</text>"
        return svg + "</svg>"
    }

    static func errorChart(_ r: RecentAnalysis) -> String {
        let rows = r.errorTemplates.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(10)
        let maxV = Double(rows.first?.value ?? 1)
        return hbars(rows.map { (label: $0.key, value: Double($0.value), text: "\($0.value)", color: "#d9534f") }, maxValue: maxV)
    }

    static func anomalyTable(_ a: [Anomaly]) -> String {
        guard !a.isEmpty else { return "<p class=\"empty\">No anomalies in the detection window.</p>" }
        var t = "<table><tr><th>when (UTC)</th><th>kind</th><th>command</th><th class=\"num\">observed</th><th class=\"num\">baseline</th><th>what</th></tr>"
        for x in a.prefix(50) {
            let observed: String
            let baseline: String
            switch x.kind {
            case .errorRateSpike:
                observed = pct(x.observed)
                baseline = pct(x.baseline)
            case .latencyRegression:
                observed = ms(x.observed)
                baseline = ms(x.baseline)
            case .newErrorTemplate:
                observed = "\(Int(x.observed))×"
                baseline = "never"
            }
            let when = String(x.at.iso8601.prefix(13)).replacingOccurrences(of: "T", with: " ") + ":00"
            t += "<tr><td>\(esc(when))</td><td class=\"kind\">\(esc(x.kind.rawValue))</td><td>\(esc(x.command))</td>"
            t += "<td class=\"num\">\(esc(observed))</td><td class=\"num\">\(esc(baseline))</td><td>\(esc(x.description))</td></tr>"
        }
        return t + "</table>"
    }

    /// The most surprising patterns: command sequences ranked by lift over chance (a command followed by itself
    /// collapsed into one "re-runs" row), then the top error patterns, retries and busy hours.
    static func patternTable(_ p: [InteractionPattern]) -> String {
        guard !p.isEmpty else { return empty }
        var t = "<table><tr><th>type</th><th>pattern</th><th class=\"num\">freq.</th><th class=\"num\">lift</th></tr>"
        func row(_ kind: String, _ text: String, _ freq: Int, _ lift: Double?) {
            t += "<tr><td class=\"kind\">\(esc(kind))</td><td>\(esc(text))</td><td class=\"num\">\(freq)</td><td class=\"num\">\(lift.map { String(format: "%.1f×", $0) } ?? "–")</td></tr>"
        }
        let sequences = p.filter { $0.patternType == .commandSequence }
        let loops = sequences.filter(\.isSelfLoop)
        let surprising = sequences.filter { !$0.isSelfLoop && ($0.lift ?? 0) > 1 }
            .sorted { ($0.lift ?? 0, $0.frequency) > ($1.lift ?? 0, $1.frequency) }
        for x in surprising.prefix(8) { row(x.patternType.rawValue, x.description, x.frequency, x.lift) }
        if !loops.isEmpty {
            let n = loops.reduce(0) { $0 + $1.frequency }
            let names = loops.sorted { $0.frequency > $1.frequency }.prefix(3).compactMap {
                $0.examples.first?.split(separator: " → ").first.map(String.init)
            }
            row("re-runs", "a command run again right after itself, \(n) times over \(loops.count) command(s) (\(names.joined(separator: ", ")))", n, nil)
        }
        for kind in [InteractionPattern.Kind.errorPattern, .retryAfterFailure, .peakUsage] {
            for x in p.filter({ $0.patternType == kind }).sorted(by: { $0.frequency > $1.frequency }).prefix(3) {
                row(x.patternType.rawValue, x.description, x.frequency, nil)
            }
        }
        return t + "</table>"
    }

    static func f(_ x: Double) -> String { String(format: "%.1f", x) }
}
