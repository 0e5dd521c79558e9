/// Rounds start at multiples of the interval since the epoch, so a 300-second round ends at
/// :00, :05, ... just before Munin polls, whenever the daemon was started.
import ElfstatsCore

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
