/// Splits a byte source into frames and damaged ranges, resynchronising on the next magic after damage.
///
/// Used by the file store for reading and for finding the tail. Never trusts a length field without checking
/// that the trailer repeats it, so one flipped bit costs one segment, not the rest of the file.
package struct FrameScanner {
    /// Reads `count` bytes at `offset` (fewer at end of input).
    let read: (Int64, Int) throws -> [UInt8]
    let size: Int64

    init(read: @escaping (Int64, Int) throws -> [UInt8], size: Int64) {
        self.read = read
        self.size = size
    }

    /// A scanner over bytes in memory.
    package init(bytes: [UInt8]) {
        self.read = { offset, count in
            let start = Int(min(max(offset, 0), Int64(bytes.count)))
            return Array(bytes[start..<min(start + count, bytes.count)])
        }
        self.size = Int64(bytes.count)
    }

    /// Parses a frame at `offset`; `nil` when the bytes there are not a complete, consistent frame.
    func frame(at offset: Int64) throws -> StoredFrame? {
        let minimum = Int64(SegmentHeader.version1Length + SegmentHeader.tagLength + SegmentHeader.trailerLength)
        guard size - offset >= minimum else { return nil }
        let headerBytes = try read(offset, Int(min(Int64(SegmentHeader.length), size - offset)))
        guard case .success(let header) = SegmentHeader.parse(headerBytes) else { return nil }
        let headerLength = Int64(header.encodedLength)
        let total = headerLength + Int64(header.ciphertextLength + SegmentHeader.trailerLength)
        guard offset + total <= size else { return nil }
        let trailer = try read(offset + total - Int64(SegmentHeader.trailerLength), SegmentHeader.trailerLength)
        guard trailer.count == 8, Array(trailer[4..<8]) == SegmentHeader.trailerMagic,
            Int(trailer.readBigEndianUInt32(at: 0)) == header.ciphertextLength
        else { return nil }
        let ciphertext = try read(offset + headerLength, header.ciphertextLength)
        guard ciphertext.count == header.ciphertextLength else { return nil }
        return StoredFrame(header: header, ciphertext: ciphertext, offset: offset)
    }

    /// The header and tag of a frame at `offset`, checked as ``frame(at:)`` checks it, without reading the
    /// ciphertext before its tag; `nil` when the bytes there are not a complete, consistent frame.
    func frameEnd(at offset: Int64) throws -> (header: SegmentHeader, tag: [UInt8])? {
        let minimum = Int64(SegmentHeader.version1Length + SegmentHeader.tagLength + SegmentHeader.trailerLength)
        guard size - offset >= minimum else { return nil }
        let headerBytes = try read(offset, Int(min(Int64(SegmentHeader.length), size - offset)))
        guard case .success(let header) = SegmentHeader.parse(headerBytes) else { return nil }
        // The header guarantees a ciphertext at least as long as its tag.
        let total = Int64(header.encodedLength) + Int64(header.ciphertextLength + SegmentHeader.trailerLength)
        guard offset + total <= size else { return nil }
        let endLength = SegmentHeader.tagLength + SegmentHeader.trailerLength
        let end = try read(offset + total - Int64(endLength), endLength)
        guard end.count == endLength, Array(end[(endLength - 4)...]) == SegmentHeader.trailerMagic,
            Int(end.readBigEndianUInt32(at: SegmentHeader.tagLength)) == header.ciphertextLength
        else { return nil }
        return (header, Array(end[..<SegmentHeader.tagLength]))
    }

    /// The offset of the next occurrence of the header magic at or after `offset`, or `size`.
    func nextMagic(from offset: Int64) throws -> Int64 {
        let magic = SegmentHeader.magic
        var position = offset
        let chunk = 64 * 1024
        while position < size {
            let bytes = try read(position, chunk + magic.count - 1)
            if bytes.count < magic.count { return size }
            for i in 0...(bytes.count - magic.count)
            where bytes[i] == magic[0] && bytes[i + 1] == magic[1] && bytes[i + 2] == magic[2] && bytes[i + 3] == magic[3] {
                return position + Int64(i)
            }
            position += Int64(chunk)
        }
        return size
    }

    /// Calls `body` for each frame or damaged range from the start.
    package func scan(_ body: (ScannedItem) throws -> Void) throws {
        var offset: Int64 = 0
        while offset < size {
            if let f = try frame(at: offset) {
                try body(.frame(f))
                offset += Int64(f.encodedLength)
                continue
            }
            let next = try nextResync(after: offset)
            let reason = next == size && offset > 0 ? "incomplete segment at end of file (torn write?)" : "damaged bytes"
            try body(.damaged(offset: offset, length: next - offset, reason: reason))
            offset = next
        }
    }

    /// The next offset after `offset` where a valid frame starts, or `size`.
    private func nextResync(after offset: Int64) throws -> Int64 {
        var candidate = try nextMagic(from: offset + 1)
        while candidate < size {
            if try frame(at: candidate) != nil { return candidate }
            candidate = try nextMagic(from: candidate + 1)
        }
        return size
    }

    /// The position after the last frame, found from the end in O(1) when the file ends cleanly,
    /// otherwise by a forward scan that skips damaged ranges.
    package func tail() throws -> SegmentPosition { try tailAndEnd().position }

    /// ``tail()`` plus the offset just after the last complete frame (`size` when the file ends cleanly).
    package func tailAndEnd() throws -> (position: SegmentPosition, end: Int64) {
        guard size > 0 else { return (.start, 0) }
        let trailerLength = Int64(SegmentHeader.trailerLength)
        if size >= trailerLength {
            let trailer = try read(size - trailerLength, SegmentHeader.trailerLength)
            if trailer.count == 8, Array(trailer[4..<8]) == SegmentHeader.trailerMagic {
                let n = Int64(trailer.readBigEndianUInt32(at: 0))
                // Either format may end the file: the frame that parses there with this trailer is the last one
                // (its header and tag read, not its ciphertext).
                for headerLength in [SegmentHeader.length, SegmentHeader.version1Length] {
                    let start = size - n - Int64(headerLength) - trailerLength
                    if start >= 0, let f = try frameEnd(at: start), f.header.encodedLength == headerLength,
                        f.header.kind == .interactions
                    {
                        return (SegmentPosition(index: f.header.index &+ 1, previousTag: f.tag), size)
                    }
                }
            }
        }
        var last: StoredFrame? = nil
        var end: Int64 = 0
        try scan { item in
            if case .frame(let f) = item {
                end = f.offset + Int64(f.encodedLength)
                if f.header.kind == .interactions { last = f }
            }
        }
        guard let last else { return (.start, end) }
        return (SegmentPosition(index: last.header.index &+ 1, previousTag: last.tag), end)
    }

    /// Whether the bytes from `end` to the end of the file are one frame cut short — a header whose declared length
    /// runs past the end of the file, as a writer killed in the middle of its append leaves — rather than a complete
    /// frame that was altered or unrelated garbage.
    package func isTornFrame(at end: Int64) throws -> Bool {
        let remaining = size - end
        guard remaining > 0 else { return false }
        let head = try read(end, Int(min(remaining, Int64(SegmentHeader.length))))
        guard head.count >= 4, Array(head[0..<4]) == SegmentHeader.magic else { return false }
        if head.count < SegmentHeader.version1Length || (head[4] == SegmentHeader.version && head.count < SegmentHeader.length) {
            return true
        }
        guard case .success(let h) = SegmentHeader.parse(head) else { return false }
        let declared = Int64(h.encodedLength) + Int64(h.ciphertextLength) + Int64(SegmentHeader.trailerLength)
        return declared > remaining
    }
}
