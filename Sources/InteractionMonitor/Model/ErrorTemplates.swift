/// The error templates of a stream of messages, each distinct message templated about once: a repeated message —
/// one shared string from the reader — is found by identity, another equal one by content while looking up by content
/// finds repeats. One pass over the records keeps one of these and hands each record's template to every analyzer,
/// so a record's template is computed at most once however many questions look at it.
///
/// Bounded: at most ``messageLimit`` messages are remembered each way (the identity table starts again when full),
/// so memory stays bounded by the distinct templates plus the bound. The templates are the same whichever way a
/// message is found: a template is a function of the message's text.
package struct ErrorTemplates: Sendable {
    package static let messageLimit = 50_000

    /// Messages seen, by identity (the reader's shared copies): the number of their template.
    private var byIdentity = StringIdentityTable<Int32>(limit: messageLimit)
    /// Messages seen, by content, while that finds repeats: when messages rarely repeat (every one carries its own
    /// ids or timings), hashing and keeping each would cost more than templating it, so it stops.
    private var byContent: [String: Int32] = [:]
    private var contentLookups = 0
    private var contentHits = 0
    private var templates = StringInterner()

    /// An empty cache.
    package init() {}

    /// The template texts seen, by number.
    package var texts: [String] { templates.strings }

    /// Whether looking messages up by content still pays: always for the first lookups, then while at least one in
    /// sixteen finds a repeat.
    private var contentPays: Bool { contentLookups < 4096 || contentHits * 16 >= contentLookups }

    /// The number of `message`'s template.
    package mutating func id(of message: String) -> Int {
        if let t = byIdentity[message] { return Int(t) }
        let known: Int32?
        if contentPays {
            contentLookups += 1
            known = byContent[message]
            if known != nil { contentHits += 1 }
        } else {
            known = nil
        }
        let t = known ?? Int32(truncatingIfNeeded: templates.id(ErrorTemplate.of(message)))
        if known == nil, contentPays, byContent.count < Self.messageLimit { byContent[message] = t }
        if byIdentity.count == byIdentity.limit { byIdentity.removeAll() }
        byIdentity.add(message, t)
        return Int(t)
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
