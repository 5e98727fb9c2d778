import ArgumentParser
import InteractionMonitor
import InteractionMonitorAnalytics

/// `--epsilon` and `--max-contribution`, shared by the commands that can release differentially private figures
/// (`analyze`, `segments`, `experiment`, `report`; `stats` declares its own).
struct PrivateReleaseOptions: ParsableArguments {
    @Option(help: "Release differentially private figures costing this ε from the store's privacy budget (see `privacy budget`).")
    var epsilon: String?

    @Option(help: "With --epsilon: interactions one user may add to each released figure (default 10).")
    var maxContribution: Int = NoisyStatistics.defaultMaxContribution

    func validate() throws {
        guard maxContribution >= 1, maxContribution <= 1_000 else { throw ValidationError("--max-contribution must be 1...1000") }
    }

    /// The parsed ε, when a private release was asked for (an unusable amount is a configuration error, exit 2).
    var amount: PrivacyAmount? {
        get throws { try epsilon.map { try PrivacyAmount(parsing: $0) } }
    }

    /// Charges `epsilon` to the ledger of `reader`'s store before anything is released (exit 2 when refused), and
    /// journals the spend (or the refusal).
    func charge(
        _ epsilon: PrivacyAmount, command: String, delta: Double? = nil, reader: DecryptingReader, journal: OperationsJournal
    ) throws -> PrivacyLedger {
        do {
            let ledger = try PrivacyLedger.charge(epsilon, command: command, delta: delta, store: reader.store, keyring: reader.keyring)
            do {
                try journal.append(
                    operation: "privacy spend", outcome: "ok",
                    details: [
                        "epsilon": epsilon.description, "command": command, "delta": delta.map { "\($0)" } ?? "-",
                        "spent": ledger.spent.description, "budget": ledger.budget?.description ?? "-",
                    ])
            } catch let error as InteractionMonitorError {
                printError("warning: \(error.message) (\(journal.path))")
            }
            return ledger
        } catch {
            let message = (error as? InteractionMonitorError)?.message ?? "\(error)"
            try? journal.append(
                operation: "privacy spend", outcome: "failed: \(message)",
                details: ["epsilon": epsilon.description, "command": command])
            throw error
        }
    }
}

/// `--public-commands`, `--max-commands` and `--delta` for the private per-command table (`analyze`, `report`).
struct PrivateCommandOptions: ParsableArguments {
    @Option(help: "With --epsilon: the commands to release, comma-separated (public, so no threshold and no δ).")
    var publicCommands: String?

    @Option(help: "With --epsilon: commands one user may add to (default 5).")
    var maxCommands: Int = PrivateCommandTable.defaultMaxCommands

    @Option(help: "With --epsilon and no --public-commands: δ of the command selection (default 1e-6).")
    var delta: Double = PrivateCommandTable.defaultDelta

    func validate() throws {
        guard maxCommands >= 1, maxCommands <= 100 else { throw ValidationError("--max-commands must be 1...100") }
        guard delta > 0, delta < 0.01 else { throw ValidationError("--delta must be in (0, 0.01)") }
        if let p = publicCommands, commaList(p).isEmpty { throw ValidationError("--public-commands is empty") }
    }

    var commands: [String]? { publicCommands.map(commaList) }

    /// Reads the interactions of the last `hours` hours, clipped for a private command table.
    func gather(_ reader: DecryptingReader, hours: Int, maxContribution: Int) throws -> (PrivateCommandTable.Clipped, StoreReport) {
        let now = Timestamp.now()
        let since = Timestamp(microsecondsSinceEpoch: now.microsecondsSinceEpoch - Int64(hours) * 3_600_000_000)
        var clipped = PrivateCommandTable.Clipped(maxContribution: maxContribution, maxCommands: maxCommands)
        let report = try reader.read(from: since.day) { i in
            if i.timestamp >= since, i.timestamp <= now { clipped.add(i) }
        }
        return (clipped, report)
    }
}

extension PrivateCommandOptions {
    /// The whole private command-table release for `command`: read and clip the last `hours` hours, stop on a
    /// damaged store (exit 1), charge the ledger (exit 2 when refused, before anything is released), then add noise.
    func release(
        _ store: StoreOptions, hours: Int, privacy: PrivateReleaseOptions, epsilon: PrivacyAmount, command: String
    ) throws -> (table: PrivateCommandTable, ledger: PrivacyLedger) {
        let reader = try store.reader()
        let (clipped, report) = try gather(reader, hours: hours, maxContribution: privacy.maxContribution)
        try requireIntact(report)
        let ledger = try privacy.charge(
            epsilon, command: command, delta: commands == nil ? delta : nil, reader: reader, journal: try store.journal)
        let table = try PrivateCommandTable.release(clipped, epsilon: epsilon, publicCommands: commands, delta: delta)
        return (table, ledger)
    }
}

/// Prints reader problems on stderr; a damaged store stops a private release before it is charged (exit 1).
func requireIntact(_ report: StoreReport) throws {
    for issue in report.issues { printError("\(issue.severity.rawValue): \(issue)") }
    if report.hasErrors { throw ExitCode(1) }
}
