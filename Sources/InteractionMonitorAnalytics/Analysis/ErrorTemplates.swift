import InteractionMonitor

/// The error templates of a stream of messages, numbered: each distinct message is templated once (a repeated
/// message — one shared string from the reader — is found by identity), and templates are counted by number.
///
/// The messages remembered are bounded (``messageLimit``); past that, a new message is templated every time it comes,
/// so memory stays bounded by the distinct templates plus the bound.
struct ErrorTemplates: Sendable {
    static let messageLimit = 50_000

    private var messages = StringInterner()
    private var templateOfMessage: [Int32] = []
    private var templates = StringInterner()

    /// The template texts, by number.
    var texts: [String] { templates.strings }

    /// The number of `message`'s template.
    mutating func id(of message: String) -> Int {
        if let m = messages.existingID(message) { return Int(templateOfMessage[m]) }
        let t = templates.id(ErrorTemplate.of(message))
        if messages.count < Self.messageLimit {
            _ = messages.id(message)
            templateOfMessage.append(Int32(truncatingIfNeeded: t))
        }
        return t
    }
}
