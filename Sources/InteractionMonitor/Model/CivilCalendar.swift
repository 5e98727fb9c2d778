/// Proleptic Gregorian calendar arithmetic (Howard Hinnant's days-from-civil algorithms), UTC only.
enum CivilCalendar {
    static func days(fromCivil year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    static func append(_ value: Int64, width: Int, to out: inout [UInt8]) {
        let start = out.count
        for _ in 0..<width { out.append(48) }
        var v = value
        var k = start + width - 1
        while k >= start {
            out[k] = UInt8(48 + v % 10)
            v /= 10
            k -= 1
        }
    }

    static func appendYear(_ year: Int64, to out: inout [UInt8]) {
        if (0...9999).contains(year) {
            append(year, width: 4, to: &out)
        } else {
            out.append(contentsOf: Array(String(year).utf8))
        }
    }
}
