/// The error templates of a stream of messages, each distinct message templated once: a repeated message — one
/// shared string from the reader — is found by identity, another equal one by content. One pass over the records
/// keeps one of these and hands each record's template to every analyzer, so a record's template is computed at most
/// once however many questions look at it.
///
/// The messages remembered are bounded (``messageLimit``); past that, a new message is templated every time it comes,
/// so memory stays bounded by the distinct templates plus the bound.
package struct ErrorTemplates: Sendable {
    package static let messageLimit = 50_000

    private var messages = StringInterner()
    private var templateOfMessage: [Int32] = []
    private var templates = StringInterner()

    /// An empty cache.
    package init() {}

    /// The template texts seen, by number.
    package var texts: [String] { templates.strings }

    /// The number of `message`'s template.
    package mutating func id(of message: String) -> Int {
        if let m = messages.existingID(message) { return Int(templateOfMessage[m]) }
        let t = templates.id(ErrorTemplate.of(message))
        if messages.count < Self.messageLimit {
            _ = messages.id(message)
            templateOfMessage.append(Int32(truncatingIfNeeded: t))
        }
        return t
    }

    /// The template of `message` (one shared string per template).
    package mutating func template(of message: String) -> String {
        let t = id(of: message)  // first: it may add the template
        return templates.strings[t]
    }

    /// The template of `interaction`'s error message, if it has one.
    package mutating func template(of interaction: Interaction) -> String? {
        interaction.errorMessage.map { template(of: $0) }
    }
}
