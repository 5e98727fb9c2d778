import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Follows a store while other processes append to it, decrypting each segment once.
///
/// It remembers, per day, how many segments it has delivered and (for a ``FileSegmentStore``) the byte offset after
/// the last complete frame and the file's identity, so each ``poll(issue:_:)`` reads only what was appended since — a
/// frame still being written is left for the next poll. A day file replaced by a rewrite (retention, re-encryption)
/// is read again from the start, skipping segment indexes already delivered. Other stores are scanned from the
/// start and only segments not yet delivered are decrypted.
///
/// Every segment is authenticated as ``DecryptingReader`` does; damaged segments and unknown keys are reported
/// through `issue` and skipped.
package final class SegmentFollower: Sendable {
    /// The store followed.
    package let store: any SegmentStore
    private let keyring: Locked<Keyring>
    private let positions = Locked<[Day: Position]>([:])

    struct Position: Sendable {
        var offset: Int64 = 0
        var device: UInt64 = 0
        var inode: UInt64 = 0
        /// Segment indexes below this were delivered.
        var nextIndex: UInt64 = 0
    }

    /// A follower of `store` opening segments with `keyring`.
    package init(store: any SegmentStore, keyring: Keyring) {
        self.store = store
        self.keyring = Locked(keyring)
    }

    /// Replaces the keyring (after another process rotated keys).
    package func update(keyring: Keyring) { self.keyring.withLock { $0 = keyring } }

    /// Marks everything stored now for days before `day` as seen without reading it.
    package func skip(daysBefore day: Day) throws {
        for d in try store.days() where d < day {
            var p = Position()
            if let file = store as? FileSegmentStore, let st = Self.identity(file.path(of: d)) {
                p.offset = st.size
                p.device = st.device
                p.inode = st.inode
                p.nextIndex = UInt64.max  // whatever is appended after the offset is new
            } else {
                try store.scan(day: d) { item in
                    if case .frame(let f) = item, f.header.kind == .interactions { p.nextIndex = max(p.nextIndex, f.header.index + 1) }
                }
            }
            positions.withLock { $0[d] = p }
        }
    }

    /// Reads every segment not delivered yet (all days), calling `body` with each authenticated interaction, and
    /// `issue` with each problem. Returns the number of segments decrypted.
    @discardableResult
    package func poll(
        issue: (StoreIssue) -> Void = { _ in }, _ body: (Interaction) throws -> Void
    ) throws -> Int {
        var opened = 0
        let storeID = StoreIdentity.expected(store: store, manifest: nil)
        for day in try store.days() {
            opened += try poll(day: day, storeID: storeID, issue: issue, body)
        }
        return opened
    }

    private func poll(
        day: Day, storeID: [UInt8]?, issue: (StoreIssue) -> Void, _ body: (Interaction) throws -> Void
    ) throws -> Int {
        var position = positions.withLock { $0[day] } ?? Position()
        let keyring = self.keyring.withLock { $0 }
        let name = store.name(of: day)
        var opened = 0
        func handle(_ item: ScannedItem, base: Int64) throws {
            guard case .frame(let frame) = item else { return }
            position.offset = base + frame.offset + Int64(frame.encodedLength)
            let h = frame.header
            guard h.kind == .interactions, h.day == day else { return }
            guard position.nextIndex == UInt64.max || h.index >= position.nextIndex else { return }
            if position.nextIndex != UInt64.max { position.nextIndex = h.index + 1 }
            switch FrameOpener(keyring: keyring, storeID: storeID).open(frame) {
            case .failure(.foreignStore(let foreign)):
                issue(StoreIssue(severity: .error, file: name, segment: h.index, offset: base + frame.offset, message: "segment \(foreign); skipped"))
            case .failure(.unknownKey(let id)):
                issue(StoreIssue(severity: .error, file: name, segment: h.index, offset: base + frame.offset, message: "sealed with key \(id), which the keyring does not hold"))
            case .failure(.authentication):
                issue(StoreIssue(severity: .error, file: name, segment: h.index, offset: base + frame.offset, message: "authentication failed: segment was modified"))
            case .success(let plaintext):
                opened += 1
                try plaintext.forEachLine { line in
                    guard let i = try? Interaction(jsonLine: line) else { return }
                    try body(i)
                }
            }
        }
        if let file = store as? FileSegmentStore {
            let path = file.path(of: day)
            let fd: Int32
            do { fd = try POSIX.open(path, O_RDONLY) } catch { return 0 }  // removed meanwhile
            defer { POSIX.close(fd) }
            var st = stat()
            guard fstat(fd, &st) == 0 else { return 0 }
            let size = Int64(st.st_size)
            if UInt64(st.st_dev) != position.device || UInt64(st.st_ino) != position.inode || size < position.offset {
                // New or replaced file: from the start, skipping indexes already delivered.
                let delivered = position.nextIndex == UInt64.max ? 0 : position.nextIndex
                position = Position(offset: 0, device: UInt64(st.st_dev), inode: UInt64(st.st_ino), nextIndex: delivered)
            }
            let base = position.offset
            guard size > base else { return 0 }
            let scanner = FrameScanner(
                read: { try POSIX.pread(fd, count: $1, offset: base + $0, path: path) }, size: size - base)
            try scanner.scan { try handle($0, base: base) }
        } else {
            // Other stores: scan from the start, decrypt only segment indexes not delivered yet.
            try store.scan(day: day) { try handle($0, base: 0) }
        }
        positions.withLock { $0[day] = position }
        return opened
    }

    static func identity(_ path: String) -> (size: Int64, device: UInt64, inode: UInt64)? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return (Int64(st.st_size), UInt64(st.st_dev), UInt64(st.st_ino))
    }
}
