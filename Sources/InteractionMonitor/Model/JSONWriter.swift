/// A small, allocation-light JSON writer for the stored form of interactions.
///
/// Output is deterministic: fixed field order, metadata keys sorted, `null` for absent optionals,
/// non-finite doubles written as `null` (JSON has no NaN).
///
/// It writes into memory of its own (not an `Array`): an append is a bounds check and a copy, which matters on the
/// flush's hot path, where a record is two dozen small appends. Not copyable: the memory has one owner, freed with it.
struct JSONWriter: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// Bytes written.
    private(set) var count = 0

    /// An empty writer with room for `capacity` bytes before it grows.
    init(reservingCapacity capacity: Int = 256) {
        self.capacity = Swift.max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// The bytes written (a copy).
    var bytes: [UInt8] { [UInt8](UnsafeBufferPointer(start: base, count: count)) }

    /// Calls `body` with the bytes written.
    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }

    /// Forgets what was written, keeping the memory.
    mutating func removeAll() { count = 0 }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        if count == capacity { grow(to: count + 1) }
        base[count] = byte
        count += 1
    }

    @inline(__always)
    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        if bytes.count > capacity - count { grow(to: count + bytes.count) }
        UnsafeMutableRawPointer(base + count).copyMemory(from: source, byteCount: bytes.count)
        count += bytes.count
    }

    @inline(__always)
    mutating func append(contentsOf bytes: [UInt8]) { bytes.withUnsafeBytes { append($0) } }

    private mutating func grow(to minimum: Int) {
        var larger = capacity * 2
        while larger < minimum { larger *= 2 }
        let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: larger)
        moved.initialize(from: base, count: count)
        base.deallocate()
        base = moved
        capacity = larger
    }

    mutating func write(_ i: Interaction) {
        literal("{\"timestamp\":\"")
        var time: [UInt8] = []
        time.reserveCapacity(27)
        i.timestamp.appendISO8601(to: &time)
        append(contentsOf: time)
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
        append(UInt8(ascii: "}"))
    }

    /// A literal fragment, copied from the binary's constant bytes.
    @inline(__always)
    mutating func literal(_ s: StaticString) {
        append(UnsafeRawBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    mutating func raw(_ s: String) {
        var s = s
        s.withUTF8 { append(UnsafeRawBufferPointer($0)) }
    }

    mutating func optionalString(_ s: String?) {
        if let s { string(s) } else { literal("null") }
    }

    mutating func double(_ d: Double) {
        guard d.isFinite else { return raw("null") }
        if d == d.rounded(), abs(d) < 1e15 {
            integer(Int64(d))
        } else if !fewDecimals(d) {
            // The shortest digits that read back as `d` (what `String(d)` gives), written without making a string.
            var digits = ShortASCII()
            d.write(to: &digits)
            digits.withBytes { append($0) }
        }
    }

    /// Writes a non-integral `d` that is the nearest double to a decimal of at most six places, with
    /// 0.0001 ≤ |d| < 10⁹ (durations in milliseconds measured to the nanosecond, or to fewer places), as that
    /// decimal; `false` (nothing written) for any other value.
    ///
    /// The bytes are exactly what `String(d)` gives: the decimal reads back as `d` (checked: the quotient of two
    /// exact doubles is correctly rounded, as reading it is), and it is the only decimal of at most six places that
    /// does — two such decimals lie 10⁻⁶ or more apart, more than twice the spacing of doubles below 10⁹ — so no
    /// shorter one reads back as `d`; in this range `String` writes plain decimals, not exponents.
    @inline(__always)
    private mutating func fewDecimals(_ d: Double) -> Bool {
        let m = abs(d)
        guard m >= 1e-4, m < 1e9 else { return false }
        var micro = UInt64(m * 1e6 + 0.5)  // below 10¹⁵; checked next, however it was rounded
        guard Double(micro) / 1e6 == m else { return false }
        var places = 6
        while micro % 10 == 0 {  // not a multiple of 10⁶: `d` is not integral
            micro /= 10
            places -= 1
        }
        var text: (UInt64, UInt64, UInt64) = (0, 0, 0)  // a sign, nine digits, the point and six digits, from the end
        withUnsafeMutableBytes(of: &text) { b in
            var k = b.count
            for _ in 0..<places {
                k -= 1
                b[k] = UInt8(ascii: "0") + UInt8(micro % 10)
                micro /= 10
            }
            k -= 1
            b[k] = UInt8(ascii: ".")
            repeat {
                k -= 1
                b[k] = UInt8(ascii: "0") + UInt8(micro % 10)
                micro /= 10
            } while micro > 0
            if d < 0 {
                k -= 1
                b[k] = UInt8(ascii: "-")
            }
            append(UnsafeRawBufferPointer(rebasing: b[k...]))
        }
        return true
    }

    /// A `TextOutputStream` for a number's few characters: the standard library hands a `Double`'s digits to
    /// `_writeASCII`, which lands in a fixed buffer; anything longer or written as a string goes to `spill`.
    private struct ShortASCII: TextOutputStream {
        private var buffer: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        private var count = 0
        private var spill: [UInt8] = []

        mutating func write(_ string: String) { spill += Array(string.utf8) }

        mutating func _writeASCII(_ bytes: UnsafeBufferPointer<UInt8>) {
            if spill.isEmpty, count + bytes.count <= 32 {
                withUnsafeMutableBytes(of: &buffer) { b in
                    for k in bytes.indices { b[count + k] = bytes[k] }
                }
                count += bytes.count
            } else {
                spill += Array(bytes)
            }
        }

        func withBytes(_ body: (UnsafeRawBufferPointer) -> Void) {
            var copy = buffer
            withUnsafeBytes(of: &copy) { body(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            spill.withUnsafeBytes { body($0) }
        }
    }

    /// The decimal digits of `v`, written straight into the output (what `String(v)` gives, without making it).
    mutating func integer(_ v: Int64) {
        if v < 0 { append(UInt8(ascii: "-")) }
        var magnitude = v.magnitude
        guard magnitude >= 10 else { return append(UInt8(ascii: "0") + UInt8(magnitude)) }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for the 20 digits of UInt64.max
        // Written right to left, then appended in one copy.
        var start = 24
        withUnsafeMutableBytes(of: &digits) { buffer in
            while magnitude > 0 {
                start -= 1
                buffer[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            }
            append(UnsafeRawBufferPointer(rebasing: buffer[start...]))
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
            append(UInt8(ascii: "["))
            for (k, e) in a.enumerated() {
                if k > 0 { append(UInt8(ascii: ",")) }
                value(e)
            }
            append(UInt8(ascii: "]"))
        case .object(let o): object(o)
        }
    }

    mutating func object(_ o: [String: JSONValue]) {
        append(UInt8(ascii: "{"))
        if o.count == 1, let only = o.first {
            member(only.key, only.value)
        } else if !o.isEmpty {
            // Sorted by key; the pairs are sorted, not the keys, so no key is hashed again.
            var first = true
            for entry in o.sorted(by: { $0.key < $1.key }) {
                if !first { append(UInt8(ascii: ",")) }
                first = false
                member(entry.key, entry.value)
            }
        }
        append(UInt8(ascii: "}"))
    }

    private mutating func member(_ key: String, _ v: JSONValue) {
        string(key)
        append(UInt8(ascii: ":"))
        value(v)
    }

    private static let hex = Array("0123456789abcdef".utf8)

    mutating func string(_ s: String) {
        append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { u in
            var start = 0
            for (idx, c) in u.enumerated() where c < 0x20 || c == 0x22 || c == 0x5C {
                if start < idx { append(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: u[start..<idx]))) }
                switch c {
                case 0x22: raw("\\\"")
                case 0x5C: raw("\\\\")
                case 0x0A: raw("\\n")
                case 0x0D: raw("\\r")
                case 0x09: raw("\\t")
                default:
                    raw("\\u00")
                    append(Self.hex[Int(c >> 4)])
                    append(Self.hex[Int(c & 0xF)])
                }
                start = idx + 1
            }
            if start < u.count { append(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: u[start..<u.count]))) }
        }
        append(UInt8(ascii: "\""))
    }
}
