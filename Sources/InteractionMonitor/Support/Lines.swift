#if canImport(Glibc)
import Glibc
#endif

extension Array where Element == UInt8 {
    /// Calls `body` with each non-empty `\n`-terminated (or final) line, without the newline — what
    /// `split(separator: "\n")` yields, found with `memchr` and without building an array of lines.
    package func forEachLine(_ body: (ArraySlice<UInt8>) throws -> Void) rethrows {
        var ends: [Int] = []
        withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            var offset = 0
            while offset < buffer.count {
                guard let hit = memchr(base + offset, Int32(UInt8(ascii: "\n")), buffer.count - offset) else { break }
                let end = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                ends.append(end)
                offset = end + 1
            }
        }
        var start = 0
        for end in ends {
            if end > start { try body(self[start..<end]) }
            start = end + 1
        }
        if start < count { try body(self[start..<count]) }
    }
}
