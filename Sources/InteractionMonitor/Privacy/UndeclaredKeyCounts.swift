/// Strict fields: how many metadata entries were dropped because their key was not declared, by (scrubbed) key
/// name, kept sealed in the store (`undeclared_keys.enc`) so `audit` can show what apps tried to store beyond
/// their declaration. Holds key names and counts only — never a value, a user or a time.
public enum UndeclaredKeyCounts {
    /// The blob's name in the store.
    public static let blobName = "undeclared_keys.enc"
    /// Distinct names kept; further names are counted under ``overflowName``.
    static let nameLimit = 256
    /// Where names beyond the first 256 are counted.
    public static let overflowName = "…"

    /// `counts` merged into `total`, keeping at most `nameLimit` names.
    static func merge(_ counts: [String: Int], into total: inout [String: Int]) {
        for (name, n) in counts {
            if total[name] != nil || total.count < nameLimit {
                total[name, default: 0] += n
            } else {
                total[overflowName, default: 0] += n
            }
        }
    }

    /// Adds `counts` to the sealed totals in `store` (under the blob's lock).
    static func add(_ counts: [String: Int], store: any SegmentStore, keyring: Keyring) throws {
        guard !counts.isEmpty else { return }
        try SealedBlob.update(store: store, name: blobName, keyring: keyring, what: blobName) { old in
            var total = try old.map(decode) ?? [:]
            merge(counts, into: &total)
            var object: [String: JSONValue] = [:]
            for (name, n) in total { object[name] = .int(Int64(n)) }
            return Array(JSONValue.object(object).jsonText.utf8)
        }
    }

    /// The totals stored in `store` (empty when strict fields never dropped anything).
    /// - Throws: when the blob is damaged or sealed under a key the keyring does not hold.
    public static func read(store: any SegmentStore, keyring: Keyring) throws -> [String: Int] {
        guard let plain = try SealedBlob.read(store: store, name: blobName, keyring: keyring, what: blobName) else {
            return [:]
        }
        return try decode(plain)
    }

    private static func decode(_ plaintext: [UInt8]) throws -> [String: Int] {
        guard case .object(let o) = try JSONValue(parsing: plaintext) else {
            throw InteractionMonitorError(.dataCorrupted, "\(blobName) is not a JSON object")
        }
        var out: [String: Int] = [:]
        for (k, v) in o { if case .int(let n) = v { out[k] = Int(n) } }
        return out
    }
}
