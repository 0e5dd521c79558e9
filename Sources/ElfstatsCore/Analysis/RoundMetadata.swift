/// What the caller knows of a round that the analyzer cannot: when it started, how long the
/// work took (the core reads no clock) and the time zone to write times in (the core reads no
/// time zone), plus anything to add to `[metadata]`.
public struct RoundMetadata: Sendable {
    /// Round start, seconds since the epoch → `daemon_invoked`.
    public var invoked: Int64
    /// Seconds spent on this data file this round → `daemon_worked = 0.12 sec`.
    public var worked: Double
    /// Further `[metadata]` keys, e.g. `("error", "cannot open /var/log/httpd/access_log: ...")`.
    public var extra: [(key: String, value: String)]
    /// The time zone of `daemon_invoked`, `first_record` and `last_record`. The daemon passes
    /// the machine's (`UTCOffsetRule.system`); UTC by default, so a report the core builds alone
    /// does not depend on where it runs.
    public var timeZone: UTCOffsetRule

    public init(invoked: Int64, worked: Double, extra: [(key: String, value: String)] = [], timeZone: UTCOffsetRule = .utc) {
        self.invoked = invoked
        self.worked = worked
        self.extra = extra
        self.timeZone = timeZone
    }
}
