/// What one round saw of one method (`group_method`): its calls, stalled calls, latencies and
/// response codes. Only parsed records reach it.
public struct MethodStatistics: Sendable {
    /// The method id, also the report section's name after `method_`.
    public let id: String
    public let group: String
    public let method: String

    public internal(set) var calls = 0
    public internal(set) var stalledCalls = 0
    public internal(set) var latencies = LatencyHistogram()
    public internal(set) var statuses = StatusCounts()

    public init(id: String, group: String, method: String) {
        self.id = id
        self.group = group
        self.method = method
    }

    /// Counts one call; `latency` in ms or nil when the line had none.
    @inline(__always)
    mutating func record(status: Int, latency: Int?, stalledAbove threshold: Int) {
        // Counts of calls in one round, each a line of at least one byte that was read: far
        // below Int.max, so they wrap (no overflow check per line).
        calls &+= 1
        statuses.add(status)
        if let latency {
            latencies.add(latency)
            if latency > threshold { stalledCalls &+= 1 }
        }
    }

    /// Zero counts for the next round; the method keeps its place in the report.
    mutating func reset() {
        calls = 0
        stalledCalls = 0
        latencies.removeAll()
        statuses.removeAll()
    }
}
