import ArgumentParser
import InteractionMonitor
import InteractionMonitorAnalytics

struct PrivacyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "privacy", abstract: "The store's differential-privacy budget and what was spent from it.",
        subcommands: [PrivacyBudgetCommand.self, PrivacyLedgerCommand.self])
}

struct PrivacyBudgetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "budget", abstract: "Show or set the total ε every `--epsilon` release is charged against.")
    @OptionGroup var store: StoreOptions
    @Option(help: "Set the total budget (a decimal ε, at most 6 decimals).") var set: String?
    @Flag(help: "With --set: allow raising a budget that has already been spent from (journaled).")
    var raiseAfterSpending = false

    func run() async throws {
        let admin = try store.administrator()
        let ledger: PrivacyLedger
        if let set {
            let amount = try PrivacyAmount(parsing: set)
            ledger = try await journaled(store, "privacy budget") {
                let before = try PrivacyLedger.read(store: admin.store, keyring: admin.keyring)
                let after = try PrivacyLedger.setBudget(
                    amount, allowRaise: raiseAfterSpending, store: admin.store, keyring: admin.keyring)
                return (
                    after,
                    [
                        "budget": amount.description, "previous": before.budget?.description ?? "-",
                        "spent": after.spent.description, "raised_after_spending": raiseAfterSpending ? "yes" : "no",
                    ]
                )
            }
        } else {
            ledger = try PrivacyLedger.read(store: admin.store, keyring: admin.keyring)
        }
        print("privacy budget: \(ledger.budget?.description ?? "not set"); spent \(ledger.spent); left \(ledger.remaining?.description ?? "-")")
    }
}

struct PrivacyLedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger", abstract: "Every ε spent: when, how much, by which command.")
    @OptionGroup var store: StoreOptions
    @Flag(help: "One JSON object: budget, spent, spends (epsilon, command, at; delta for an (ε, δ) release).") var json = false

    func run() async throws {
        let admin = try store.administrator()
        let ledger = try PrivacyLedger.read(store: admin.store, keyring: admin.keyring)
        if json {
            print(ledger.json.jsonText)
            return
        }
        print("budget \(ledger.budget?.description ?? "not set"), spent \(ledger.spent)")
        for s in ledger.spends { print("  \(s.at.iso8601)  ε \(s.epsilon)\(s.delta.map { "  δ \($0)" } ?? "")  \(s.command)") }
    }
}
