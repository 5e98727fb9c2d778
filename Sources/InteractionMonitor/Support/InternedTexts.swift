#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A bounded table from UTF-8 bytes to the `String` made from them, so that a text that repeats across records
/// (a command, a type name, a user hash, an error message) is decoded once and then shared: a look-up costs a hash of
/// the bytes and one compare, and equal texts share storage, which later string compares and hashes short-cut.
///
/// Bounded three ways, so no input can make it slow or large: at most ``limit`` texts of at most ``maximumLength``
/// bytes in at most ``arenaLimit`` bytes, and a look-up probes at most ``maximumProbes`` slots. A longer text, or one
/// whose probes all find other texts, is simply decoded and not kept; when the table is full it is emptied and starts
/// again with the texts that repeat from then on.
struct InternedTexts {
    /// Where a kept text's bytes are (plain values, so a probe copies no string).
    private struct Entry {
        var hash: UInt64
        var start: Int
        var count: Int
    }

    static let maximumLength = 512
    /// The longest UTF-8 text a 64-bit `String` keeps in place.
    static let inPlaceLength = 15
    static let maximumProbes = 8

    let limit: Int
    let arenaLimit: Int
    /// Slot → entry index + 1 (0: empty).
    private var slots: [Int32]
    private var entries: [Entry] = []
    private var kept: [String] = []
    private var arena: [UInt8] = []
    private let mask: Int

    /// A table for up to `limit` texts in `arenaLimit` bytes.
    /// A table of `limit` 0 keeps nothing and allocates nothing (for one-off decoding).
    init(limit: Int = 16_384, arenaLimit: Int = 1 << 20) {
        var capacity = 16
        while capacity < limit * 2 { capacity <<= 1 }
        slots = limit > 0 ? Array(repeating: 0, count: capacity) : []
        mask = capacity - 1
        self.limit = limit
        self.arenaLimit = arenaLimit
    }

    /// Texts kept.
    var count: Int { entries.count }

    /// The string for these bytes (invalid UTF-8 replaced with U+FFFD, as `String(decoding:as:)` does).
    mutating func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        // Up to 15 bytes a string holds its text in place (no storage to share, nothing to count references of):
        // making it is cheaper than finding it, and equal ones are equal bit for bit.
        guard limit > 0, bytes.count > Self.inPlaceLength, bytes.count <= Self.maximumLength, bytes.count <= arenaLimit
        else {
            return String(decoding: bytes, as: UTF8.self)
        }
        let hash = Self.hash(bytes)
        var slot = Int(truncatingIfNeeded: hash >> 7) & mask
        for _ in 0..<Self.maximumProbes {
            let index = Int(slots[slot])
            if index == 0 {
                let text = String(decoding: bytes, as: UTF8.self)
                if entries.count == limit || arena.count + bytes.count > arenaLimit {
                    // Full: start again, so the texts repeating now (not the first ones ever seen) are kept.
                    removeAll()
                    slot = Int(truncatingIfNeeded: hash >> 7) & mask
                }
                entries.append(Entry(hash: hash, start: arena.count, count: bytes.count))
                kept.append(text)
                arena.append(contentsOf: bytes)
                slots[slot] = Int32(entries.count)
                return text
            }
            let entry = entries[index - 1]
            if entry.hash == hash, entry.count == bytes.count, equal(entry.start, bytes) { return kept[index - 1] }
            slot = (slot + 1) & mask
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private mutating func removeAll() {
        for k in slots.indices { slots[k] = 0 }
        entries.removeAll(keepingCapacity: true)
        kept.removeAll(keepingCapacity: true)
        arena.removeAll(keepingCapacity: true)
    }

    private func equal(_ start: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        return arena.withUnsafeBufferPointer { kept in
            guard let keptBase = kept.baseAddress else { return false }
            // Word by word (texts here are short: a call to memcmp costs more than comparing them).
            let a = UnsafeRawPointer(keptBase + start), b = UnsafeRawPointer(base)
            var k = 0
            while k + 8 <= bytes.count {
                guard a.loadUnaligned(fromByteOffset: k, as: UInt64.self) == b.loadUnaligned(fromByteOffset: k, as: UInt64.self)
                else { return false }
                k += 8
            }
            while k < bytes.count {
                guard a.load(fromByteOffset: k, as: UInt8.self) == b.load(fromByteOffset: k, as: UInt8.self) else { return false }
                k += 1
            }
            return true
        }
    }

    /// A fast 64-bit hash of `bytes`, eight at a time (not keyed: the bounds above, not the hash, keep a look-up
    /// cheap on any input).
    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        guard let base = bytes.baseAddress else { return 0x9E37_79B9_7F4A_7C15 }
        let raw = UnsafeRawPointer(base)
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        var k = 0
        while k + 8 <= bytes.count {
            let w = raw.loadUnaligned(fromByteOffset: k, as: UInt64.self)
            h = (h ^ w) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
            k += 8
        }
        if k < bytes.count {
            var w: UInt64 = 0
            var shift: UInt64 = 0
            while k < bytes.count {
                w |= UInt64(base[k]) << shift
                shift += 8
                k += 1
            }
            h = (h ^ w) &* 0xC4CE_B9FE_1A85_EC53
        }
        h ^= h >> 29
        return h &* 0x9E37_79B9_7F4A_7C15
    }
}
