/// What the flush does to buffered records before anything is encoded: user and session ids pseudonymised under
/// the active hash key, records of opted-out users left out, undeclared metadata keys dropped (strict fields), and
/// the command, the error message and the metadata (keys and every nested string) scrubbed and cut to the stored
/// limits — the whole value of a secret-named key redacted. A pure function of its inputs, testable without a
/// monitor; ``InteractionMonitor`` owns one and runs it in its flush task, never on the `record()` path.
struct PrivacyTransform: Sendable {
    let scrubber: PIIScrubber
    let sessionIDPolicy: SessionIDPolicy

    /// The record as stored: command, error message and metadata (keys and every nested string) scrubbed, and
    /// the whole value of secret-named metadata keys redacted.
    func scrubbedForStorage(_ i: Interaction) -> Interaction {
        var cache = KeyCache()
        return scrubbedForStorage(i, keys: &cache)
    }

    /// Buffered records as stored: user and session ids pseudonymised under `keys`, records of opted-out users
    /// left out (counted in `optedOut`), free text scrubbed, each record encoded straight into its day's stored
    /// lines (``RecordEncoder``). `usedHashKey` tells whether any stored pseudonym was made with the active hash key
    /// (for the manifest's hash-key epochs).
    struct StoredBatch: Sendable {
        /// The stored lines by day; numbered from the `firstSequence` given (the record's position in the
        /// buffered sequence added).
        var lines = EncodedLines()
        var optedOut = 0
        var usedHashKey = false
        /// Strict fields: metadata entries dropped for an undeclared key, by scrubbed key name.
        var undeclared: [String: Int] = [:]

        /// Records stored.
        var count: Int { lines.count }

        /// Adds a later batch of the same flush.
        mutating func append(_ later: StoredBatch) {
            lines.append(contentsOf: later.lines)
            optedOut += later.optedOut
            usedHashKey = usedHashKey || later.usedHashKey
            UndeclaredKeyCounts.merge(later.undeclared, into: &undeclared)
        }

        /// The stored records, decoded from the stored lines (what a reader will see), day by day.
        func interactions() -> [Interaction] {
            var out: [Interaction] = []
            out.reserveCapacity(count)
            for day in lines.days {
                // The encoder's own output always parses; a line that did not would be left out, not invented.
                day.forEachLine { line in if let i = try? Interaction(jsonLine: line) { out.append(i) } }
            }
            return out
        }
    }

    func storedBatch(
        _ records: some Sequence<BufferedRecord>, count: Int, keys: InteractionMonitor.KeyState, registry: OptOutRegistry,
        types: [InteractionType], firstSequence: UInt64? = nil
    ) -> StoredBatch {
        storedBatch(
            chunks: CollectionOfOne(Array(records)[...]), count: count, keys: keys, registry: registry, types: types,
            firstSequence: firstSequence)
    }

    /// ``storedBatch(_:count:keys:registry:types:firstSequence:)`` of the records of `chunks`, in order, each read
    /// where it lies in its chunk (not copied out of it).
    func storedBatch(
        chunks: some Sequence<ArraySlice<BufferedRecord>>, count: Int, keys: InteractionMonitor.KeyState,
        registry: OptOutRegistry, types: [InteractionType], firstSequence: UInt64? = nil
    ) -> StoredBatch {
        var state = EncodingState(self)
        return storedBatch(
            chunks: chunks, count: count, keys: keys, registry: registry, types: types, firstSequence: firstSequence,
            state: &state)
    }

    /// What one thread's encoding learns and keeps from batch to batch of one flush: the encoder's classified keys
    /// and scrubbed texts, and each distinct id's pseudonym (and opt-out).
    struct EncodingState {
        fileprivate var encoder: RecordEncoder
        // Ids repeat within a batch: each distinct one is hashed (and checked against the registry) once.
        fileprivate var users: [String: (hash: String, optedOut: Bool)] = [:]
        fileprivate var sessions: [String: String] = [:]
        fileprivate var usersSeen = StringIdentityTable<(hash: String, optedOut: Bool)>(limit: 16_384)
        fileprivate var sessionsSeen = StringIdentityTable<String>(limit: 16_384)
        /// A buffer the next batch's lines are written into (see ``EncodedLines/init(spare:)``), used once.
        var spare: [UInt8]? = nil

        /// Nothing learnt yet. One state serves one flush (the keys and the registry it was used with).
        init(_ transform: PrivacyTransform) { encoder = RecordEncoder(transform) }
    }

    /// ``storedBatch(chunks:count:keys:registry:types:firstSequence:)`` with what `state` learnt from earlier
    /// batches of the same flush (same `keys`, `registry` and `types`), adding what this batch teaches.
    func storedBatch(
        chunks: some Sequence<ArraySlice<BufferedRecord>>, count: Int, keys: InteractionMonitor.KeyState,
        registry: OptOutRegistry, types: [InteractionType], firstSequence: UInt64?, state: inout EncodingState
    ) -> StoredBatch {
        var out = StoredBatch()
        out.lines = EncodedLines(spare: state.spare.take())
        // Taken out of the state (leaving it empty, so each stays uniquely referenced) and put back at the end.
        var encoder = state.encoder
        var users = state.users
        var sessions = state.sessions
        var usersSeen = state.usersSeen
        var sessionsSeen = state.sessionsSeen
        state.users = [:]
        state.sessions = [:]
        state.usersSeen = .init(limit: 0)
        state.sessionsSeen = .init(limit: 0)
        state.encoder = RecordEncoder(self)
        defer {
            state.encoder = encoder
            state.users = users
            state.sessions = sessions
            state.usersSeen = usersSeen
            state.sessionsSeen = sessionsSeen
        }
        let activeHashKey = keys.keyring.activeHashKeyID
        let olderRegistryKeys = registry.entries.isEmpty ? [] : registry.hashKeyIDs.filter { $0 != activeHashKey }
        // Room for a large record per buffered one, in the usual single day, so the day's buffer is not regrown
        // (and copied) while the batch is encoded: room never written to costs address space only.
        let capacity = min(max(count, 1), 1 << 20) * 512
        // Each record is written here first, then added to its day's lines in one copy.
        var scratch = JSONWriter(reservingCapacity: 4096)
        // Each record is read where it lies in its chunk, not copied out of it.
        var position = -1
        for chunk in chunks {
            chunk.withUnsafeBufferPointer { records in
                for k in records.indices {
                    position += 1
                    var userHash: String?
                    if let id = records[k].userID {
                        let user: (hash: String, optedOut: Bool)
                        if let seen = usersSeen[id] {
                            user = seen
                        } else if let hit = users[id] {
                            user = hit
                            usersSeen.add(id, hit)
                        } else {
                            let hash = keys.pseudonymiser.hash(id)
                            var opted = false
                            if !registry.entries.isEmpty {
                                opted = registry.contains(hashKeyID: activeHashKey, userHash: hash)
                                    || olderRegistryKeys.contains { k in
                                        keys.pseudonymisers[k].map { registry.contains(hashKeyID: k, userHash: $0.hash(id)) } ?? false
                                    }
                            }
                            user = (hash, opted)
                            if users.count < 65_536 { users[id] = user }
                            usersSeen.add(id, user)
                        }
                        if user.optedOut {
                            out.optedOut += 1
                            continue
                        }
                        userHash = user.hash
                        out.usedHashKey = true
                    }
                    var sessionID: String?
                    if let id = records[k].sessionID {
                        if let seen = sessionsSeen[id] {
                            sessionID = seen
                        } else if let hit = sessions[id] {
                            sessionID = hit
                            sessionsSeen.add(id, hit)
                        } else {
                            let stored = pseudonymisedSessionID(id, keys.pseudonymiser)
                            if sessions.count < 65_536 { sessions[id] = stored }
                            sessionsSeen.add(id, stored)
                            sessionID = stored
                        }
                        if sessionID != id { out.usedHashKey = true }
                    }
                    // Undeclared keys are left out before anything is scrubbed or encoded; only their (scrubbed) names
                    // are counted.
                    encoder.countUndeclared(records[k].metadata, into: &out.undeclared)
                    let typeIndex = Int(records[k].typeIndex)
                    let type = typeIndex < types.count ? types[typeIndex] : InteractionTypeTable.overflow
                    encoder.write(
                        at: records.baseAddress.unsafelyUnwrapped + k, type: type, sessionID: sessionID,
                        userHash: userHash, into: &scratch)
                    out.lines.append(
                        day: records[k].timestamp.day, sequence: firstSequence.map { $0 + UInt64(position) },
                        capacity: capacity, line: &scratch)
                }
            }
        }
        return out
    }

    /// Metadata keys, commands and many values (routes, regions, plans, recurring errors) repeat across the
    /// records of a batch: a batch scrubs and classifies each distinct key once and each distinct short text once.
    /// Scrubbing is a pure function of the text, so a cached result is exactly what scrubbing again would give.
    struct KeyCache {
        var entries: [String: (stored: String, sensitive: Bool)] = [:]
        var texts: [String: String] = [:]
        static let textLimit = 256
        static let entryLimit = 8192

        mutating func scrub(_ text: String, _ scrubber: PIIScrubber) -> String {
            guard text.utf8.count <= Self.textLimit else { return scrubber.scrub(text) }
            if let hit = texts[text] { return hit }
            let out = scrubber.scrub(text)
            if texts.count < Self.entryLimit { texts[text] = out }
            return out
        }
    }

    func scrubbedForStorage(_ i: Interaction, keys cache: inout KeyCache) -> Interaction {
        var out = i
        out.command = RecordLimits.cut(cache.scrub(i.command, scrubber), to: RecordLimits.storedCommandBytes)
        out.errorMessage = i.errorMessage.map { RecordLimits.cut(cache.scrub($0, scrubber), to: RecordLimits.storedTextBytes) }
        if !i.metadata.isEmpty { out.metadata = scrubbed(i.metadata, depth: 1, keys: &cache) }
        return out
    }

    /// Metadata with keys and every nested string scrubbed, and the whole value of secret-named keys redacted.
    func scrubbed(_ metadata: [String: JSONValue], depth: Int = 1) -> [String: JSONValue] {
        var cache = KeyCache()
        return scrubbed(metadata, depth: depth, keys: &cache)
    }

    func scrubbed(_ metadata: [String: JSONValue], depth: Int, keys cache: inout KeyCache) -> [String: JSONValue] {
        // Most metadata has nothing to scrub: then the dictionary itself is what is stored, not a copy.
        if isStoredAsIs(metadata, depth: depth, keys: &cache) { return metadata }
        var out: [String: JSONValue] = [:]
        out.reserveCapacity(metadata.count)
        for (key, value) in metadata {
            let k = storedKey(key, keys: &cache)
            out[k.stored] = k.sensitive ? .string(InteractionMonitor.redactedValue) : scrubbed(value, depth: depth + 1, keys: &cache)
        }
        return out
    }

    /// The stored key for `key` (scrubbed, cut) and whether its value is redacted, cached.
    private func storedKey(_ key: String, keys cache: inout KeyCache) -> (stored: String, sensitive: Bool) {
        if let hit = cache.entries[key] { return hit }
        let k = (RecordLimits.cut(scrubber.scrub(key), to: RecordLimits.storedKeyBytes), scrubber.isSensitiveKey(key))
        if cache.entries.count < 4096 { cache.entries[key] = k }
        return k
    }

    /// Whether `metadata` is stored exactly as it is: no key changed or redacted, no string scrubbed or cut, nothing
    /// too deep or too long — what ``scrubbed(_:depth:keys:)`` would return unchanged.
    private func isStoredAsIs(_ metadata: [String: JSONValue], depth: Int, keys cache: inout KeyCache) -> Bool {
        for (key, value) in metadata {
            let k = storedKey(key, keys: &cache)
            guard !k.sensitive, k.stored == key, isStoredAsIs(value, depth: depth + 1, keys: &cache) else { return false }
        }
        return true
    }

    private func isStoredAsIs(_ value: JSONValue, depth: Int, keys cache: inout KeyCache) -> Bool {
        switch value {
        case .string(let s): return s.utf8.count <= RecordLimits.storedTextBytes && cache.scrub(s, scrubber) == s
        case .array(let a):
            guard depth < RecordLimits.maximumDepth, a.count <= RecordLimits.maximumEntries else { return false }
            return a.allSatisfy { isStoredAsIs($0, depth: depth + 1, keys: &cache) }
        case .object(let o):
            return depth < RecordLimits.maximumDepth && isStoredAsIs(o, depth: depth, keys: &cache)
        case .int, .double, .bool, .null: return true
        }
    }

    /// Scrubbed and cut to the stored limits; recursion ends at ``RecordLimits/maximumDepth``.
    func scrubbed(_ value: JSONValue, depth: Int, keys cache: inout KeyCache) -> JSONValue {
        switch value {
        case .string(let s): return .string(RecordLimits.cut(cache.scrub(s, scrubber), to: RecordLimits.storedTextBytes))
        case .array(let a):
            guard depth < RecordLimits.maximumDepth else { return .string(RecordLimits.tooDeep) }
            var out: [JSONValue] = []
            out.reserveCapacity(min(a.count, RecordLimits.maximumEntries))
            for v in a.prefix(RecordLimits.maximumEntries) { out.append(scrubbed(v, depth: depth + 1, keys: &cache)) }
            return .array(out)
        case .object(let o):
            guard depth < RecordLimits.maximumDepth else { return .string(RecordLimits.tooDeep) }
            return .object(scrubbed(o, depth: depth, keys: &cache))
        case .int, .double, .bool, .null: return value
        }
    }

    /// Session ids are hashed like user ids (with a domain prefix so the two never collide) when the policy says
    /// so; by default only when the value looks like a token.
    func pseudonymisedSessionID(_ id: String, _ pseudonymiser: Pseudonymiser) -> String {
        switch sessionIDPolicy {
        case .keep: id
        case .pseudonymise: pseudonymiser.hash("session\u{0}" + id)
        case .automatic: Self.looksLikeToken(id) ? pseudonymiser.hash("session\u{0}" + id) : id
        }
    }

    /// 16+ characters without spaces mixing letters and digits: UUIDs, hex and base64 tokens, JWT-ish values.
    static func looksLikeToken(_ s: String) -> Bool {
        guard s.utf8.count >= 16 else { return false }
        var letters = false
        var digits = false
        for c in s.utf8 {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digits = true
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"): letters = true
            case UInt8(ascii: " "), UInt8(ascii: "\t"): return false
            default: break
            }
        }
        return letters && digits
    }
}
