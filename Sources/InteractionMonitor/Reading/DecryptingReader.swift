
/// Streams stored interactions for a range of days, authenticating every segment, in bounded memory
/// (one segment at a time — never a whole day).
///
/// Damage never stops the reader: a bad segment is reported with its file and index, skipped, and reading
/// continues with the next good one. Only authenticated data is ever delivered.
///
/// ```swift
/// let reader = DecryptingReader(store: FileSegmentStore(directory: dir), keyring: try Keyring.load(directory: keys))
/// let report = try reader.read(from: Day("2026-11-01"), to: nil) { interaction in print(interaction.command) }
/// if report.hasErrors { for issue in report.issues { print(issue) } }
/// ```
public struct DecryptingReader: Sendable {
    /// The store read from.
    public let store: any SegmentStore
    /// The keyring whose data keys open segments.
    public let keyring: Keyring

    /// A reader over `store` using `keyring`.
    public init(store: any SegmentStore, keyring: Keyring) {
        self.store = store
        self.keyring = keyring
    }

    /// Delivers every authenticated interaction stored for days in `from...to` (both optional, inclusive) to `body`,
    /// in storage order, and returns what was found.
    /// - Throws: only when the store itself cannot be listed or opened, or when `body` throws.
    @discardableResult
    public func read(from: Day? = nil, to: Day? = nil, _ body: (Interaction) throws -> Void) throws -> StoreReport {
        try pass(from: from, to: to, decode: true) { i, _ in try body(i) }
    }

    /// Where a delivered interaction is stored: the day's container (a file name for the file store), the segment's
    /// index and the data key it is sealed under.
    public struct Origin: Sendable, Hashable {
        /// The day file (or partition) name.
        public var file: String
        /// The segment's index within the day.
        public var segment: UInt64
        /// The data key the segment is sealed under.
        public var keyID: KeyID
    }

    /// Like ``read(from:to:_:)``, also telling where each interaction is stored (subject access requests).
    @discardableResult
    public func readWithOrigin(
        from: Day? = nil, to: Day? = nil, _ body: (Interaction, Origin) throws -> Void
    ) throws -> StoreReport {
        try pass(from: from, to: to, decode: true, body)
    }

    /// Checks every segment of every day in range (authentication, order, place, manifest) without decoding records.
    public func verify(from: Day? = nil, to: Day? = nil) throws -> StoreReport {
        try pass(from: from, to: to, decode: false) { _, _ in }
    }

    private func pass(from: Day?, to: Day?, decode: Bool, _ body: (Interaction, Origin) throws -> Void) throws -> StoreReport {
        var report = StoreReport()
        let inRange = { (d: Day) in (from.map { d >= $0 } ?? true) && (to.map { d <= $0 } ?? true) }
        let days = try store.days().filter(inRange)
        let manifest = try checkedManifest(days: days, report: &report)
        for day in days {
            let file = store.name(of: day)
            report.files.append(file)
            var chain = SegmentPosition.start
            var seenTags = Set<[UInt8]>()
            var lastIndex: UInt64? = nil
            var lastTag: [UInt8]? = nil
            func issue(_ s: StoreIssue.Severity, _ segment: UInt64?, _ offset: Int64?, _ m: String) {
                report.issues.append(StoreIssue(severity: s, file: file, segment: segment, offset: offset, message: m))
            }
            do {
                try store.scan(day: day) { item in
                    switch item {
                    case .damaged(let offset, let length, let reason):
                        issue(.error, nil, offset, "\(reason): \(length) bytes skipped")
                    case .frame(let frame):
                        let h = frame.header
                        guard h.kind == .interactions else {
                            return issue(.error, h.index, frame.offset, "unexpected \(h.kind) envelope in a day file")
                        }
                        let plaintext: [UInt8]
                        switch SegmentCodec.open(frame, keyring: keyring) {
                        case .failure(.unknownKey(let id)):
                            return issue(.error, h.index, frame.offset, "sealed with key \(id), which the keyring does not hold")
                        case .failure(.authentication):
                            // Keep the chain going from the damaged segment's place, so one bad segment is
                            // reported once rather than also as a gap before the next good one.
                            if h.index == chain.index && h.day == day {
                                chain = SegmentPosition(index: h.index + 1, previousTag: frame.tag)
                            }
                            return issue(.error, h.index, frame.offset, "authentication failed: segment was modified")
                        case .success(let p): plaintext = p
                        }
                        guard h.day == day else {
                            return issue(.error, h.index, frame.offset, "segment belongs to \(h.day), not this file's day (moved); skipped")
                        }
                        guard seenTags.insert(frame.tag).inserted else {
                            return issue(.error, h.index, frame.offset, "duplicate of an earlier segment (replayed); skipped")
                        }
                        if h.index != chain.index || h.previousTag != chain.previousTag {
                            issue(
                                .error, h.index, frame.offset,
                                "out of sequence (expected segment \(chain.index)): segments were deleted, reordered or inserted")
                        }
                        chain = SegmentPosition(index: h.index + 1, previousTag: frame.tag)
                        lastIndex = h.index
                        lastTag = frame.tag
                        report.segmentsVerified += 1
                        guard decode else { return }
                        var lineNo = 0
                        for line in plaintext.split(separator: UInt8(ascii: "\n")) {
                            lineNo += 1
                            let interaction: Interaction
                            do {
                                interaction = try Interaction(jsonLine: line)
                            } catch {
                                issue(.error, h.index, frame.offset, "record \(lineNo) is not a valid interaction")
                                continue
                            }
                            try body(interaction, Origin(file: file, segment: h.index, keyID: h.keyID))
                            report.interactionsRead += 1
                        }
                    }
                }
            } catch let error as InteractionMonitorError {
                issue(.error, nil, nil, error.message)
                continue
            }
            if let entry = manifest?.entries[day] {
                let state = lastIndex.map { StoreManifest.State(count: $0 + 1, lastTag: lastTag ?? []) } ?? .absent
                let recorded = max(entry.current.count, entry.alternate?.count ?? 0)
                if entry.accepts(state) {
                    // consistent
                } else if state.count > recorded {
                    issue(.note, nil, nil, "\(state.count - recorded) segment(s) written after the manifest was last updated")
                } else if state.count < entry.current.count && (entry.alternate.map { state.count < $0.count } ?? true) {
                    issue(.error, nil, nil, "truncated: the manifest records \(entry.current.count) segments, the file ends after \(state.count)")
                } else {
                    issue(.error, state.count > 0 ? state.count - 1 : nil, nil, "last segment differs from the one the manifest records")
                }
            } else if manifest != nil, lastIndex != nil {
                issue(.note, nil, nil, "day not yet recorded in the manifest")
            }
        }
        if let manifest {
            for (day, entry) in manifest.entries where inRange(day) && !days.contains(day) && !entry.accepts(.absent) {
                report.issues.append(
                    StoreIssue(
                        severity: .error, file: store.name(of: day), segment: nil, offset: nil,
                        message: "missing: the manifest records \(entry.current.count) segments for this day"))
            }
        }
        return report
    }

    private func checkedManifest(days: [Day], report: inout StoreReport) throws -> StoreManifest? {
        switch try StoreManifest.load(store: store, keyring: keyring) {
        case .loaded(let m): return m
        case .absent:
            if !days.isEmpty {
                report.issues.append(
                    StoreIssue(
                        severity: .error, file: StoreManifest.blobName, segment: nil, offset: nil,
                        message: "manifest is missing: truncation at segment boundaries and deleted files cannot be checked"))
            }
            return nil
        case .invalid(let why):
            report.issues.append(
                StoreIssue(severity: .error, file: StoreManifest.blobName, segment: nil, offset: nil, message: why))
            return nil
        }
    }
}
