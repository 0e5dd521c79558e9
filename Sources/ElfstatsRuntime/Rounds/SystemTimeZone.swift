/// The machine's time zone, as the C library knows it (TZ, else /etc/localtime), for the times
/// the daemon writes in reports and in its own log.
import ElfstatsCore

extension UTCOffsetRule {
    /// The offset `localtime_r` gives at each instant, daylight saving time included. The C
    /// library reads TZ and the zone file itself, in every form it accepts (`Europe/Amsterdam`,
    /// `:Europe/Amsterdam`, `CET-1CEST,M3.5.0,M10.5.0/3`), so elfstatsd agrees with `date`.
    public static let system = UTCOffsetRule { epochSeconds in
        var seconds = time_t(epochSeconds)
        var parts = tm()
        guard localtime_r(&seconds, &parts) != nil else { return 0 }
        return Int(parts.tm_gmtoff)
    }
}

extension LocalTime {
    /// `2013-08-08 11:00:00` in the machine's time zone.
    public static func format(_ epochSeconds: Int64) -> String {
        format(epochSeconds, in: .system)
    }
}
