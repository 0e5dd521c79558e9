/// Reads the request time of a log line into seconds since the epoch, honouring the line's own
/// UTC offset (`+0200`), so that rounds are cut at the same instant whatever zone a server logs in.
public enum Timestamp {
    /// Parses Apache/nginx `08/Aug/2013:10:59:59 +0200` (brackets allowed around it) or ISO 8601
    /// `2013-08-08T10:59:59+02:00` / `...Z`. Nil when the text is not such a time.
    @inline(__always)
    public static func parse(_ text: UnsafePointer<UInt8>, count: Int) -> Int64? {
        var start = 0
        var end = count
        if end > start, text[start] == UInt8(ascii: "[") { start += 1 }
        if end > start, text[end - 1] == UInt8(ascii: "]") { end -= 1 }
        let length = end - start
        let p = text + start
        if length == 26, p[2] == UInt8(ascii: "/"), p[6] == UInt8(ascii: "/"), p[11] == UInt8(ascii: ":"),
           p[14] == UInt8(ascii: ":"), p[17] == UInt8(ascii: ":"), p[20] == UInt8(ascii: " ") {
            guard let day = digits(p, 0, 2), let month = monthNumber(p + 3), let year = digits(p, 7, 4),
                  let hour = digits(p, 12, 2), let minute = digits(p, 15, 2), let second = digits(p, 18, 2),
                  let offset = utcOffset(p + 21, colon: false) else { return nil }
            return epoch(year: year, month: month, day: day, hour: hour, minute: minute, second: second, offset: offset)
        }
        if length >= 20, p[4] == UInt8(ascii: "-"), p[7] == UInt8(ascii: "-"), p[10] == UInt8(ascii: "T"),
           p[13] == UInt8(ascii: ":"), p[16] == UInt8(ascii: ":") {
            guard let year = digits(p, 0, 4), let month = digits(p, 5, 2), (1...12).contains(month), let day = digits(p, 8, 2),
                  let hour = digits(p, 11, 2), let minute = digits(p, 14, 2), let second = digits(p, 17, 2) else { return nil }
            let offset: Int
            if length == 20, p[19] == UInt8(ascii: "Z") {
                offset = 0
            } else if length == 25, let parsed = utcOffset(p + 19, colon: true) {
                offset = parsed
            } else {
                return nil
            }
            return epoch(year: year, month: month, day: day, hour: hour, minute: minute, second: second, offset: offset)
        }
        return nil
    }

    /// Seconds since the epoch of a civil time at a UTC offset in seconds; nil for impossible dates.
    @inline(__always)
    static func epoch(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, offset: Int) -> Int64? {
        guard day >= 1, day <= daysIn(month: month, year: year), hour < 24, minute < 60, second <= 60 else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        return Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second - offset)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    @inline(__always)
    public static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    @inline(__always)
    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    @inline(__always)
    static func digits(_ p: UnsafePointer<UInt8>, _ from: Int, _ count: Int) -> Int? {
        var value = 0
        for index in from..<(from + count) {
            let digit = Int(p[index]) &- 48
            guard digit >= 0, digit <= 9 else { return nil }
            value = value * 10 + digit
        }
        return value
    }

    /// `+hhmm` (or `+hh:mm` with `colon`) as seconds east of UTC.
    @inline(__always)
    static func utcOffset(_ p: UnsafePointer<UInt8>, colon: Bool) -> Int? {
        let sign: Int
        switch p[0] {
        case UInt8(ascii: "+"): sign = 1
        case UInt8(ascii: "-"): sign = -1
        default: return nil
        }
        guard let hours = digits(p, 1, 2), hours <= 23 else { return nil }
        if colon { guard p[3] == UInt8(ascii: ":") else { return nil } }
        guard let minutes = digits(p, colon ? 4 : 3, 2), minutes <= 59 else { return nil }
        return sign * (hours * 3600 + minutes * 60)
    }

    /// English month abbreviations as Apache and nginx write them (`Aug`), case as written.
    @inline(__always)
    static func monthNumber(_ p: UnsafePointer<UInt8>) -> Int? {
        let key = UInt32(p[0]) << 16 | UInt32(p[1]) << 8 | UInt32(p[2])
        switch key {
        case 0x4A_61_6E: return 1   // Jan
        case 0x46_65_62: return 2   // Feb
        case 0x4D_61_72: return 3   // Mar
        case 0x41_70_72: return 4   // Apr
        case 0x4D_61_79: return 5   // May
        case 0x4A_75_6E: return 6   // Jun
        case 0x4A_75_6C: return 7   // Jul
        case 0x41_75_67: return 8   // Aug
        case 0x53_65_70: return 9   // Sep
        case 0x4F_63_74: return 10  // Oct
        case 0x4E_6F_76: return 11  // Nov
        case 0x44_65_63: return 12  // Dec
        default: return nil
        }
    }
}
