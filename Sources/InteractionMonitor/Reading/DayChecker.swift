/// Checks one day's frames as they stream by — authentication, kind, day, chain, duplicates — and, at the end,
/// the file against its manifest entry. The reader, `verify`, and every rewrite (erasure, retention, re-encryption)
/// use this one checker, so a rewrite refuses exactly what the reader would report.
struct DayChecker {
    let day: Day
    let file: String
    let keyring: Keyring
    /// The day's manifest entry, when the manifest records one.
    let entry: StoreManifest.Entry?
    /// The store's id, which every frame of format 2 must name (`nil`: the store has no id to compare).
    let storeID: [UInt8]?

    private(set) var issues: [StoreIssue] = []
    private(set) var segmentsVerified = 0
    private var chain = SegmentPosition.start
    private var seenTags = Set<[UInt8]>()
    private var lastFrame: (index: UInt64, tag: [UInt8])? = nil
    /// The tag of the segment the manifest says the file ends with, when the file has a segment at that index.
    private var tagAtRecordedEnd: [UInt8]? = nil
    /// Offset of bytes at the end of the file that are a segment cut short.
    private var tornTail: (offset: Int64, length: Int64)? = nil

    init(day: Day, file: String, keyring: Keyring, entry: StoreManifest.Entry?, storeID: [UInt8]?) {
        self.day = day
        self.file = file
        self.keyring = keyring
        self.entry = entry
        self.storeID = storeID
    }

    private mutating func issue(_ s: StoreIssue.Severity, _ segment: UInt64?, _ offset: Int64?, _ m: String) {
        issues.append(StoreIssue(severity: s, file: file, segment: segment, offset: offset, message: m))
    }

    /// Records a problem found outside the frames (the file could not be read).
    mutating func add(error message: String) { issue(.error, nil, nil, message) }

    /// Checks one scanned item; returns the frame's plaintext when it is authentic and in its place. `opened` is the
    /// frame's result from ``FrameOpener`` when it was opened already (``ChunkOpener``), else it is opened here.
    mutating func check(
        _ item: ScannedItem, opened: Result<[UInt8], FrameOpener.Failure>? = nil
    ) -> (frame: StoredFrame, plaintext: [UInt8])? {
        switch item {
        case .damaged(let offset, let length, let reason):
            if reason.contains("torn") {
                tornTail = (offset, length)
            } else {
                issue(.error, nil, offset, "\(reason): \(length) bytes skipped")
            }
            return nil
        case .frame(let frame):
            if let torn = tornTail {
                // Bytes cut short followed by more frames: damage in the middle, not an interrupted last write.
                issue(.error, nil, torn.offset, "damaged bytes: \(torn.length) bytes skipped")
                tornTail = nil
            }
            let h = frame.header
            guard h.kind == .interactions else {
                issue(.error, h.index, frame.offset, "unexpected \(h.kind) envelope in a day file")
                return nil
            }
            let plaintext: [UInt8]
            switch opened ?? FrameOpener(keyring: keyring, storeID: storeID).open(frame) {
            case .failure(.foreignStore(let foreign)):
                issue(.error, h.index, frame.offset, "segment \(foreign) (copied between stores sharing a keyring); skipped")
                return nil
            case .failure(.unknownKey(let id)):
                issue(.error, h.index, frame.offset, "sealed with key \(id), which the keyring does not hold")
                return nil
            case .failure(.authentication):
                // Keep the chain going from the damaged segment's place, so one bad segment is reported once
                // rather than also as a gap before the next good one.
                if h.index == chain.index && h.day == day {
                    chain = SegmentPosition(index: h.index + 1, previousTag: frame.tag)
                }
                issue(.error, h.index, frame.offset, "authentication failed: segment was modified")
                return nil
            case .success(let p): plaintext = p
            }
            guard h.day == day else {
                issue(.error, h.index, frame.offset, "segment belongs to \(h.day), not this file's day (moved); skipped")
                return nil
            }
            guard seenTags.insert(frame.tag).inserted else {
                issue(.error, h.index, frame.offset, "duplicate of an earlier segment (replayed); skipped")
                return nil
            }
            if h.index != chain.index || h.previousTag != chain.previousTag {
                issue(
                    .error, h.index, frame.offset,
                    "out of sequence (expected segment \(chain.index)): segments were deleted, reordered or inserted")
            }
            chain = SegmentPosition(index: h.index + 1, previousTag: frame.tag)
            lastFrame = (h.index, frame.tag)
            if let entry, entry.current.count > 0, h.index == entry.current.count - 1 { tagAtRecordedEnd = frame.tag }
            segmentsVerified += 1
            return (frame, plaintext)
        }
    }

    /// The state the file ends in.
    var state: StoreManifest.State {
        lastFrame.map { StoreManifest.State(count: $0.index + 1, lastTag: $0.tag) } ?? .absent
    }

    /// Compares the file with its manifest entry; call after the last item. `manifest` is `nil` when the store's
    /// manifest could not be read (that is reported once, for the whole store).
    mutating func finish(manifest: StoreManifest?) {
        let state = self.state
        guard let manifest else {
            if let torn = tornTail { issue(.error, nil, torn.offset, "incomplete segment at end of file (torn write?): \(torn.length) bytes") }
            return
        }
        guard let entry else {
            if let torn = tornTail { issue(.error, nil, torn.offset, "incomplete segment at end of file (torn write?): \(torn.length) bytes") }
            if manifest.format >= 3 {
                issue(.error, nil, nil, "day not recorded in the manifest: this store's writers never wrote this file")
            } else if state.count > 0 {
                issue(.note, nil, nil, "day not yet recorded in the manifest")
            }
            return
        }
        if let by = entry.removedBy, entry.alternate == nil {
            issue(
                .error, nil, nil,
                "the manifest records this day as removed (\(by), file generation \(entry.generation)), but a file is present: an older copy was put back")
            return
        }
        // A file without a valid segment where the manifest says it ends is not the recorded generation.
        let seen = tagAtRecordedEnd ?? (entry.current.count > 0 ? SegmentCodec.zeroTag : nil)
        let check = Self.compare(entry, state, tagAtRecordedEnd: seen)
        if let torn = tornTail {
            if check.accepted, entry.alternate != nil, state.count >= entry.current.count {
                issue(.note, nil, torn.offset, "an interrupted write left \(torn.length) bytes of an incomplete segment at the end (the next write removes them)")
            } else {
                issue(.error, nil, torn.offset, "incomplete segment at end of file that no interrupted write of this store explains: \(torn.length) bytes")
            }
        }
        if let problem = check.problem { issue(.error, check.segment, nil, problem) }
    }

    /// How a file's end compares with its entry: accepted, or the problem in one line.
    static func compare(
        _ entry: StoreManifest.Entry, _ state: StoreManifest.State, tagAtRecordedEnd: [UInt8]?
    ) -> (accepted: Bool, problem: String?, segment: UInt64?) {
        if entry.accepts(state) { return (true, nil, nil) }
        let current = entry.current
        if let pending = entry.alternate, pending.count > current.count, state.count > current.count,
            state.count < pending.count, current.count == 0 || tagAtRecordedEnd == nil || tagAtRecordedEnd == current.lastTag
        {
            // Part of a write the manifest knew was coming (a crash between its segments).
            return (true, nil, nil)
        }
        let recorded = max(current.count, entry.alternate?.count ?? 0)
        if state.count < current.count && state.count < (entry.alternate?.count ?? current.count) {
            return (false, "truncated: the manifest records \(current.count) segments, the file ends after \(state.count)", nil)
        }
        if state.count > recorded {
            if current.count == 0 || tagAtRecordedEnd == nil || tagAtRecordedEnd == current.lastTag {
                return (
                    false,
                    "\(state.count - recorded) segment(s) beyond the \(recorded) the manifest records, which no write of this store announced",
                    recorded)
            }
            return (false, "not the generation of the file the manifest records (segment \(current.count - 1) differs; an older or foreign copy)", current.count - 1)
        }
        return (
            false, "last segment differs from the one the manifest records (another generation of the file)",
            state.count > 0 ? state.count - 1 : nil)
    }
}
