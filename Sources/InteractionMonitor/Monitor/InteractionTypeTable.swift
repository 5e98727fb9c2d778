import Synchronization

/// Interns interaction type names so a buffered record holds a 2-byte index instead of a string. The built-in
/// types have fixed indices and need no lock; an app-defined type takes the table's lock once per record.
///
/// The table holds at most ``capacity`` names; any further distinct name is recorded as ``overflow`` (a limit
/// only a runaway loop of generated type names can reach; see ``RecordLimits``).
final class InteractionTypeTable: Sendable {
    static let capacity = 4096
    /// The type stored once the table is full.
    static let overflow = InteractionType("other")

    private struct Names {
        var list: [InteractionType] = [.cliCommand, .apiRequest, InteractionTypeTable.overflow]
        var index: [String: UInt16] = [:]
    }

    private let names = Locked(Names())

    /// The index of `type`, adding it when new.
    func index(of type: InteractionType) -> UInt16 {
        let raw = type.rawValue
        if raw == InteractionType.cliCommand.rawValue { return 0 }
        if raw == InteractionType.apiRequest.rawValue { return 1 }
        return names.withLock { n in
            if let i = n.index[raw] { return i }
            guard n.list.count < Self.capacity else { return 2 }
            let i = UInt16(n.list.count)
            n.list.append(type)
            n.index[raw] = i
            return i
        }
    }

    /// The type at `index`.
    func type(at index: UInt16) -> InteractionType {
        switch index {
        case 0: .cliCommand
        case 1: .apiRequest
        default: names.withLock { n in Int(index) < n.list.count ? n.list[Int(index)] : Self.overflow }
        }
    }

    /// Every type, indexed (one lock for a whole batch).
    func all() -> [InteractionType] { names.withLock { $0.list } }
}
