import Testing

@testable import InteractionMonitor

/// The flush's look-up by representation: a hit is always the same string; a miss only costs a fallback.
struct StringIdentityTableTests {
    @Test func shortStringsAreFoundByContentWhereverTheyComeFrom() {
        var t = StringIdentityTable<Int>(limit: 8)
        t.add("region", 1)
        let built = String(decoding: Array("region".utf8), as: UTF8.self)
        #expect(t["region"] == 1 && t[built] == 1)
        #expect(t["regions"] == nil && t["Region"] == nil && t[""] == nil)
    }

    @Test func longStringsAreFoundAsTheSameStringAndNeverConfused() {
        var t = StringIdentityTable<Int>(limit: 1000)
        var added: [String] = []
        for n in 0..<500 {
            let s = "a long text that does not fit in a small string, number \(n)"
            t.add(s, n)
            added.append(s)
        }
        for (n, s) in added.enumerated() { #expect(t[s] == n) }
        // Equal contents in other storage: not found (the caller falls back), never another string's value.
        for n in 0..<500 {
            let other = String(decoding: Array("a long text that does not fit in a small string, number \(n)".utf8), as: UTF8.self)
            let v = t[other]
            #expect(v == nil || v == n)
        }
    }

    @Test func aDroppedStringsStorageIsNotReusedForAnother() {
        var t = StringIdentityTable<Int>(limit: 100)
        do {
            let s = String(repeating: "x", count: 40) + "first"
            t.add(s, 1)
        }
        // The table keeps the first string alive: new strings of the same size get other storage.
        for n in 0..<1000 {
            let s = String(repeating: "y", count: 40) + "\(n)"
            #expect(t[s] == nil)
        }
    }

    @Test func theLimitBoundsTheTableAndRemoveAllEmptiesIt() {
        var t = StringIdentityTable<Int>(limit: 4)
        for n in 0..<10 { t.add("k\(n)", n) }
        #expect(t.count == 4 && t["k3"] == 3 && t["k4"] == nil)
        t.removeAll()
        #expect(t.count == 0 && t["k0"] == nil)
    }
}
