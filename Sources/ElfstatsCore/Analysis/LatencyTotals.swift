/// The latencies one method counted in a round: how many calls had one, and their sum.
///
/// The report gives only `average = floor(sum / count)`, which loses the remainder; a
/// Prometheus summary's `_sum` and `_count` must add up exactly over the rounds, so they are
/// taken from the statistics before `finishRound` zeroes them.
public struct LatencyTotal: Sendable, Equatable {
    public var count: Int
    public var milliseconds: Int

    public init(count: Int, milliseconds: Int) {
        self.count = count
        self.milliseconds = milliseconds
    }
}

extension LogAnalyzer {
    /// Per method id (the report section's name after `method_`), the latencies counted in the
    /// round so far. Read it before `finishRound`, which starts the next round at zero.
    public var latencyTotals: [String: LatencyTotal] {
        var totals: [String: LatencyTotal] = [:]
        totals.reserveCapacity(registry.methods.count)
        for method in registry.methods {
            totals[method.id] = LatencyTotal(count: method.latencies.count, milliseconds: method.latencies.sum)
        }
        return totals
    }
}
