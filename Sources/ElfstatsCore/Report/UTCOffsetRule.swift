/// How far local time is from UTC at a given instant: the time zone reports are written in.
///
/// The core reads no time zone (no TZ, no /etc/localtime): whoever builds reports says which
/// one. ElfstatsRuntime passes the machine's (`UTCOffsetRule.system`, from the C library's
/// rules, so that reports read like the server's own clock, as the original's did); tests pass
/// a fixed offset and need not change the process's TZ.
public struct UTCOffsetRule: Sendable {
    /// Seconds east of UTC at the instant (seconds since the epoch).
    public let secondsEastOfUTC: @Sendable (Int64) -> Int

    public init(secondsEastOfUTC: @escaping @Sendable (Int64) -> Int) {
        self.secondsEastOfUTC = secondsEastOfUTC
    }

    /// The same offset at every instant, e.g. `fixed(seconds: 7200)` for UTC+02:00.
    public static func fixed(seconds: Int) -> UTCOffsetRule {
        UTCOffsetRule { _ in seconds }
    }

    public static let utc = fixed(seconds: 0)
}
