import ArgumentParser
import InteractionMonitor

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

    func run() async throws {
        let admin = try store.administrator()
        let ledger: PrivacyLedger
        if let set {
            let amount = try PrivacyAmount(parsing: set)
            ledger = try await journaled(store, "privacy budget") {
                (try PrivacyLedger.setBudget(amount, store: admin.store, keyring: admin.keyring), ["budget": amount.description])
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
