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

    /// The totals of `list` (`LogAnalyzer.latencyTotalList`) by method id.
    public static func byID(_ list: [(id: String, total: LatencyTotal)]) -> [String: LatencyTotal] {
        var totals: [String: LatencyTotal] = [:]
        totals.reserveCapacity(list.count)
        for (id, total) in list { totals[id] = total }
        return totals
    }
}

extension LogAnalyzer {
    /// Per method id (the report section's name after `method_`), the latencies counted in the
    /// round so far. Read it before `finishRound`, which starts the next round at zero.
    public var latencyTotals: [String: LatencyTotal] { LatencyTotal.byID(latencyTotalList) }

    /// The same as a list in slot order, which costs no hashing: the daemon keeps it for
    /// Prometheus each round, and the dictionary cost 0.27 million instructions on the
    /// 100,000-line benchmark (102 methods; the list: 0.1 million, callgrind).
    public var latencyTotalList: [(id: String, total: LatencyTotal)] {
        registry.methods.map { (id: $0.id, total: LatencyTotal(count: $0.latencies.count, milliseconds: $0.latencies.sum)) }
    }
}
