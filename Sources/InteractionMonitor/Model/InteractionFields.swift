/// Which text fields of a stored record a reader builds. The timestamp, type, status and duration are always built;
/// a field left out is still checked (present where required, of the right type) but delivered empty — `""` for the
/// command, `nil` for the others — so a question pays only for what it reads.
package struct InteractionFields: OptionSet, Sendable, Hashable {
    package let rawValue: UInt8
    package init(rawValue: UInt8) { self.rawValue = rawValue }

    /// The command or route.
    package static let command = InteractionFields(rawValue: 1 << 0)
    /// The error message.
    package static let errorMessage = InteractionFields(rawValue: 1 << 1)
    /// The metadata object.
    package static let metadata = InteractionFields(rawValue: 1 << 2)
    /// The session id.
    package static let sessionID = InteractionFields(rawValue: 1 << 3)
    /// The user hash.
    package static let userHash = InteractionFields(rawValue: 1 << 4)
    /// Every field.
    package static let all: InteractionFields = [.command, .errorMessage, .metadata, .sessionID, .userHash]
}
