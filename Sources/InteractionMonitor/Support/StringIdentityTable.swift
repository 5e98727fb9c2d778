/// A bounded table from strings to small values that finds a string by its representation — the two machine words
/// of the `String` value — instead of hashing its contents.
///
/// Equal words mean equal strings: a small string (up to 15 UTF-8 bytes) holds its bytes in those words, and a
/// larger one points to its storage, which the table keeps alive (so the address cannot be reused by another
/// string while it is in the table). Equal strings in different storage are simply not found: callers fall back to
/// a content-keyed dictionary and add the string here. The flush uses it for the keys, texts and ids that repeat
/// across records — most are literals in the app's code or short, so a look-up costs a multiply and a compare.
struct StringIdentityTable<Value> {
    fileprivate struct Slot {
        var first: UInt64
        var second: UInt64
        var value: Value
    }

    private var slots: [Slot?]
    /// The strings whose words are in the table (kept alive, see above).
    private var kept: [String] = []
    private var mask: Int
    let limit: Int

    /// A table for up to `limit` strings; it starts small and doubles as strings are added (at most half full).
    init(limit: Int) {
        slots = Array(repeating: nil, count: 16)
        mask = 15
        self.limit = limit
    }

    var count: Int { kept.count }

    @inline(__always)
    private static func words(_ s: String) -> (UInt64, UInt64) { unsafeBitCast(s, to: (UInt64, UInt64).self) }

    @inline(__always)
    private func start(_ w: (UInt64, UInt64)) -> Int {
        Int(truncatingIfNeeded: ((w.0 &* 0x9E37_79B9_7F4A_7C15) ^ (w.1 &* 0xC2B2_AE3D_27D4_EB4F)) >> 29) & mask
    }

    /// The value for `s` when this very string (or a small string with its bytes) was added.
    subscript(_ s: String) -> Value? {
        let w = Self.words(s)
        var i = start(w)
        while let slot = slots[i] {
            if slot.first == w.0 && slot.second == w.1 { return slot.value }
            i = (i + 1) & mask
        }
        return nil
    }

    /// Adds `s` (ignored once the table holds ``limit`` strings).
    mutating func add(_ s: String, _ value: Value) {
        guard kept.count < limit else { return }
        if (kept.count + 1) * 2 > slots.count { grow() }
        let w = Self.words(s)
        var i = start(w)
        while let slot = slots[i] {
            if slot.first == w.0 && slot.second == w.1 { return }
            i = (i + 1) & mask
        }
        slots[i] = Slot(first: w.0, second: w.1, value: value)
        kept.append(s)
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: nil, count: old.count * 2)
        mask = slots.count - 1
        for case let slot? in old {
            var i = start((slot.first, slot.second))
            while slots[i] != nil { i = (i + 1) & mask }
            slots[i] = slot
        }
    }

    /// Empties the table.
    mutating func removeAll() {
        guard !kept.isEmpty else { return }
        for i in slots.indices { slots[i] = nil }
        kept.removeAll(keepingCapacity: true)
    }
}

extension StringIdentityTable: Sendable where Value: Sendable {}
extension StringIdentityTable.Slot: Sendable where Value: Sendable {}
