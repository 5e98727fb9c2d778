/// Writes one buffered record's stored line in a single pass: command, error message and metadata (keys and every
/// string) scrubbed and cut to the stored limits, secret-named keys' values redacted, undeclared keys left out
/// under strict fields, metadata keys in sorted order — the bytes ``JSONWriter`` writes for the record
/// ``PrivacyTransform/scrubbedForStorage(_:)`` returns, without building that record.
///
/// Texts, keys and key sets repeat across the records of a flush, so the encoder remembers (bounded):
/// - each distinct short text as its encoded JSON string (scrubbed, cut, escaped, quoted);
/// - each distinct metadata key: its stored name, whether its value is redacted, whether it is declared;
/// - each distinct key set, as the order its entries are written in (sorted by stored name, duplicates left out);
/// - the last metadata dictionary and, once the next record carries the very same dictionary (one storage, as a
///   middleware's shared dictionary for each HTTP status is), its encoded bytes.
///
/// Scrubbing is a pure function of the text, so a remembered result is exactly what scrubbing again would give.
struct RecordEncoder {
    let transform: PrivacyTransform
    private let strict: Bool
    private let declared: Set<String>

    /// A remembered key, trivially copyable: its encoded `"stored":` lives in ``arena``.
    private struct Key {
        let start: Int32
        let length: Int32
        let sensitive: Bool
        let declared: Bool
    }

    /// A remembered text's encoded JSON string in ``arena``.
    private struct Encoded {
        let start: Int32
        let length: Int32
    }

    private struct Shape {
        let ids: [Int32]
        /// Positions (into the record's entries in iteration order) in the order they are written.
        let order: [Int32]
    }

    private var keys: [Key] = []
    /// Each remembered key's original and stored name (for sorting and counting; parallel to ``keys``).
    private var keyNames: [(original: String, stored: String)] = []
    private var keyIDs: [String: Int32] = [:]
    private var shapes: [UInt64: Shape] = [:]
    /// The key set written last, and its signature.
    private var lastShape: Shape?
    private var lastSignature: UInt64 = 0
    /// Remembered texts by content: commands apart from other texts (their stored limit differs).
    private var commands: [String: Encoded] = [:]
    private var texts: [String: Encoded] = [:]
    /// The same, found by representation first (``StringIdentityTable``).
    private var commandsSeen = StringIdentityTable<Encoded>(limit: RecordEncoder.entryLimit)
    private var textsSeen = StringIdentityTable<Encoded>(limit: RecordEncoder.entryLimit)
    private var keysSeen = StringIdentityTable<Int32>(limit: RecordEncoder.keyLimit)
    /// Stored ids and type names as encoded (not scrubbed: pseudonyms, kept session ids, type names).
    private var idsSeen = StringIdentityTable<Encoded>(limit: RecordEncoder.entryLimit)
    /// The encoded bytes of remembered keys and texts.
    private var arena: [UInt8] = []
    /// The first microsecond of the second last written (none yet: ``secondPrefix`` is empty).
    private var secondStart: Int64 = 0
    /// `YYYY-MM-DDTHH:MM:SS.` of the second starting at ``secondStart``.
    private var secondPrefix: [UInt8] = []
    private var scratchIDs: [Int32] = []
    private var scratchValues: [JSONValue] = []
    /// The previous record's metadata, kept alive so its storage can be neither freed and reused nor changed in
    /// place while it is held here: a dictionary with the same representation is this very dictionary.
    private var lastMetadata: [String: JSONValue] = [:]
    /// ``lastMetadata`` as encoded, once it was met twice in a row (empty until then).
    private var lastMetadataBytes: [UInt8] = []
    /// The scrub cache of nested values (arrays and objects), shared with ``PrivacyTransform``.
    private var nested = PrivacyTransform.KeyCache()

    static let textLimit = PrivacyTransform.KeyCache.textLimit
    static let entryLimit = PrivacyTransform.KeyCache.entryLimit
    /// Distinct metadata keys (and key sets) remembered.
    static let keyLimit = 4096
    /// Bytes of encoded keys and texts remembered.
    static let arenaLimit = 8 << 20
    private static let redactedBytes: [UInt8] = {
        var w = JSONWriter()
        w.string(InteractionMonitor.redactedValue)
        return w.bytes
    }()

    init(_ transform: PrivacyTransform) {
        self.transform = transform
        strict = transform.scrubber.configuration.strictFields
        declared = transform.scrubber.configuration.declaredMetadataKeys
    }

    /// Strict fields: metadata entries left out of `record` for an undeclared key, counted by stored key name.
    mutating func countUndeclared(_ metadata: [String: JSONValue], into counts: inout [String: Int]) {
        guard strict, !metadata.isEmpty else { return }
        for key in metadata.keys {
            let id = Int(keyID(key))
            if !keys[id].declared { UndeclaredKeyCounts.merge([keyNames[id].stored: 1], into: &counts) }
        }
    }

    /// Bounded memory: past a bound everything remembered is dropped and learnt afresh (correct, only slower).
    private mutating func forget() {
        keys.removeAll(keepingCapacity: true)
        keyNames.removeAll(keepingCapacity: true)
        keyIDs.removeAll(keepingCapacity: true)
        keysSeen.removeAll()
        shapes.removeAll(keepingCapacity: true)
        lastShape = nil
        commands.removeAll(keepingCapacity: true)
        texts.removeAll(keepingCapacity: true)
        commandsSeen.removeAll()
        textsSeen.removeAll()
        idsSeen.removeAll()
        arena.removeAll(keepingCapacity: true)
    }

    /// Writes the stored line of the record at `r` (no newline) with the given stored ids and type. The record is
    /// read where it lies in its buffer: each field is loaded as it is written, the record is not copied.
    mutating func write(
        at r: UnsafePointer<BufferedRecord>, type: InteractionType, sessionID: String?, userHash: String?,
        into w: inout JSONWriter
    ) {
        if arena.count > Self.arenaLimit { forget() }
        w.literal("{\"timestamp\":\"")
        timestamp(r.pointee.timestamp, into: &w)
        w.literal("\",\"interaction_type\":")
        id(type.rawValue, into: &w)
        w.literal(",\"command\":")
        text(r.pointee.command, command: true, into: &w)
        w.literal(",\"status\":\"")
        w.raw(r.pointee.status.rawValue)
        w.literal("\",\"duration_ms\":")
        w.double(r.pointee.durationMs)
        w.literal(",\"error_message\":")
        if let e = r.pointee.errorMessage { text(e, command: false, into: &w) } else { w.literal("null") }
        w.literal(",\"metadata\":")
        metadata(r.pointee.metadata, into: &w)
        w.literal(",\"session_id\":")
        id(sessionID, into: &w)
        w.literal(",\"user_hash\":")
        id(userHash, into: &w)
        w.append(UInt8(ascii: "}"))
    }

    /// The encoded JSON string of `s` scrubbed and cut to the stored limit of a command or of other text,
    /// remembered when short.
    private mutating func text(_ s: String, command: Bool, into w: inout JSONWriter) {
        if let hit = command ? commandsSeen[s] : textsSeen[s] { return appendArena(hit, to: &w) }
        let limit = command ? RecordLimits.storedCommandBytes : RecordLimits.storedTextBytes
        guard s.utf8.count <= Self.textLimit else {
            return w.string(RecordLimits.cut(transform.scrubber.scrub(s), to: limit))
        }
        if let hit = command ? commands[s] : texts[s] {
            if command { commandsSeen.add(s, hit) } else { textsSeen.add(s, hit) }
            return appendArena(hit, to: &w)
        }
        let stored = RecordLimits.cut(transform.scrubber.scrub(s), to: limit)
        guard (command ? commands.count : texts.count) < Self.entryLimit else { return w.string(stored) }
        let encoded = remember(stored, colon: false)
        if command {
            commands[s] = encoded
            commandsSeen.add(s, encoded)
        } else {
            texts[s] = encoded
            textsSeen.add(s, encoded)
        }
        appendArena(encoded, to: &w)
    }

    /// `s` as a JSON string (`null` for none), as it is: ids repeat, so each distinct one is encoded once.
    private mutating func id(_ s: String?, into w: inout JSONWriter) {
        guard let s else { return w.literal("null") }
        if let hit = idsSeen[s] { return appendArena(hit, to: &w) }
        guard idsSeen.count < idsSeen.limit, s.utf8.count <= Self.textLimit else { return w.string(s) }
        let encoded = remember(s, colon: false)
        idsSeen.add(s, encoded)
        appendArena(encoded, to: &w)
    }

    /// `s` encoded as a JSON string (and a colon) into the arena.
    private mutating func remember(_ s: String, colon: Bool) -> Encoded {
        var encoded = JSONWriter(reservingCapacity: s.utf8.count + 8)
        encoded.string(s)
        if colon { encoded.append(UInt8(ascii: ":")) }
        let start = arena.count
        encoded.withBytes { arena.append(contentsOf: $0) }
        return Encoded(start: Int32(start), length: Int32(arena.count - start))
    }

    @inline(__always)
    private func appendArena(_ e: Encoded, to w: inout JSONWriter) {
        arena.withUnsafeBytes { a in w.append(UnsafeRawBufferPointer(rebasing: a[Int(e.start)..<Int(e.start + e.length)])) }
    }

    /// The timestamp as ISO 8601 with microseconds; the part up to the second is remembered (records of a flush
    /// share their seconds).
    private mutating func timestamp(_ t: Timestamp, into w: inout JSONWriter) {
        let us = t.microsecondsSinceEpoch
        // Within the second written last: the fraction is the distance from its start (no division).
        let (offset, overflow) = us.subtractingReportingOverflow(secondStart)
        if secondPrefix.isEmpty || overflow || offset < 0 || offset >= 1_000_000 {
            var full: [UInt8] = []
            t.appendISO8601(to: &full)
            let (start, beyond) = us.subtractingReportingOverflow(us.floorMod(1_000_000))
            guard !beyond else {
                // A second that starts before the earliest representable microsecond: written whole, not kept.
                secondPrefix = []
                return w.append(contentsOf: full)
            }
            secondPrefix = Array(full.dropLast(7))  // without the six fraction digits and the Z
            secondStart = start
        }
        w.append(contentsOf: secondPrefix)
        var micros = UInt32(truncatingIfNeeded: us &- secondStart)  // 0 ..< 1,000,000
        var digits: (UInt64, UInt8) = (0, 0)  // 8 + 1 bytes: six digits and the Z
        withUnsafeMutableBytes(of: &digits) { d in
            for k in stride(from: 5, through: 0, by: -1) {
                d[k] = UInt8(ascii: "0") + UInt8(micros % 10)
                micros /= 10
            }
            d[6] = UInt8(ascii: "Z")
            w.append(UnsafeRawBufferPointer(rebasing: d[0..<7]))
        }
    }

    private mutating func keyID(_ key: String) -> Int32 {
        if let id = keysSeen[key] { return id }
        if let id = keyIDs[key] {
            keysSeen.add(key, id)
            return id
        }
        let stored = RecordLimits.cut(transform.scrubber.scrub(key), to: RecordLimits.storedKeyBytes)
        let encoded = remember(stored, colon: true)
        keys.append(
            Key(
                start: encoded.start, length: encoded.length, sensitive: transform.scrubber.isSensitiveKey(key),
                declared: !strict || declared.contains(key)))
        keyNames.append((key, stored))
        keyIDs[key] = Int32(keys.count - 1)
        keysSeen.add(key, Int32(keys.count - 1))
        return Int32(keys.count - 1)
    }

    private mutating func metadata(_ metadata: [String: JSONValue], into w: inout JSONWriter) {
        guard !metadata.isEmpty else { return w.literal("{}") }
        // The same dictionary as the previous record's: the same bytes (encoding is a function of the content and
        // of this encoder's fixed configuration), written again without looking at a key.
        let repeated = Self.sameStorage(metadata, lastMetadata)
        if repeated, !lastMetadataBytes.isEmpty { return w.append(contentsOf: lastMetadataBytes) }
        let start = w.count
        encode(metadata, into: &w)
        if repeated {
            w.withBytes { lastMetadataBytes = Array($0[start...]) }
        } else {
            lastMetadata = metadata
            if !lastMetadataBytes.isEmpty { lastMetadataBytes = [] }
        }
    }

    /// Whether `a` and `b` are one dictionary: the same representation (one reference to one storage). `false`
    /// when a dictionary is not one word.
    @inline(__always)
    private static func sameStorage(_ a: [String: JSONValue], _ b: [String: JSONValue]) -> Bool {
        guard MemoryLayout<[String: JSONValue]>.size == MemoryLayout<UInt>.size else { return false }
        return withUnsafeBytes(of: a) { x in withUnsafeBytes(of: b) { y in
            x.loadUnaligned(as: UInt.self) == y.loadUnaligned(as: UInt.self)
        } }
    }

    private mutating func encode(_ metadata: [String: JSONValue], into w: inout JSONWriter) {
        if keys.count + metadata.count > Self.keyLimit { forget() }
        // The scratch arrays are overwritten in place (emptying them would cost more than the record's keys).
        var n = 0
        var signature: UInt64 = 0xcbf2_9ce4_8422_2325
        for (key, value) in metadata {
            let id = keyID(key)
            if n < scratchIDs.count {
                scratchIDs[n] = id
                scratchValues[n] = value
            } else {
                scratchIDs.append(id)
                scratchValues.append(value)
            }
            n += 1
            signature = (signature ^ UInt64(UInt32(bitPattern: id))) &* 0x100_0000_01b3
        }
        let order: [Int32]
        if signature == lastSignature, let shape = lastShape, Self.same(shape.ids, scratchIDs, count: n) {
            // Records in a row mostly carry the same key set: no look-up.
            order = shape.order
        } else if let shape = shapes[signature], Self.same(shape.ids, scratchIDs, count: n) {
            order = shape.order
            (lastSignature, lastShape) = (signature, shape)
        } else {
            let ids = Array(scratchIDs[..<n])
            order = self.order(ids)
            let shape = Shape(ids: ids, order: order)
            if shapes.count < Self.keyLimit { shapes[signature] = shape }
            (lastSignature, lastShape) = (signature, shape)
        }
        writeEntries(order, into: &w)
    }

    /// Whether `ids` are the first `count` of `scratch`.
    @inline(__always)
    private static func same(_ ids: [Int32], _ scratch: [Int32], count: Int) -> Bool {
        guard ids.count == count else { return false }
        return ids.withUnsafeBufferPointer { a in
            scratch.withUnsafeBufferPointer { b in
                for k in 0..<count where a[k] != b[k] { return false }
                return true
            }
        }
    }

    private mutating func writeEntries(_ order: [Int32], into w: inout JSONWriter) {
        w.append(UInt8(ascii: "{"))
        var first = true
        for position in order {
            let k = keys[Int(scratchIDs[Int(position)])]
            if !first { w.append(UInt8(ascii: ",")) }
            first = false
            appendArena(Encoded(start: k.start, length: k.length), to: &w)
            if k.sensitive {
                w.append(contentsOf: Self.redactedBytes)
                continue
            }
            switch scratchValues[Int(position)] {
            case .string(let s): text(s, command: false, into: &w)
            case .int(let i): w.integer(i)
            case .double(let d): w.double(d)
            case .bool(let b): w.literal(b ? "true" : "false")
            case .null: w.literal("null")
            case let nestedValue: w.value(transform.scrubbed(nestedValue, depth: 2, keys: &nested))
            }
        }
        w.append(UInt8(ascii: "}"))
    }

    /// The positions of declared entries sorted by stored key, each stored key once (two keys scrubbed to the same
    /// name: the value of the first original key in sorted order).
    private func order(_ ids: [Int32]) -> [Int32] {
        var positions = ids.indices.filter { keys[Int(ids[$0])].declared }.map { Int32($0) }
        positions.sort { a, b in
            let ka = keyNames[Int(ids[Int(a)])], kb = keyNames[Int(ids[Int(b)])]
            return ka.stored != kb.stored ? ka.stored < kb.stored : ka.original < kb.original
        }
        var out: [Int32] = []
        out.reserveCapacity(positions.count)
        for p in positions where out.last.map({ keyNames[Int(ids[Int($0)])].stored != keyNames[Int(ids[Int(p)])].stored }) ?? true {
            out.append(p)
        }
        return out
    }
}
