#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Rounds start at multiples of the interval since the epoch, so a 300-second round ends at
/// :00, :05, ... just before Munin polls, whenever the daemon was started.
public struct RoundClock: Sendable, Equatable {
    public var interval: Int64

    public init(interval: Int) {
        self.interval = Int64(max(1, interval))
    }

    /// The latest round start at or before `time`.
    public func roundStart(atOrBefore time: Int64) -> Int64 {
        let remainder = time % interval
        return time - (remainder < 0 ? remainder + interval : remainder)
    }

    /// The first round start strictly after `time`.
    public func nextRoundStart(after time: Int64) -> Int64 {
        roundStart(atOrBefore: time) + interval
    }
}

/// Wall-clock and monotonic time, in the units the daemon uses.
public enum Clock {
    /// Seconds since the epoch. (Not `time()`, which may lag the precise clock by a tick and
    /// so disagree with the waiting about which side of a round start "now" is.)
    public static func now() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec)
    }

    /// Seconds since the epoch with a fraction, for waiting until a round start.
    public static func preciseNow() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// Seconds on a clock that never jumps, for measuring how long work took.
    public static func monotonic() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}
