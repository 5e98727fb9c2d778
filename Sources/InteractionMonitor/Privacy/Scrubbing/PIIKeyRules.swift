/// Key-name rules of a scrubber: the built-in classifier plus the configuration's
/// allow-list and extra sensitive keys (both stored normalised).
///
/// A class so that the scanner can refer to the rules without copying (and retaining)
/// the two sets for every scrubbed field; all stored properties are immutable.
final class PIIKeyRules: Sendable {
    let allowed: Set<String>
    let sensitive: Set<String>
    let hasCustomRules: Bool

    init(allowed: Set<String>, sensitive: Set<String>) {
        self.allowed = Set(allowed.map(PIIKeyClassifier.normalize))
        self.sensitive = Set(sensitive.map(PIIKeyClassifier.normalize))
        hasCustomRules = !allowed.isEmpty || !sensitive.isEmpty
    }

    func classify(_ b: PIIBytes, _ start: Int, _ end: Int) -> PIIKeyClassifier.Kind? {
        if hasCustomRules {
            let key = PIIKeyClassifier.normalize(b, start, end)
            if allowed.contains(key) { return nil }
            if sensitive.contains(key) { return .secret }
        }
        return PIIKeyClassifier.classify(b, start, end)
    }
}
