internal import MonitorCrypto

/// Streams stored interactions for a range of days, authenticating every segment, in bounded memory: segments
/// are opened and parsed on every core in chunks of at most 8 segments or 2 MiB of a day, then checked and
/// delivered one by one in storage order — never a whole day at once.
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

    /// How far a read has come: bytes of day files read so far and in all (0 when the store cannot tell sizes),
    /// and interactions delivered.
    package struct Progress: Sendable {
        /// Bytes of day files read so far.
        package var bytesDone: Int64
        /// Bytes of the day files in range.
        package var bytesTotal: Int64
        /// Interactions delivered so far.
        package var records: Int
    }

    /// The text fields records are delivered with; the others are checked, not built, and left empty: for
    /// questions that never look at them (totals do not read commands, error messages, sessions or metadata).
    package var fields = InteractionFields.all

    /// Called after every segment (never per record) with how far the read has come; for progress displays.
    package var progress: (@Sendable (Progress) -> Void)? = nil

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
        try pass(from: from, to: to, decode: true) { i, _, _ in try body(i) }
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
        try pass(from: from, to: to, decode: true) { i, origin, _ in try body(i, origin) }
    }

    /// Checks every segment of every day in range (authentication, order, place, manifest) without decoding records.
    public func verify(from: Day? = nil, to: Day? = nil) throws -> StoreReport {
        try pass(from: from, to: to, decode: false) { _, _, _ in }
    }

    /// Like ``read(from:to:_:)``, delivering each valid record's stored JSON line (without the newline) as it is in
    /// its authenticated segment, rather than the decoded record: `decrypt` prints these.
    @discardableResult
    package func readStoredLines(from: Day? = nil, to: Day? = nil, _ body: (ArraySlice<UInt8>) throws -> Void) throws
        -> StoreReport
    {
        var reader = self
        reader.fields = []  // checked, not built: the line itself is what is delivered
        return try reader.pass(from: from, to: to, decode: true) { _, _, line in try body(line) }
    }

    private func pass(
        from: Day?, to: Day?, decode: Bool, _ body: (Interaction, Origin, ArraySlice<UInt8>) throws -> Void
    ) throws -> StoreReport {
        var report = StoreReport()
        let inRange = { (d: Day) in (from.map { d >= $0 } ?? true) && (to.map { d <= $0 } ?? true) }
        let days = try store.days().filter(inRange)
        let manifest = try checkedManifest(days: days, report: &report)
        let storeID = StoreIdentity.expected(store: store, manifest: manifest)
        let chunks = ChunkOpener(
            opener: FrameOpener(keyring: keyring, storeID: storeID), parse: decode, fields: fields)
        let workers = ChunkOpener.workers()
        defer { workers.finish() }
        let bytesTotal = progress == nil ? 0 : days.reduce(Int64(0)) { $0 + (store.byteCount(of: $1) ?? 0) }
        var bytesBefore: Int64 = 0
        for day in days {
            let file = store.name(of: day)
            report.files.append(file)
            var checker = DayChecker(
                day: day, file: file, keyring: keyring, entry: manifest?.entries[day], storeID: storeID)
            defer { if progress != nil { bytesBefore += store.byteCount(of: day) ?? 0 } }
            do {
                // Frames are gathered into chunks that are opened and parsed on every core, then checked and
                // delivered one by one in file order. Chunks are opened in the background, up to
                // `ChunkOpener.chunksAhead` ahead of the one being delivered, so checking and the question's own
                // work overlap with decryption and parsing and no core waits for the reader's thread.
                var pending: [ScannedItem] = []
                var pendingBytes = 0
                var inFlight: [(items: [ScannedItem], opening: ChunkOpener.Opening)] = []
                defer { for chunk in inFlight { _ = chunk.opening.wait() } }  // nothing outlives the pass
                func deliver(_ items: [ScannedItem], _ openedFrames: consuming [ChunkOpener.Opened]) throws {
                    var opened = openedFrames
                    var next = 0
                    for item in items {
                        // The frame's opened result and its lines, moved out so each record is handed over, not
                        // copied.
                        var result: Result<[UInt8], FrameOpener.Failure>? = nil
                        var lines: [ChunkOpener.Line] = []
                        if case .frame(let f) = item, f.header.kind == .interactions, next < opened.count {
                            result = opened[next].result
                            swap(&lines, &opened[next].lines)
                            opened[next].result = .failure(.authentication)
                            next += 1
                        }
                        if let progress, case .frame(let f) = item {
                            progress(Progress(
                                bytesDone: bytesBefore + f.offset + Int64(f.encodedLength), bytesTotal: bytesTotal,
                                records: report.interactionsRead))
                        }
                        guard let (frame, plaintext) = checker.check(item, opened: result), decode, result != nil else {
                            continue
                        }
                        let h = frame.header
                        let origin = Origin(file: file, segment: h.index, keyID: h.keyID)
                        try lines.withUnsafeMutableBufferPointer { buffer in
                            for n in buffer.indices {
                                // Each record is moved out and its place left holding a line with nothing to free.
                                let line = (buffer.baseAddress! + n).move()
                                (buffer.baseAddress! + n).initialize(to: .invalid)
                                switch consume line {
                                case .record(let interaction, let range):
                                    try body(interaction, origin, plaintext[range])
                                    report.interactionsRead += 1
                                case .invalid:
                                    report.issues.append(
                                        StoreIssue(
                                            severity: .error, file: file, segment: h.index, offset: frame.offset,
                                            message: "record \(n + 1) is not a valid interaction"))
                                }
                            }
                        }
                    }
                }
                func drain() throws {
                    let frames = pending.compactMap { item -> StoredFrame? in
                        guard case .frame(let f) = item, f.header.kind == .interactions else { return nil }
                        return f
                    }
                    inFlight.append((items: pending, opening: chunks.start(frames, on: workers)))
                    pending = []
                    pendingBytes = 0
                    while inFlight.count > ChunkOpener.chunksAhead {
                        let first = inFlight.removeFirst()
                        try deliver(first.items, first.opening.wait())
                    }
                }
                func deliverRest() throws {
                    if !pending.isEmpty { try drain() }
                    while !inFlight.isEmpty {
                        let first = inFlight.removeFirst()
                        try deliver(first.items, first.opening.wait())
                    }
                }
                var deliveryFailure: (any Error)? = nil
                do {
                    try store.scan(day: day) { item in
                        pending.append(item)
                        if case .frame(let f) = item { pendingBytes += f.ciphertext.count }
                        if pending.count >= ChunkOpener.maximumFrames || pendingBytes >= ChunkOpener.maximumBytes {
                            do { try drain() } catch {
                                deliveryFailure = error
                                throw error
                            }
                        }
                    }
                } catch {
                    // The question's own error goes out as it came. A read that fails part-way through the day
                    // still delivers, checked, every frame read before it, then reports the failure.
                    if let deliveryFailure { throw deliveryFailure }
                    try deliverRest()
                    throw error
                }
                try deliverRest()
                checker.finish(manifest: manifest)
            } catch let error as InteractionMonitorError {
                checker.add(error: error.message)
            }
            report.issues += checker.issues
            report.segmentsVerified += checker.segmentsVerified
        }
        if let manifest {
            for (day, entry) in manifest.entries
            where inRange(day) && !days.contains(day) && !entry.accepts(.absent) && entry.removedBy == nil {
                report.issues.append(
                    StoreIssue(
                        severity: .error, file: store.name(of: day), segment: nil, offset: nil,
                        message: "missing: the manifest records \(entry.current.count) segments for this day"))
            }
            for finding in manifest.openFindings {
                report.issues.append(
                    StoreIssue(
                        severity: .error, file: finding.file, segment: nil, offset: nil,
                        message: "\(finding.message) (found at manifest generation \(finding.generation); stays reported until acknowledged)"))
            }
            report.issues += DerivedFileCheck.issues(store: store, keyring: keyring, manifest: manifest)
        }
        return report
    }

    private func checkedManifest(days: [Day], report: inout StoreReport) throws -> StoreManifest? {
        switch try StoreManifest.load(store: store, keyring: keyring) {
        case .loaded(let m):
            if m.storeID != nil, try StoreIdentity.read(store: store) == nil {
                report.issues.append(
                    StoreIssue(
                        severity: .error, file: StoreIdentity.blobName, segment: nil, offset: nil,
                        message: "store.id is missing (the manifest names the store; the next write puts it back, on the record)"))
            }
            if let id = m.storeID, let known = try StoreIdentity.read(store: store), id != known {
                report.issues.append(
                    StoreIssue(
                        severity: .error, file: StoreManifest.blobName, segment: nil, offset: nil,
                        message: "the manifest belongs to another store (\(Hex.encode(id)), this store is \(Hex.encode(known)))"))
                return nil
            }
            return m
        case .absent:
            if days.isEmpty, let registered = StoreRegister.registeredID(of: store, keyring: keyring) {
                report.issues.append(
                    StoreIssue(
                        severity: .error, file: StoreManifest.blobName, segment: nil, offset: nil,
                        message: "the store \(registered) registered at this location in the keys directory is gone: manifest and data are missing"))
                return nil
            }
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
