import InteractionMonitor
/// The privacy budget of a data directory (or store) and every ε spent from it, sealed like the registries in
/// `privacy_ledger.enc`. Amounts are exact (``PrivacyAmount``, millionths), so the sum of spends never drifts.
///
/// A query that releases noisy figures calls ``charge(_:command:delta:store:keyring:now:)`` *before* releasing anything:
/// the spend is recorded under the blob's exclusive lock, and a spend that would exceed the budget is refused
/// (nothing written). The budget covers every `--epsilon` release from this store by anyone holding its keyring.
public struct PrivacyLedger: Sendable, Hashable {
    /// The blob's name in the store.
    public static let blobName = "privacy_ledger.enc"

    /// One recorded spend.
    public struct Spend: Sendable, Hashable {
        /// The privacy loss charged.
        public var epsilon: PrivacyAmount
        /// The command (or caller) that released figures.
        public var command: String
        /// When it was charged.
        public var at: Timestamp
        /// The δ of an (ε, δ) release (a thresholded command table); `nil` for a pure ε release. Recorded, not
        /// budgeted.
        public var delta: Double? = nil
    }

    /// The total budget; `nil` until set.
    public var budget: PrivacyAmount?
    /// Every spend, oldest first.
    public var spends: [Spend] = []

    /// The sum of all spends.
    public var spent: PrivacyAmount { PrivacyAmount(micros: spends.reduce(0) { $0 + $1.epsilon.micros }) }
    /// What is left of the budget (`nil` when no budget is set).
    public var remaining: PrivacyAmount? { budget.map { PrivacyAmount(micros: max($0.micros - spent.micros, 0)) } }

    /// The ledger stored in `store` (empty when none).
    public static func read(store: any SegmentStore, keyring: Keyring) throws -> PrivacyLedger {
        guard let plain = try SealedBlob.read(store: store, name: blobName, keyring: keyring, what: blobName) else {
            return PrivacyLedger()
        }
        return try decode(plain)
    }

    /// Sets the total budget. Lowering it below what was already spent is refused (exit 2), and so is raising it
    /// once anything was spent unless `allowRaise` says the operator means it (an exhausted budget must not
    /// simply be raised; the command-line tool journals it).
    @discardableResult
    public static func setBudget(
        _ budget: PrivacyAmount, allowRaise: Bool = false, store: any SegmentStore, keyring: Keyring
    ) throws -> PrivacyLedger {
        var result = PrivacyLedger()
        try SealedBlob.update(store: store, name: blobName, keyring: keyring, what: blobName) { old in
            var ledger = try old.map(decode) ?? PrivacyLedger()
            guard budget >= ledger.spent else {
                throw InteractionMonitorError(
                    .configuration, "a privacy budget of \(budget) is below the \(ledger.spent) already spent")
            }
            if let old = ledger.budget, budget > old, ledger.spent.micros > 0, !allowRaise {
                throw InteractionMonitorError(
                    .configuration,
                    "refused: raising the privacy budget from \(old) to \(budget) after \(ledger.spent) was spent weakens every earlier release's guarantee; pass --raise-after-spending to do it on the record")
            }
            ledger.budget = budget
            result = ledger
            return ledger.encoded()
        }
        return result
    }

    /// Charges `epsilon` for `command`, or refuses (exit 2, nothing written) when no budget is set or the spend
    /// would exceed it. Call before releasing any figure.
    @discardableResult
    public static func charge(
        _ epsilon: PrivacyAmount, command: String, delta: Double? = nil, store: any SegmentStore, keyring: Keyring,
        now: Timestamp = .now()
    ) throws -> PrivacyLedger {
        var result = PrivacyLedger()
        try SealedBlob.update(store: store, name: blobName, keyring: keyring, what: blobName) { old in
            var ledger = try old.map(decode) ?? PrivacyLedger()
            guard let budget = ledger.budget else {
                throw InteractionMonitorError(
                    .configuration, "no privacy budget is set for this store; set one with `privacy budget --set EPSILON`")
            }
            guard (ledger.spent + epsilon) <= budget else {
                throw InteractionMonitorError(
                    .configuration,
                    "refused: epsilon \(epsilon) would exceed the privacy budget (\(ledger.spent) of \(budget) spent, \(ledger.remaining ?? budget) left)")
            }
            ledger.spends.append(Spend(epsilon: epsilon, command: command, at: now, delta: delta))
            result = ledger
            return ledger.encoded()
        }
        return result
    }

    /// The ledger as JSON: `budget` (string or null), `spent`, `spends` (`epsilon`, `command`, `at`, and `delta`
    /// for an (ε, δ) release). Amounts are decimal strings, exact.
    public var json: JSONValue {
        .object([
            "budget": budget.map { .string($0.description) } ?? .null,
            "spent": .string(spent.description),
            "spends": .array(spends.map { s in
                var o: [String: JSONValue] = ["epsilon": .string(s.epsilon.description), "command": .string(s.command), "at": .string(s.at.iso8601)]
                if let d = s.delta { o["delta"] = .double(d) }
                return .object(o)
            }),
        ])
    }

    func encoded() -> [UInt8] {
        let o: JSONValue = .object([
            "budget_micros": budget.map { .int($0.micros) } ?? .null,
            "spends": .array(spends.map { s in
                var o: [String: JSONValue] = ["epsilon_micros": .int(s.epsilon.micros), "command": .string(s.command), "at": .string(s.at.iso8601)]
                if let d = s.delta { o["delta"] = .double(d) }
                return .object(o)
            }),
        ])
        return Array(o.jsonText.utf8)
    }

    static func decode(_ plaintext: [UInt8]) throws -> PrivacyLedger {
        let damaged = InteractionMonitorError(.dataCorrupted, "\(blobName) is not a valid ledger")
        guard case .object(let o) = try JSONValue(parsing: plaintext) else { throw damaged }
        var ledger = PrivacyLedger()
        if case .int(let b)? = o["budget_micros"] { ledger.budget = PrivacyAmount(micros: b) }
        if case .array(let spends)? = o["spends"] {
            for s in spends {
                guard case .object(let e) = s, case .int(let micros)? = e["epsilon_micros"], case .string(let c)? = e["command"],
                    case .string(let at)? = e["at"], let t = Timestamp(iso8601: at)
                else { throw damaged }
                var delta: Double? = nil
                if case .double(let d)? = e["delta"] { delta = d }
                ledger.spends.append(Spend(epsilon: PrivacyAmount(micros: micros), command: c, at: t, delta: delta))
            }
        }
        return ledger
    }
}
