/// Writes instants the way reports show them: `2013-08-08 11:00:00`, in the time zone given
/// (the daemon gives the machine's, as the original used, so they read like the server's own
/// clock). Pure arithmetic on the proleptic Gregorian calendar: no C library, no TZ.
public enum LocalTime {
    public static func format(_ epochSeconds: Int64, in zone: UTCOffsetRule) -> String {
        let local = epochSeconds + Int64(zone.secondsEastOfUTC(epochSeconds))
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let secondOfDay = local - days * 86_400
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(year)-\(two(month))-\(two(day)) "
            + "\(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60))"
    }

    /// Year, month (1...12) and day (1...31) of a day counted from 1970-01-01 (H. Hinnant's
    /// `civil_from_days`: eras of 400 years, each exactly 146,097 days).
    static func civilDate(daysSinceEpoch: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = daysSinceEpoch + 719_468                      // days since 0000-03-01
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097                       // 0...146096
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)  // from March 1
        let monthFromMarch = (5 * dayOfYear + 2) / 153               // 0 = March ... 11 = February
        let day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
        let month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
