/// A UTC calendar day; stored interactions are grouped into one file (or partition) per day.
public struct Day: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Days since 1970-01-01.
    public let daysSinceEpoch: Int32

    /// A day from its number of days since 1970-01-01.
    public init(daysSinceEpoch: Int32) { self.daysSinceEpoch = daysSinceEpoch }

    /// Parses `YYYY-MM-DD`; `nil` for anything else, including impossible dates such as `2026-02-30`.
    public init?(_ text: String) {
        let u = Array(text.utf8)
        guard u.count == 10, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-") else { return nil }
        func num(_ r: Range<Int>) -> Int64? {
            var v: Int64 = 0
            for i in r {
                guard u[i] >= 48, u[i] <= 57 else { return nil }
                v = v * 10 + Int64(u[i] - 48)
            }
            return v
        }
        guard let y = num(0..<4), let m = num(5..<7), let d = num(8..<10), (1...12).contains(m), d >= 1,
            d <= CivilCalendar.daysInMonth(year: y, month: m)
        else { return nil }
        self.daysSinceEpoch = Int32(CivilCalendar.days(fromCivil: y, month: m, day: d))
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        let (y, m, d) = CivilCalendar.civil(fromDays: Int64(daysSinceEpoch))
        var out = [UInt8]()
        CivilCalendar.appendYear(y, to: &out)
        out.append(UInt8(ascii: "-"))
        CivilCalendar.append(m, width: 2, to: &out)
        out.append(UInt8(ascii: "-"))
        CivilCalendar.append(d, width: 2, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// The first microsecond of this day.
    public var start: Timestamp { Timestamp(microsecondsSinceEpoch: Int64(daysSinceEpoch) * 86_400_000_000) }

    /// The days a store can hold: 0001-01-01 through 9999-12-31 (four-digit years, as day file names need).
    public static let storable = Day(daysSinceEpoch: -719_162)...Day(daysSinceEpoch: 2_932_896)

    /// The day `n` days later (earlier for negative `n`).
    public func advanced(by n: Int32) -> Day { Day(daysSinceEpoch: daysSinceEpoch &+ n) }

    public static func < (lhs: Day, rhs: Day) -> Bool { lhs.daysSinceEpoch < rhs.daysSinceEpoch }
}
