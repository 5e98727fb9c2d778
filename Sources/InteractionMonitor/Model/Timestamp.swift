public import struct Foundation.Date
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A point in time with microsecond resolution, stored as microseconds since the Unix epoch (UTC).
///
/// Interactions use this instead of `Date` so that the stored ISO 8601 text
/// (`2026-11-25T09:30:00.123456Z`) round-trips exactly.
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Microseconds since 1970-01-01T00:00:00Z.
    public var microsecondsSinceEpoch: Int64

    /// A timestamp from microseconds since the Unix epoch.
    public init(microsecondsSinceEpoch: Int64) {
        self.microsecondsSinceEpoch = microsecondsSinceEpoch
    }

    /// A timestamp from a `Date`, truncated to whole microseconds.
    public init(_ date: Date) {
        let micros = (date.timeIntervalSince1970 * 1_000_000).rounded(.down)
        if micros.isFinite, abs(micros) < 9.2e18 {
            self.microsecondsSinceEpoch = Int64(micros)
        } else {
            self.microsecondsSinceEpoch = 0
        }
    }

    /// The current wall-clock time (`clock_gettime(CLOCK_REALTIME)`, exact to the microsecond).
    public static func now() -> Timestamp {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Timestamp(microsecondsSinceEpoch: Int64(ts.tv_sec) * 1_000_000 + Int64(ts.tv_nsec) / 1000)
    }

    /// This timestamp as a `Date`.
    public var date: Date { Date(timeIntervalSince1970: Double(microsecondsSinceEpoch) / 1_000_000) }

    /// Whether the UTC date lies in 0001-01-01…9999-12-31, the days a store can hold.
    public var isStorable: Bool { Day.storable.contains(day) }

    /// The UTC day this timestamp falls on.
    public var day: Day {
        Day(daysSinceEpoch: Int32(clamping: microsecondsSinceEpoch.floorDiv(86_400_000_000)))
    }

    /// ISO 8601 in UTC with six fractional digits, e.g. `2026-11-25T09:30:00.123456Z`.
    public var iso8601: String {
        var out = [UInt8]()
        out.reserveCapacity(27)
        appendISO8601(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends ``iso8601`` to `out` without intermediate allocations (the segment encoder's hot path).
    func appendISO8601(to out: inout [UInt8]) {
        let micros = microsecondsSinceEpoch.floorMod(1_000_000)
        let seconds = microsecondsSinceEpoch.floorDiv(1_000_000)
        let secOfDay = seconds.floorMod(86_400)
        let (y, m, d) = CivilCalendar.civil(fromDays: seconds.floorDiv(86_400))
        CivilCalendar.appendYear(y, to: &out)
        out.append(UInt8(ascii: "-"))
        CivilCalendar.append(Int64(m), width: 2, to: &out)
        out.append(UInt8(ascii: "-"))
        CivilCalendar.append(Int64(d), width: 2, to: &out)
        out.append(UInt8(ascii: "T"))
        CivilCalendar.append(secOfDay / 3600, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        CivilCalendar.append(secOfDay / 60 % 60, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        CivilCalendar.append(secOfDay % 60, width: 2, to: &out)
        out.append(UInt8(ascii: "."))
        CivilCalendar.append(micros, width: 6, to: &out)
        out.append(UInt8(ascii: "Z"))
    }

    /// Parses ISO 8601 / RFC 3339 date-times: `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`.
    /// A space may replace `T`; a missing zone means UTC; fractions beyond microseconds are truncated.
    public init?(iso8601 text: String) {
        var text = text
        guard let t = text.withUTF8({ Timestamp(iso8601UTF8: $0) }) else { return nil }
        self = t
    }

    /// As ``init(iso8601:)``, from the text's UTF-8 bytes (the record reader parses stored timestamps in place).
    init?(iso8601UTF8 u: UnsafeBufferPointer<UInt8>) {
        var none: DateCache? = nil
        self.init(iso8601UTF8: u, dates: &none)
    }

    /// The last date part (`YYYY-MM-DD`) parsed and its day number: consecutive stored timestamps mostly share it.
    struct DateCache {
        var prefix: UInt64
        var suffix: UInt16
        var days: Int64
    }

    /// As ``init(iso8601UTF8:)``; a date part equal to the one in `dates` is not parsed again, and a newly parsed
    /// one is remembered there.
    init?(iso8601UTF8 u: UnsafeBufferPointer<UInt8>, dates: inout DateCache?) {
        var i = 0
        func number(_ width: Int) -> Int64? {
            guard i + width <= u.count else { return nil }
            var v: Int64 = 0
            for k in 0..<width {
                let c = u[i + k]
                guard c >= 48, c <= 57 else { return nil }
                v = v * 10 + Int64(c - 48)
            }
            i += width
            return v
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < u.count, u[i] == c else { return false }
            i += 1
            return true
        }
        var prefix: UInt64 = 0
        var suffix: UInt16 = 0
        if u.count >= 10, let base = u.baseAddress {
            prefix = UnsafeRawPointer(base).loadUnaligned(as: UInt64.self)
            suffix = UnsafeRawPointer(base).loadUnaligned(fromByteOffset: 8, as: UInt16.self)
        }
        let days: Int64
        if let cached = dates, u.count >= 10, cached.prefix == prefix, cached.suffix == suffix {
            days = cached.days
            i = 10
        } else {
            guard let y = number(4), expect(UInt8(ascii: "-")), let mo = number(2), expect(UInt8(ascii: "-")),
                let d = number(2)
            else { return nil }
            guard (1...12).contains(mo), d >= 1, d <= CivilCalendar.daysInMonth(year: y, month: mo) else { return nil }
            days = CivilCalendar.days(fromCivil: y, month: mo, day: d)
            if u.count >= 10 { dates = DateCache(prefix: prefix, suffix: suffix, days: days) }
        }
        var secs: Int64 = 0
        var micros: Int64 = 0
        if i < u.count {
            guard u[i] == UInt8(ascii: "T") || u[i] == UInt8(ascii: "t") || u[i] == UInt8(ascii: " ") else {
                return nil
            }
            i += 1
            guard let h = number(2), expect(UInt8(ascii: ":")), let mi = number(2), expect(UInt8(ascii: ":")),
                let s = number(2), h < 24, mi < 60, s < 61
            else { return nil }
            secs = h * 3600 + mi * 60 + min(s, 59)
            if i < u.count, u[i] == UInt8(ascii: ".") || u[i] == UInt8(ascii: ",") {
                i += 1
                var digits = 0
                while i < u.count, u[i] >= 48, u[i] <= 57 {
                    if digits < 6 { micros = micros * 10 + Int64(u[i] - 48) }
                    digits += 1
                    i += 1
                }
                guard digits > 0 else { return nil }
                if digits < 6 { for _ in digits..<6 { micros *= 10 } }
            }
            if i < u.count {
                if u[i] == UInt8(ascii: "Z") || u[i] == UInt8(ascii: "z") {
                    i += 1
                } else if u[i] == UInt8(ascii: "+") || u[i] == UInt8(ascii: "-") {
                    let sign: Int64 = u[i] == UInt8(ascii: "+") ? 1 : -1
                    i += 1
                    guard let oh = number(2), oh < 24 else { return nil }
                    _ = expect(UInt8(ascii: ":"))
                    guard let om = number(2), om < 60 else { return nil }
                    secs -= sign * (oh * 3600 + om * 60)
                } else {
                    return nil
                }
            }
        }
        guard i == u.count else { return nil }
        self.microsecondsSinceEpoch = (days * 86_400 + secs) * 1_000_000 + micros
        // A zone offset can carry a date past 9999-12-31 or before 0001-01-01: no day file can hold it.
        guard isStorable else { return nil }
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.microsecondsSinceEpoch < rhs.microsecondsSinceEpoch
    }

    public var description: String { iso8601 }
}

extension Timestamp: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = Timestamp(iso8601: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "timestamp is not ISO 8601 (expected e.g. 2026-11-25T09:30:00.000000Z)")
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso8601)
    }
}

extension Int64 {
    package func floorDiv(_ d: Int64) -> Int64 {
        let q = self / d
        return (self % d != 0 && (self < 0) != (d < 0)) ? q - 1 : q
    }

    package func floorMod(_ d: Int64) -> Int64 { self - floorDiv(d) * d }
}
