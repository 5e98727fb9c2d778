import InteractionMonitor
import NIOCore
import PostgresNIO
import Synchronization

/// One day's partition inside the transaction that holds the day's advisory lock.
struct PostgresDayAccess: DayAccess {
    let store: PostgresSegmentStore
    let session: PostgresSession
    let day: Day

    var table: String { store.partition(day) }

    /// Rows per page when scanning (bounded memory: segments are at most a few hundred KB each in practice).
    static let pageRows = 32
    /// Rows per multi-row INSERT.
    static let insertRows = 128

    func tail() throws -> SegmentPosition {
        let rows = try session.query("SELECT frame FROM \(table) ORDER BY seg_index DESC LIMIT 1")
        guard let row = rows.first else { return .start }
        let bytes = Array(try row.decode(ByteBuffer.self).readableBytesView)
        let (position, end) = try FrameScanner(bytes: bytes).tailAndEnd()
        if end == Int64(bytes.count), position.index > 0 { return position }
        // The last row is not an intact interactions segment (altered in the database): find the last one that is.
        var last: StoredFrame? = nil
        try scan { item in
            if case .frame(let f) = item, f.header.kind == .interactions { last = f }
        }
        guard let last else { return .start }
        return SegmentPosition(index: last.header.index &+ 1, previousTag: last.tag)
    }

    func append(_ frames: [[UInt8]]) throws { try append(frames, provenance: []) }

    func append(_ frames: [[UInt8]], provenance: [SegmentProvenance]) throws {
        guard !frames.isEmpty else { return }
        let next = try session.query("SELECT coalesce(max(seg_index) + 1, 0)::int8 FROM \(table)")
        var index = try next.first?.decode(Int64.self) ?? 0
        var rows: [(frame: [UInt8], provenance: SegmentProvenance?)] = []
        for (n, f) in frames.enumerated() {
            rows.append((f, n < provenance.count ? provenance[n] : nil))
            if rows.count == Self.insertRows {
                try insert(rows, from: index)
                index += Int64(rows.count)
                rows.removeAll(keepingCapacity: true)
            }
        }
        try insert(rows, from: index)
        // The writer's high-water mark for this day, independent of the segment rows (a rewrite re-seals them).
        var byWriter: [WriteOrigin.WriterID: UInt64] = [:]
        for p in provenance { byWriter[p.writer] = max(byWriter[p.writer] ?? 0, p.lastSequence) }
        for (writer, last) in byWriter {
            var b = PostgresBindings()
            b.append(day.description)
            b.append(ByteBuffer(bytes: writer.bytes))
            b.append(Int64(bitPattern: last))
            try session.query(
                """
                INSERT INTO \(store.schema).writer_progress (day, writer_id, last_seq) VALUES ($1::date, $2, $3)
                ON CONFLICT (day, writer_id) DO UPDATE SET last_seq = greatest(writer_progress.last_seq, EXCLUDED.last_seq)
                """, b)
        }
    }

    /// Origins are rows committed in the day's transaction, with the manifest.
    var tracksWriteOrigins: Bool { true }

    func lastSequence(of writer: WriteOrigin.WriterID) throws -> UInt64? {
        var b = PostgresBindings()
        b.append(day.description)
        b.append(ByteBuffer(bytes: writer.bytes))
        let rows = try session.query(
            "SELECT last_seq FROM \(store.schema).writer_progress WHERE day = $1::date AND writer_id = $2", b)
        return try rows.first.map { UInt64(bitPattern: try $0.decode(Int64.self)) }
    }

    /// Inserts `rows` as segments `start`, `start + 1`, … in one statement.
    /// `temporary`: as `-(start + n) - 1` (rows of a replacement in progress, invisible to ``scan(_:)``).
    private func insert(
        _ rows: [(frame: [UInt8], provenance: SegmentProvenance?)], from start: Int64, temporary: Bool = false
    ) throws {
        guard !rows.isEmpty else { return }
        var sql = "INSERT INTO \(table) (day, seg_index, key_id, writer_id, seq_first, seq_last, frame_bytes, frame) VALUES "
        var b = PostgresBindings(capacity: rows.count * 8)
        for (n, row) in rows.enumerated() {
            let p = n * 8
            if n > 0 { sql += ", " }
            sql += "($\(p + 1)::date, $\(p + 2), $\(p + 3), $\(p + 4), $\(p + 5), $\(p + 6), $\(p + 7), $\(p + 8))"
            b.append(day.description)
            b.append(temporary ? -(start + Int64(n)) - 1 : start + Int64(n))
            b.append(ByteBuffer(bytes: Self.keyID(of: row.frame)))
            b.append(row.provenance.map { ByteBuffer(bytes: $0.writer.bytes) })
            b.append(row.provenance.map { Int64(bitPattern: $0.firstSequence) })
            b.append(row.provenance.map { Int64(bitPattern: $0.lastSequence) })
            b.append(Int32(clamping: row.frame.count))
            b.append(ByteBuffer(bytes: row.frame))
        }
        try session.query(sql, b)
    }

    /// The data key id from a frame's header (empty when the bytes are not a frame).
    static func keyID(of frame: [UInt8]) -> [UInt8] {
        guard frame.count >= 16, Array(frame[0..<4]) == Array("IMSG".utf8) else { return [] }
        return Array(frame[8..<16])
    }

    func scan(_ body: (ScannedItem) throws -> Void) throws {
        // Rows at negative indices exist only inside a rewrite's own transaction; any others were planted, and are
        // reported as damage (so `verify` names the day and a rewrite refuses it) rather than skipped unseen.
        let hidden = try session.query("SELECT count(*) FROM \(table) WHERE seg_index < 0")
        if let row = hidden.first, let n = try? row.decode(Int64.self), n > 0 {
            try body(.damaged(offset: 0, length: n, reason: "\(n) row(s) at negative segment indices, which no writer leaves behind"))
        }
        var after: Int64 = -1
        var offset: Int64 = 0
        while true {
            var b = PostgresBindings()
            b.append(after)
            let rows = try session.query(
                "SELECT seg_index, frame FROM \(table) WHERE seg_index > $1 ORDER BY seg_index LIMIT \(Self.pageRows)", b)
            for row in rows {
                let (index, buffer) = try row.decode((Int64, ByteBuffer).self)
                after = index
                let bytes = Array(buffer.readableBytesView)
                // Each row is scanned like a file holding one frame; offsets continue across rows.
                let base = offset
                try FrameScanner(bytes: bytes).scan { item in
                    switch item {
                    case .frame(var f):
                        f.offset += base
                        try body(.frame(f))
                    case .damaged(let o, let length, let reason):
                        try body(.damaged(offset: base + o, length: length, reason: reason))
                    }
                }
                offset += Int64(bytes.count)
            }
            if rows.count < Self.pageRows { return }
        }
    }

    func replace(
        producing produce: (_ emit: ([UInt8]) throws -> Void) throws -> Void, beforeCommit: () throws -> Void
    ) throws {
        // Inside the day's transaction: other readers keep seeing the old rows until it commits. `produce` usually
        // reads the old rows through this access while it emits (re-encryption, erasure), so the new rows go in
        // under negative temporary indices (-1, -2, …), which ``scan(_:)`` (indices ≥ 0) never sees; once
        // everything is emitted the old rows are deleted and the new ones renumbered 0, 1, ….
        var index: Int64 = 0
        var pending: [(frame: [UInt8], provenance: SegmentProvenance?)] = []
        var pendingBytes = 0
        func flushPending() throws {
            try insert(pending, from: index, temporary: true)
            index += Int64(pending.count)
            pending.removeAll(keepingCapacity: true)
            pendingBytes = 0
        }
        try produce { frame in
            pending.append((frame, nil))
            pendingBytes += frame.count
            if pending.count == Self.insertRows || pendingBytes >= 8 << 20 { try flushPending() }
        }
        try flushPending()
        try session.query("DELETE FROM \(table) WHERE seg_index >= 0")
        try session.query("UPDATE \(table) SET seg_index = -seg_index - 1 WHERE seg_index < 0")
        try beforeCommit()
    }

    /// Empties the day inside the transaction; its partition is dropped right after the transaction commits
    /// (``PostgresSegmentStore/dropEmptyPartitions(_:)``). Dropping here would need the parent table's exclusive
    /// lock while the manifest's advisory lock is held, which writers of other days (holding a share lock on the
    /// parent and waiting for the manifest) would turn into a deadlock.
    func remove() throws {
        try session.query("DELETE FROM \(table)")
        var b = PostgresBindings()
        b.append(day.description)
        try session.query("DELETE FROM \(store.schema).writer_progress WHERE day = $1::date", b)
        store.emptiedDays.withLock { _ = $0.insert(day) }
    }
}
