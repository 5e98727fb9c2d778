/// Turns batches of interactions into sealed segments in a store and keeps the manifest current.
struct SegmentWriter: Sendable {
    let store: any SegmentStore

    struct Result {
        var segments = 0
        var bytes = 0
    }

    /// Writes `interactions` (in order) as segments of at most `batchSize` records, one locked append per day,
    /// updating the manifest while the day is still locked. `hashKeys` names the hash keys the records'
    /// pseudonyms were made under (`nil`: unknown), recorded per day in the manifest so `keys retire` can tell
    /// whether a hash key is still in use.
    ///
    /// `origin` (writer and per-record sequence numbers, parallel to `interactions`) lets idempotent stores skip
    /// records a previous attempt already stored (``DayAccess/lastSequence(of:)``); other stores ignore it.
    func write(
        _ interactions: some Collection<Interaction>, batchSize: Int, keyring: Keyring, hashKeys: Set<KeyID>? = nil,
        plaintext: Bool = false, origin: WriteOrigin? = nil
    ) throws -> Result {
        try write(
            EncodedLines(interactions, sequences: origin?.sequences), writer: origin?.writer, batchSize: batchSize,
            keyring: keyring, hashKeys: hashKeys, plaintext: plaintext)
    }

    /// Writes encoded `lines` as segments of at most `batchSize` lines, one locked append per day (in the order
    /// the days first appear), updating the manifest while the day is still locked. With a `writer`, the lines'
    /// sequence numbers are that writer's (see ``write(_:batchSize:keyring:hashKeys:plaintext:origin:)``).
    func write(
        _ lines: EncodedLines, writer: WriteOrigin.WriterID?, batchSize: Int, keyring: Keyring,
        hashKeys: Set<KeyID>? = nil, plaintext: Bool = false
    ) throws -> Result {
        var result = Result()
        for dayLines in lines.days where dayLines.count > 0 {
            var pending: DayBatch? = dayLines
            let written = try write(
                day: dayLines.day, writer: writer, batchSize: batchSize, maxFrames: dayLines.count, keyring: keyring,
                hashKeys: { hashKeys }, plaintext: plaintext
            ) {
                defer { pending = nil }
                return pending
            }
            result.segments += written.segments
            result.bytes += written.bytes
        }
        return result
    }

    /// Writes one day's lines, taken from `next` in order until it returns `nil`, as one locked append: the day
    /// is locked and its end checked first; each batch of lines is sealed as soon as `next` gives it (so a flush can
    /// seal one part of a day while it is still encoding the next) and handed to the store to write straight away
    /// (``DayAccess/append(producing:)``), so writing overlaps encoding and no sealed frame is held longer than its
    /// write. Before the first frame is handed over, the manifest records the intent: the file as it is, and that an
    /// append of fewer than `maxFrames` + 1 segments is under way (its last tag is not known until its last segment is
    /// sealed). Once the store has synced the append, the manifest confirms the exact new end. `hashKeys` is asked
    /// at the intent and at the confirmation; `sealed` is handed each batch once its frames are made.
    func write(
        day: Day, writer: WriteOrigin.WriterID?, batchSize: Int, maxFrames: Int, keyring: Keyring,
        hashKeys: () -> Set<KeyID>?, plaintext: Bool = false, sealed: (consuming DayBatch) -> Void = { _ in },
        next: () throws -> DayBatch?
    ) throws -> Result {
        var result = Result()
        _ = try store.withExclusiveAccess(to: day, create: true) { access in
            // The benchmark's plaintext files hold no frames to find a tail in: they are only appended to.
            let start = plaintext ? .start : try access.tail()
            let (found, tailFindings, cut, manifest) =
                plaintext
                ? (StoreManifest.State(start), [], false, try StoreManifest.current(store: store, keyring: keyring))
                : try checkedTail(access, day: day, start: start, keyring: keyring)
            var findings = tailFindings
            var progress: UInt64? = nil
            if let writer {
                progress = try access.lastSequence(of: writer)
                if let recorded = manifest?.entries[day]?.writers[writer], progress != recorded {
                    // The store's own progress row disagrees with the authenticated record: trust the record.
                    // One stable message (the values change with every flush), so it is recorded once until
                    // acknowledged.
                    findings.append(
                        "the store's progress record for writer \(writer) does not match the manifest's: changed outside the monitor (the manifest's is used; found when the day was next written)")
                    progress = recorded
                }
            }
            let storeID =
                plaintext ? [] : try StoreIdentity.forSealing(store: store, manifest: manifest, keyring: keyring, locked: [day])
            let file = store.name(of: day)
            // The state the intent announces: any end short of it (a crash between segments, or before the first)
            // is accepted until the confirmation records the exact one. Every segment holds at least one line.
            let announced = StoreManifest.State(
                count: start.index + UInt64(max(maxFrames, 0)) + 1, lastTag: SegmentCodec.zeroTag)
            var end = start
            var lastSequence: UInt64? = nil
            var stored = 0
            var byteCount = 0
            var previousHashKeys: Set<KeyID>? = nil
            try access.append { emit in
                while var records = try next() {
                    lastSequence = records.sequences.last ?? lastSequence
                    if let progress {
                        // A retry of a write that was stored although its caller saw an error: skip what is there.
                        records.removeFirst(records.sequences.firstIndex { $0 > progress } ?? records.count)
                    }
                    guard records.count > 0 else { continue }
                    let made =
                        plaintext
                        ? Self.plain(records, from: end, batchSize: batchSize)
                        : try Self.seal(records, day: day, from: end, batchSize: batchSize, keyring: keyring, storeID: storeID)
                    guard end.index + UInt64(made.frames.count) < announced.count else {
                        throw InteractionMonitorError(
                            .storage, "\(file): an append of more than the \(maxFrames) segments announced; nothing written")
                    }
                    var provenance: [SegmentProvenance] = []
                    if let writer {
                        // One provenance per frame: the frames are the batch's runs, in order.
                        let sequences = records.sequences
                        records.forEachRun(size: batchSize) { _, lines in
                            provenance.append(
                                SegmentProvenance(
                                    writer: writer, firstSequence: sequences[lines.lowerBound],
                                    lastSequence: sequences[lines.upperBound - 1]))
                        }
                    }
                    if stored == 0 {
                        // Before the first frame reaches the file: our own interrupted write's incomplete segment
                        // goes, then the intent is recorded, so a crash at any point leaves a state the manifest
                        // expected — and anything else stays a finding.
                        if cut { try access.discardIncompleteTail() }
                        previousHashKeys = try recordIntent(
                            day: day, keyring: keyring, findings: findings, file: file, found: found, start: start,
                            announced: announced, hashKeys: hashKeys())
                    }
                    stored += records.count
                    byteCount += made.frames.reduce(0) { $0 + $1.count }
                    end = made.end
                    try emit(made.frames, provenance)
                    sealed(records)
                }
                // A retry holds at least everything an earlier attempt could have stored: a recorded sequence beyond
                // this attempt's last record was not written by this writer.
                if let progress, let lastSequence, progress > lastSequence {
                    throw InteractionMonitorError(
                        .dataCorrupted,
                        "\(file): the store records sequence \(progress) for this writer, beyond the \(lastSequence) it has written; not trusted, nothing written")
                }
            }
            guard stored > 0 else {
                if !findings.isEmpty {
                    try StoreManifest.update(store: store, keyring: keyring, except: [day]) { m in
                        for f in findings { m.record(finding: f, file: file) }
                    }
                }
                return
            }
            // Stores that track writers' progress commit it with the frames and this confirmation: record it,
            // authenticated, beside the state.
            let progressed = access.tracksWriteOrigins ? max(progress ?? 0, lastSequence ?? 0) : nil
            let usedHashKeys = hashKeys()
            try StoreManifest.update(store: store, keyring: keyring, except: [day]) { m in
                guard var entry = m.entries[day], entry.alternate == announced else { return }
                entry.current = .init(end)
                entry.alternate = nil
                entry.hashKeys = previousHashKeys.flatMap { p in usedHashKeys.map { p.union($0) } }
                if let writer, let progressed { entry.writers[writer] = progressed }
                m.entries[day] = entry
            }
            result.segments = Int(end.index - start.index)
            result.bytes = byteCount
        }
        return result
    }

    /// Records the intent of an append to the locked `day` (with the `findings` its tail check made): the file is
    /// accepted as `found` and at any end short of `announced`. The hash keys recorded are those the day held
    /// (returned) with `hashKeys` and the active one added, as the append may hold pseudonyms made under it by the
    /// time it is confirmed; a crash before the confirmation leaves that superset, never a set that misses a key.
    private func recordIntent(
        day: Day, keyring: Keyring, findings: [String], file: String, found: StoreManifest.State,
        start: SegmentPosition, announced: StoreManifest.State, hashKeys: Set<KeyID>?
    ) throws -> Set<KeyID>? {
        var previous: Set<KeyID>? = nil
        try StoreManifest.update(store: store, keyring: keyring, except: [day]) { m in
            for f in findings { m.record(finding: f, file: file) }
            let old = m.entries[day]
            previous = old.map(\.hashKeys) ?? (start.index == 0 ? [] : nil)
            var entry = old ?? .init(current: .absent, alternate: nil, hashKeys: [])
            if entry.removedBy != nil {
                entry.removedBy = nil
                entry.generation += 1
            }
            entry.current = found
            entry.alternate = announced
            entry.hashKeys = previous.flatMap { p in hashKeys.map { p.union($0).union([keyring.activeHashKeyID]) } }
            m.entries[day] = entry
        }
        return previous
    }

    /// Compares the locked day's end with its manifest entry before anything is appended. Returns the state the
    /// file is in, the findings to record (a file cut, deleted, replaced by another generation, restored after
    /// removal, or carrying bytes no write of this store explains) and whether the bytes after the last segment
    /// are this store's own interrupted write, to be removed. Recorded segments are never cut.
    private func checkedTail(_ access: any DayAccess, day: Day, start: SegmentPosition, keyring: Keyring) throws
        -> (found: StoreManifest.State, findings: [String], cut: Bool, manifest: StoreManifest?)
    {
        let found = StoreManifest.State(start)
        let incomplete = try access.incompleteTail()
        var findings: [String] = []
        var cut = false
        guard let manifest = try StoreManifest.current(store: store, keyring: keyring) else {
            // Absent or unreadable: the manifest update records the loss.
            return (found, [], false, nil)
        }
        let note = " (found when the day was next written)"
        if let entry = manifest.entries[day] {
            if let by = entry.removedBy, entry.alternate == nil {
                if found.count > 0 || incomplete != nil {
                    findings.append("the day was removed (\(by)) but a file was present: an older copy was put back" + note)
                }
            } else {
                let check = DayChecker.compare(entry, found, tagAtRecordedEnd: nil)
                if let problem = check.problem { findings.append(problem + note) }
                if let n = incomplete {
                    if check.accepted, entry.alternate != nil, found.count >= entry.current.count {
                        cut = true
                    } else {
                        findings.append("\(n) bytes of an incomplete segment at the end that no write of this store explains (kept)" + note)
                    }
                }
            }
        } else if manifest.format >= 3, found.count > 0 || incomplete != nil {
            findings.append("a file the manifest does not record was present" + note)
        }
        return (found, findings, cut, manifest)
    }

    /// The JSONL plaintext of each batch of at most `batchSize` records.
    static func batches(_ records: [Interaction], batchSize: Int) -> [[UInt8]] {
        batches(
            DayBatch(EncodedLines.DayLines(day: records.first?.timestamp.day ?? Day(daysSinceEpoch: 0), records)),
            batchSize: batchSize)
    }

    /// The plaintext of each run of at most `batchSize` lines.
    static func batches(_ lines: DayBatch, batchSize: Int) -> [[UInt8]] {
        var out: [[UInt8]] = []
        lines.forEachRun(size: batchSize) { bytes, _ in out.append(Array(bytes)) }
        return out
    }

    /// Benchmark only: the JSONL of each batch, unsealed (what sealing would have encrypted).
    static func plain(_ lines: DayBatch, from position: SegmentPosition, batchSize: Int) -> (frames: [[UInt8]], end: SegmentPosition) {
        let frames = batches(lines, batchSize: batchSize)
        return (frames, SegmentPosition(index: position.index + UInt64(frames.count), previousTag: position.previousTag))
    }

    /// Seals `records` into frames of at most `batchSize` records for the store `storeID`, chained from `position`.
    static func seal(
        _ records: [Interaction], day: Day, from position: SegmentPosition, batchSize: Int, keyring: Keyring,
        storeID: [UInt8]
    ) throws -> (frames: [[UInt8]], end: SegmentPosition) {
        try seal(
            DayBatch(EncodedLines.DayLines(day: day, records)), day: day, from: position, batchSize: batchSize,
            keyring: keyring, storeID: storeID)
    }

    /// Seals `lines` into frames of at most `batchSize` lines for the store `storeID`, chained from `position`.
    static func seal(
        _ lines: DayBatch, day: Day, from position: SegmentPosition, batchSize: Int, keyring: Keyring,
        storeID: [UInt8]
    ) throws -> (frames: [[UInt8]], end: SegmentPosition) {
        var position = position
        var frames: [[UInt8]] = []
        try lines.forEachRun(size: batchSize) { run, _ in
            // Each run of lines is sealed where it lies in its part's buffer.
            let sealed = try SegmentCodec.seal(
                run, kind: .interactions, day: day, position: position, keyring: keyring, storeID: storeID)
            frames.append(sealed.frame)
            position = SegmentPosition(index: position.index + 1, previousTag: sealed.tag)
        }
        return (frames, position)
    }
}
