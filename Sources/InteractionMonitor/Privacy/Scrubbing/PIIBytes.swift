/// A read-only, bounds-forgiving view over the UTF-8 bytes being scanned.
///
/// Reading outside `0..<count` yields `0`, which every detector treats as a
/// boundary. This keeps the hand-written scanners free of explicit range checks
/// while guaranteeing they never read out of bounds.
struct PIIBytes {
    let base: UnsafePointer<UInt8>
    let count: Int

    @inline(__always) subscript(i: Int) -> UInt8 {
        // One unsigned comparison covers both i < 0 and i >= count.
        UInt(bitPattern: i) < UInt(bitPattern: count) ? base[i] : 0
    }

    /// The end of the run of ASCII digits starting at `i`.
    @inline(__always) func digitRunEnd(from i: Int) -> Int {
        let p = base
        let n = count
        var j = i
        while j < n && PIIASCII.isDigit(p[j]) { j &+= 1 }
        return j
    }

    /// The end of the run of ASCII letters and digits starting at `i`.
    @inline(__always) func alnumRunEnd(from i: Int) -> Int {
        let p = base
        let n = count
        var j = i
        while j < n && PIIASCII.isAlnum(p[j]) { j &+= 1 }
        return j
    }

    /// The end of the run of identifier bytes (`A–Z a–z 0–9 _ . -`) starting at `i`.
    @inline(__always) func identRunEnd(from i: Int) -> Int {
        let p = base
        let n = count
        var j = i
        while j < n && PIIASCII.isIdent(p[j]) { j &+= 1 }
        return j
    }

    /// True when the bytes at `i` equal `literal` exactly.
    @inline(__always) func matches(_ literal: StaticString, at i: Int) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard i >= 0, i + n <= count else { return false }
        let p = literal.utf8Start
        for k in 0..<n where base[i + k] != p[k] { return false }
        return true
    }

    /// True when the bytes at `i` equal the lowercase ASCII `literal`, ignoring ASCII case.
    @inline(__always) func matchesCaseInsensitive(_ literal: StaticString, at i: Int) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard i >= 0, i + n <= count else { return false }
        let p = literal.utf8Start
        for k in 0..<n where PIIASCII.lower(base[i + k]) != p[k] { return false }
        return true
    }

    /// True when `literal` occurs anywhere in `start..<end`.
    func contains(_ literal: StaticString, from start: Int, to end: Int) -> Bool {
        let n = literal.utf8CodeUnitCount
        var i = start
        while i + n <= end {
            if matches(literal, at: i) { return true }
            i += 1
        }
        return false
    }
}
