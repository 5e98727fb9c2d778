/// A small, allocation-light JSON writer for the stored form of interactions.
///
/// Output is deterministic: fixed field order, metadata keys sorted, `null` for absent optionals,
/// non-finite doubles written as `null` (JSON has no NaN).
struct JSONWriter {
    var bytes: [UInt8] = []

    init(reservingCapacity capacity: Int = 256) { bytes.reserveCapacity(capacity) }

    /// A writer that appends to `bytes`.
    init(adopting bytes: [UInt8]) { self.bytes = bytes }

    mutating func write(_ i: Interaction) {
        literal("{\"timestamp\":\"")
        i.timestamp.appendISO8601(to: &bytes)
        literal("\",\"interaction_type\":")
        string(i.interactionType.rawValue)
        literal(",\"command\":")
        string(i.command)
        literal(",\"status\":\"")
        raw(i.status.rawValue)
        literal("\",\"duration_ms\":")
        double(i.durationMs)
        literal(",\"error_message\":")
        optionalString(i.errorMessage)
        literal(",\"metadata\":")
        object(i.metadata)
        literal(",\"session_id\":")
        optionalString(i.sessionID)
        literal(",\"user_hash\":")
        optionalString(i.userHash)
        bytes.append(UInt8(ascii: "}"))
    }

    /// A literal fragment, copied from the binary's constant bytes.
    @inline(__always)
    mutating func literal(_ s: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    mutating func raw(_ s: String) {
        var s = s
        s.withUTF8 { bytes.append(contentsOf: $0) }
    }

    mutating func optionalString(_ s: String?) {
        if let s { string(s) } else { literal("null") }
    }

    mutating func double(_ d: Double) {
        guard d.isFinite else { return raw("null") }
        if d == d.rounded(), abs(d) < 1e15 {
            integer(Int64(d))
        } else {
            raw(String(d))
        }
    }

    /// The decimal digits of `v`, written straight into the output (what `String(v)` gives, without making it).
    mutating func integer(_ v: Int64) {
        if v < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = v.magnitude
        guard magnitude >= 10 else { return bytes.append(UInt8(ascii: "0") + UInt8(magnitude)) }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for the 20 digits of UInt64.max
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            while magnitude > 0 {
                buffer[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            }
            for k in stride(from: count - 1, through: 0, by: -1) { bytes.append(buffer[k]) }
        }
    }

    mutating func value(_ v: JSONValue) {
        switch v {
        case .string(let s): string(s)
        case .int(let i): integer(i)
        case .double(let d): double(d)
        case .bool(let b): raw(b ? "true" : "false")
        case .null: raw("null")
        case .array(let a):
            bytes.append(UInt8(ascii: "["))
            for (k, e) in a.enumerated() {
                if k > 0 { bytes.append(UInt8(ascii: ",")) }
                value(e)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let o): object(o)
        }
    }

    mutating func object(_ o: [String: JSONValue]) {
        bytes.append(UInt8(ascii: "{"))
        if o.count == 1, let only = o.first {
            member(only.key, only.value)
        } else if !o.isEmpty {
            // Sorted by key; the pairs are sorted, not the keys, so no key is hashed again.
            var first = true
            for entry in o.sorted(by: { $0.key < $1.key }) {
                if !first { bytes.append(UInt8(ascii: ",")) }
                first = false
                member(entry.key, entry.value)
            }
        }
        bytes.append(UInt8(ascii: "}"))
    }

    private mutating func member(_ key: String, _ v: JSONValue) {
        string(key)
        bytes.append(UInt8(ascii: ":"))
        value(v)
    }

    private static let hex = Array("0123456789abcdef".utf8)

    mutating func string(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { u in
            var start = 0
            for (idx, c) in u.enumerated() where c < 0x20 || c == 0x22 || c == 0x5C {
                if start < idx { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: u[start..<idx])) }
                switch c {
                case 0x22: raw("\\\"")
                case 0x5C: raw("\\\\")
                case 0x0A: raw("\\n")
                case 0x0D: raw("\\r")
                case 0x09: raw("\\t")
                default:
                    raw("\\u00")
                    bytes.append(Self.hex[Int(c >> 4)])
                    bytes.append(Self.hex[Int(c & 0xF)])
                }
                start = idx + 1
            }
            if start < u.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: u[start..<u.count])) }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
