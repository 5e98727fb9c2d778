/// Size limits every stored record obeys, so hostile or buggy input (10 MB strings, 10,000-deep nesting, huge
/// objects) can neither crash the monitor nor grow memory or storage without bound. Oversized parts are cut with
/// a visible marker; the rest of the record — and of the batch — is stored.
///
/// | what | kept in the buffer | stored (after PII scrubbing) |
/// |---|---|---|
/// | `command` | 64 KiB | 1 KiB |
/// | `error_message`, metadata string values | 64 KiB | 16 KiB |
/// | metadata keys | 64 KiB | 256 B |
/// | nesting depth of metadata values | 16 levels | 16 levels |
/// | entries per metadata object or array | 256 | 256 |
/// | `duration_ms` | NaN, ±∞ and negative values become 0 | |
/// | distinct interaction types | 4096 per monitor; further new names are stored as `other` | |
///
/// Cuts happen at a UTF-8 character boundary and end with ``marker``. Text is scrubbed *before* the stored cut,
/// and the buffer cut is far enough beyond it that a secret split by the first cut is always discarded by the second.
public enum RecordLimits {
    /// Appended where text was cut.
    public static let marker = "…[TRUNCATED]"
    /// Stands for a value nested deeper than ``maximumDepth``.
    public static let tooDeep = "[TRUNCATED: nested too deep]"
    /// Bytes of any string kept in the buffer.
    public static let bufferedStringBytes = 64 * 1024
    /// Bytes of a stored command.
    public static let storedCommandBytes = 1024
    /// Bytes of a stored error message or metadata string.
    public static let storedTextBytes = 16 * 1024
    /// Bytes of a stored metadata key.
    public static let storedKeyBytes = 256
    /// Nesting levels of a metadata value (a scalar at the top level is depth 1).
    public static let maximumDepth = 16
    /// Entries of one metadata object or array (the whole metadata too).
    public static let maximumEntries = 256

    /// `text` cut to at most `limit` UTF-8 bytes (marker included) at a character boundary.
    static func cut(_ text: String, to limit: Int) -> String {
        guard text.utf8.count > limit else { return text }
        let budget = max(limit - marker.utf8.count, 0)
        var used = 0
        var end = text.startIndex
        for c in text {
            let n = c.utf8.count
            if used + n > budget { break }
            used += n
            end = text.index(after: end)
        }
        return String(text[..<end]) + marker
    }

    /// Whether `value` needs ``bounded(_:stringLimit:)`` (cheap for scalars; stops at the first violation).
    static func needsBounding(_ value: JSONValue, stringLimit: Int, depth: Int = 1) -> Bool {
        switch value {
        case .string(let s): return s.utf8.count > stringLimit
        case .int, .double, .bool, .null: return false
        case .array(let a):
            if depth >= maximumDepth || a.count > maximumEntries { return true }
            return a.contains { needsBounding($0, stringLimit: stringLimit, depth: depth + 1) }
        case .object(let o):
            if depth >= maximumDepth || o.count > maximumEntries { return true }
            return o.contains { $0.key.utf8.count > stringLimit || needsBounding($0.value, stringLimit: stringLimit, depth: depth + 1) }
        }
    }

    /// `value` within the limits. Recursion stops at ``maximumDepth``, so any input depth is safe.
    static func bounded(_ value: JSONValue, stringLimit: Int, depth: Int = 1) -> JSONValue {
        switch value {
        case .string(let s): return .string(cut(s, to: stringLimit))
        case .int, .double, .bool, .null: return value
        case .array(let a):
            if depth >= maximumDepth { return .string(tooDeep) }
            var out = a.prefix(maximumEntries).map { bounded($0, stringLimit: stringLimit, depth: depth + 1) }
            if a.count > maximumEntries { out.append(.string("[TRUNCATED: \(a.count - maximumEntries) more]")) }
            return .array(out)
        case .object(let o):
            if depth >= maximumDepth { return .string(tooDeep) }
            return .object(boundedObject(o, stringLimit: stringLimit, depth: depth))
        }
    }

    /// An object within the limits (keys sorted when entries are dropped, so the cut is deterministic).
    static func boundedObject(_ o: [String: JSONValue], stringLimit: Int, depth: Int = 1) -> [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        let entries = o.count > maximumEntries ? Array(o.sorted { $0.key < $1.key }.prefix(maximumEntries)) : Array(o)
        for (k, v) in entries { out[cut(k, to: stringLimit)] = bounded(v, stringLimit: stringLimit, depth: depth + 1) }
        if o.count > maximumEntries { out["…"] = .string("[TRUNCATED: \(o.count - maximumEntries) more]") }
        return out
    }

    /// Metadata as buffered (``buffered(_:)``) and about how many bytes it holds, in one pass over the entries.
    static func bufferedWithSize(_ metadata: [String: JSONValue]) -> (metadata: [String: JSONValue], bytes: Int) {
        var over = metadata.count > maximumEntries
        var bytes = 0
        if !over {
            for (key, value) in metadata {
                let k = key.utf8.count
                bytes += 32 + k
                if k > bufferedStringBytes { over = true; break }
                switch value {
                case .int, .double, .bool, .null: bytes += 16
                case .string(let s):
                    let n = s.utf8.count
                    bytes += 16 + n
                    if n > bufferedStringBytes { over = true }
                default:
                    if needsBounding(value, stringLimit: bufferedStringBytes) { over = true } else { bytes += approximateBytes(value) }
                }
                if over { break }
            }
        }
        guard over else { return (metadata, bytes) }
        let bounded = boundedObject(metadata, stringLimit: bufferedStringBytes)
        return (bounded, approximateBytes(bounded))
    }

    /// Metadata as buffered: unchanged (no copy) unless something exceeds the buffer limits.
    static func buffered(_ metadata: [String: JSONValue]) -> [String: JSONValue] {
        var over = metadata.count > maximumEntries
        if !over {
            for (key, value) in metadata {
                if key.utf8.count > bufferedStringBytes { over = true; break }
                switch value {
                case .int, .double, .bool, .null: continue
                case .string(let s) where s.utf8.count <= bufferedStringBytes: continue
                default:
                    if needsBounding(value, stringLimit: bufferedStringBytes) { over = true }
                }
                if over { break }
            }
        }
        return over ? boundedObject(metadata, stringLimit: bufferedStringBytes) : metadata
    }

    /// About how many bytes `metadata` holds in memory (keys, strings, 16 per other value), for the buffer's budget.
    static func approximateBytes(_ metadata: [String: JSONValue]) -> Int {
        var n = 0
        for (key, value) in metadata { n += 32 + key.utf8.count + approximateBytes(value) }
        return n
    }

    static func approximateBytes(_ value: JSONValue) -> Int {
        switch value {
        case .string(let s): return 16 + s.utf8.count
        case .array(let a): return a.reduce(16) { $0 + approximateBytes($1) }
        case .object(let o): return 16 + approximateBytes(o)
        default: return 16
        }
    }

    /// A duration as stored: finite and not negative.
    static func duration(_ ms: Double) -> Double { ms.isFinite && ms > 0 ? ms : 0 }
}
