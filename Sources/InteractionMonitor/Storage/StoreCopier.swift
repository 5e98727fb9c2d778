/// Copies a store into another one — a data directory into PostgreSQL and back — byte for byte, without keys.
///
/// Segments are copied as sealed frames: every frame authenticates its own day and index and chains to the
/// previous one, so a copy that verifies is the original. Blobs (manifest, opt-out registry, derived files) are
/// copied as they are. Each destination day is replaced atomically under its exclusive lock; stop writers of the
/// source while copying, or the copy holds a prefix (and verify then reports a manifest mismatch).
package struct StoreCopier: Sendable {
    /// Where to copy from.
    package let source: any SegmentStore
    /// Where to copy to.
    package let destination: any SegmentStore

    /// A copier from `source` to `destination`.
    package init(source: any SegmentStore, destination: any SegmentStore) {
        self.source = source
        self.destination = destination
    }

    /// What was copied or compared.
    package struct Summary: Sendable, Equatable {
        /// Days copied.
        package var days = 0
        /// Segments copied.
        package var segments = 0
        /// Bytes of segments copied.
        package var bytes: Int64 = 0
        /// Blobs copied.
        package var blobs = 0
    }

    /// Copies every day and blob. Destination days and blobs of the same name are replaced; others are left.
    /// - Throws: `.dataCorrupted` when a source day holds damaged bytes (nothing of that day is copied: run
    ///   `verify`), or the stores' errors.
    @discardableResult
    package func copy(progress: (Day, Summary) -> Void = { _, _ in }) throws -> Summary {
        var summary = Summary()
        for day in try source.days() {
            _ = try destination.withExclusiveAccess(to: day, create: true) { access in
                try access.replace { emit in
                    try source.scan(day: day) { item in
                        switch item {
                        case .frame(let f):
                            let frame = Self.encoded(f)
                            try emit(frame)
                            summary.segments += 1
                            summary.bytes += Int64(frame.count)
                        case .damaged(let offset, let length, let reason):
                            throw InteractionMonitorError(
                                .dataCorrupted,
                                "\(source.name(of: day)) has \(length) damaged bytes at offset \(offset) (\(reason)); not copied: run verify")
                        }
                    }
                } beforeCommit: {}
            }
            summary.days += 1
            progress(day, summary)
        }
        for name in try Self.blobs(of: source) {
            guard let bytes = try source.readBlob(named: name) else { continue }
            try destination.updateBlob(named: name) { current in current == bytes ? nil : bytes }
            summary.blobs += 1
        }
        return summary
    }

    /// The blobs a copy carries: every listed blob plus the store's id (a copy is the same store, moved).
    static func blobs(of store: any SegmentStore) throws -> [String] {
        var names = try store.blobNames()
        if !names.contains(StoreIdentity.blobName), try store.readBlob(named: StoreIdentity.blobName) != nil {
            names.append(StoreIdentity.blobName)
        }
        return names
    }

    /// Differences between the two stores' days, frames and blobs (empty when the destination holds exactly
    /// what the source holds). Frames are compared by header and authentication tag.
    package func differences() throws -> [String] {
        var out: [String] = []
        let (sourceDays, destinationDays) = (try source.days(), try destination.days())
        if sourceDays != destinationDays {
            out.append("days differ: \(sourceDays.count) in the source, \(destinationDays.count) in the destination")
        }
        for day in Set(sourceDays).intersection(destinationDays).sorted() {
            let (a, b) = (try fingerprints(source, day), try fingerprints(destination, day))
            if a != b {
                out.append("\(day): \(a.count) segment(s) in the source, \(b.count) in the destination, contents differ")
            }
        }
        let (sourceBlobs, destinationBlobs) = (try Self.blobs(of: source), Set(try Self.blobs(of: destination)))
        for name in sourceBlobs {
            guard destinationBlobs.contains(name) else {
                out.append("blob \(name) missing from the destination")
                continue
            }
            if try source.readBlob(named: name) != destination.readBlob(named: name) {
                out.append("blob \(name) differs")
            }
        }
        return out
    }

    /// Each frame's header and tag, or the damaged range.
    private func fingerprints(_ store: any SegmentStore, _ day: Day) throws -> [[UInt8]] {
        var out: [[UInt8]] = []
        try store.scan(day: day) { item in
            switch item {
            case .frame(let f): out.append(f.header.bytes + f.tag)
            case .damaged(_, let length, _): out.append(Array("damaged \(length)".utf8))
            }
        }
        return out
    }

    /// The frame's bytes as stored: header, ciphertext with tag, length, trailer magic.
    static func encoded(_ f: StoredFrame) -> [UInt8] {
        var frame = f.header.bytes
        frame.reserveCapacity(f.encodedLength)
        frame += f.ciphertext
        frame.appendBigEndian(UInt32(f.ciphertext.count))
        frame += SegmentHeader.trailerMagic
        return frame
    }
}
