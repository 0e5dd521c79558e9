/// Wall-clock and monotonic time, in the units the daemon uses. (Named `SystemClock` so that it
/// does not shadow the standard library's `Clock` protocol in modules that import this one.)
import ElfstatsCore

public enum SystemClock {
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
