import InteractionMonitor
extension HTMLReport {
    /// A page for a differentially private release (`report --epsilon`): the noisy totals and the noisy
    /// per-command table only. Durations, error templates, anomalies and patterns are withheld: they are not
    /// counts with a bounded contribution per user.
    package static func renderPrivate(
        _ t: PrivateCommandTable, hours: Int, title: String = "InteractionMonitor report (differentially private)",
        generatedAt: Timestamp
    ) -> String {
        let o = t.overall
        let selection =
            t.threshold.map { "commands shown when their noisy user count reaches \($0) (δ = \(t.delta ?? 0))" }
            ?? "the package command list only"
        // The cards agree with the table below: with commands shown they are the table's own sums (post-processing,
        // no extra cost); without, the release's noisy overall totals.
        let headline: String
        if t.rows.isEmpty {
            headline = [
                card("\(o.total)", "interactions (noisy)"), card(pct(o.successRate), "success rate (from noisy counts)"),
                card("\(o.uniqueUsers)", "users (noisy)"), card("\(o.byStatus[.failure] ?? 0)", "failures (noisy)"),
            ].joined(separator: "\n")
        } else {
            let runs = t.rows.reduce(0) { $0 + Int64($1.runs) }
            let failures = t.rows.reduce(0) { $0 + Int64($1.failures) }
            let rate = runs > 0 ? Double(max(runs - failures, 0)) / Double(runs) : 0
            headline = [
                card("\(runs)", "interactions (noisy, commands shown)"),
                card(pct(rate), "success rate (commands shown)"), card("\(o.uniqueUsers)", "users (noisy, overall)"),
                card("\(failures)", "failures (noisy, commands shown)"),
            ].joined(separator: "\n")
        }
        var html = head(title: title) + """
            <h1>\(esc(title))</h1>
            <div class="sub">Generated \(esc(generatedAt.iso8601)) · ε = \(esc(t.epsilon.description)) for this whole page · \
            at most \(t.maxContribution) interactions per user per figure and \(t.maxCommands) commands per user · \
            \(esc(selection)) · noise standard deviation ≈ \(Int(t.runsNoiseStandardDeviation.rounded())) on each command's runs \
            and failures, \(Int(t.usersNoiseStandardDeviation.rounded())) on its users · durations, error templates, anomalies \
            and patterns withheld</div>
            <div class="cards">
            \(headline)
            </div>
            <div class="grid">

            """
        var rows = ""
        let widest = max(t.rows.map(\.runs).max() ?? 1, 1)
        for r in t.rows {
            let bar = Int((Double(r.runs) / Double(widest) * 160).rounded())
            rows += "<tr><td>\(esc(r.command))</td><td class=\"num\">\(r.runs)</td><td class=\"num\">\(r.failures)</td>"
            rows += "<td class=\"num\">\(r.users)</td><td class=\"num\">\(r.successRate.map(pct) ?? "–")</td>"
            rows += "<td><svg width=\"160\" height=\"10\"><rect width=\"\(bar)\" height=\"10\" fill=\"#2a5bd7\"/></svg></td></tr>\n"
        }
        let table =
            t.rows.isEmpty
            ? "<p class=\"empty\">No command reached the release threshold; pass the commands with --public-commands, or release with a larger ε.</p>"
            : "<table><tr><th>command</th><th class=\"num\">runs</th><th class=\"num\">failures</th><th class=\"num\">users</th><th class=\"num\">success</th><th></th></tr>\n\(rows)</table>"
        html += section("Commands (last \(hours) h, noisy)", table)
        html += "</div></body></html>\n"
        return html
    }
}
