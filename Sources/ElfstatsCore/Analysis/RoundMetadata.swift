/// What the caller knows of a round that the analyzer cannot: when it started and how long the
/// work took (the core reads no clock), plus anything to add to `[metadata]`.
public struct RoundMetadata: Sendable {
    /// Round start, seconds since the epoch → `daemon_invoked`.
    public var invoked: Int64
    /// Seconds spent on this data file this round → `daemon_worked = 0.12 sec`.
    public var worked: Double
    /// Further `[metadata]` keys, e.g. `("error", "cannot open /var/log/httpd/access_log: ...")`.
    public var extra: [(key: String, value: String)]

    public init(invoked: Int64, worked: Double, extra: [(key: String, value: String)] = []) {
        self.invoked = invoked
        self.worked = worked
        self.extra = extra
    }
}
