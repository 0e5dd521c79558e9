extension MethodStatistics {
    /// Adds the calls, stalled calls and response codes of `other` (the same method, or a
    /// method lumped into the overflow method). The latencies are merged by the caller, with
    /// `LatencyHistogram.merging`, which may refuse.
    mutating func addCounts(of other: MethodStatistics) {
        calls += other.calls
        stalledCalls += other.stalledCalls
        statuses.add(other.statuses)
    }
}
