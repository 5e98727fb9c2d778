/// Numbers distinct strings 0, 1, 2… in the order they first appear, so that an analyzer counts by small integers
/// instead of hashing the same command, user or template for every record.
///
/// A string already seen in the same storage (the reader hands out one shared copy of each repeated text) is found
/// by its representation in a ``StringIdentityTable``; any other goes through a content-keyed dictionary once and is
/// then remembered by identity too. Memory grows with the number of distinct strings, as the counts it replaces did.
package struct StringInterner: Sendable {
    private var byIdentity = StringIdentityTable<Int32>(limit: 65_536)
    private var byContent: [String: Int32] = [:]
    /// The distinct strings, by number.
    package private(set) var strings: [String] = []

    /// An empty interner.
    package init() {}

    /// Distinct strings seen.
    package var count: Int { strings.count }

    /// The number of `s` (a new one when `s` was not seen before).
    @inline(__always)
    package mutating func id(_ s: String) -> Int {
        if let known = byIdentity[s] { return Int(known) }
        let id: Int32
        if let known = byContent[s] {
            id = known
        } else {
            id = Int32(truncatingIfNeeded: strings.count)
            strings.append(s)
            byContent[s] = id
        }
        // Full of strings from earlier tables of the reader: start again, so today's shared copies are found.
        if byIdentity.count == byIdentity.limit { byIdentity.removeAll() }
        byIdentity.add(s, id)
        return Int(id)
    }

    /// The number of `s` when it was seen, without adding it.
    package func existingID(_ s: String) -> Int? {
        if let known = byIdentity[s] { return Int(known) }
        return byContent[s].map(Int.init)
    }
}
