/// All latencies of one method in one round, kept as a count per distinct millisecond value.
///
/// Latencies are whole milliseconds, so this holds exactly what a sorted list would, and gives
/// exact percentiles, in memory bounded by the number of distinct values instead of the number
/// of calls. Values below `denseLimit` (16 s, where nearly all calls fall) are counted in an
/// array that grows only as far as the largest value seen; the rare slower ones in a dictionary.
///
/// No arithmetic here can overflow: values are at most `Latency.maximumMilliseconds` (2^31 - 1),
/// the sum is kept in 128 bits, and a dense counter that passes 2^32 - 1 carries into `carries`.
public struct LatencyHistogram: Sendable {
    static let denseLimit = 16_384

    private var dense: [UInt32] = []
    private var sparse: [Int: Int] = [:]
    /// 2^32 calls per dense value each time its 32-bit counter wrapped (one value taken more
    /// than 4.29 billion times in a round: a day-long interval on a very busy server).
    private var carries: [Int: Int] = [:]
    public private(set) var count = 0
    /// The exact sum of the values.
    public private(set) var wideSum: Int128 = 0
    /// The sum of the values, clamped to `Int.max` (reached only after 4.29 billion calls of
    /// 24.8 days each); `average` uses the exact `wideSum`.
    public var sum: Int { Int(clamping: wideSum) }
    public private(set) var shortest = Int.max
    public private(set) var longest = Int.min

    public init() {}

    @inline(__always)
    public mutating func add(_ milliseconds: Int) {
        count += 1
        wideSum &+= Int128(milliseconds)
        if milliseconds < shortest { shortest = milliseconds }
        if milliseconds > longest { longest = milliseconds }
        if milliseconds < dense.count {
            let (counted, wrapped) = dense[milliseconds].addingReportingOverflow(1)
            dense[milliseconds] = counted
            if wrapped { carries[milliseconds, default: 0] += 1 << 32 }
        } else {
            addBeyondDense(milliseconds)
        }
    }

    /// A value past the dense array: the array grows to hold it when it is small or the method
    /// has had calls enough (at least a quarter of the value), otherwise the value is counted in
    /// the dictionary. So a method's memory follows its calls (at most about 32 bytes per call
    /// beyond the first 64 values), and a thousand methods of one slow call each do not take
    /// 64 KB each. The dictionary holds only values at or past the array's end.
    private mutating func addBeyondDense(_ milliseconds: Int) {
        guard milliseconds < Self.denseLimit, milliseconds < 64 || milliseconds < 4 * count else {
            sparse[milliseconds, default: 0] += 1
            return
        }
        var size = max(64, dense.count * 2)
        while size <= milliseconds { size *= 2 }
        let oldSize = dense.count
        dense.append(contentsOf: repeatElement(0, count: min(size, Self.denseLimit) - oldSize))
        for value in Array(sparse.keys) where value < dense.count {
            dense[value] = UInt32(truncatingIfNeeded: sparse[value]!)
            let (wraps, _) = sparse[value]!.quotientAndRemainder(dividingBy: 1 << 32)
            if wraps > 0 { carries[value, default: 0] += wraps << 32 }
            sparse[value] = nil
        }
        dense[milliseconds] += 1
    }

    /// floor(sum / count), the original's average; nil without values.
    public var average: Int? { count > 0 ? Int(wideSum / Int128(count)) : nil }

    /// The exact percentiles `ps` (each 0...100), in the same order; nil entries without values.
    public func percentiles(_ ps: [Int]) -> [Int?] {
        guard count > 0 else { return ps.map { _ in nil } }
        // Every rank any percentile needs, answered in one walk over the counts.
        var ranks: [Int] = []
        for p in ps {
            let scaled = (count - 1) * p
            ranks.append(scaled / 100)
            if scaled % 100 != 0 { ranks.append(scaled / 100 + 1) }
        }
        let wanted = Array(Set(ranks)).sorted()
        var valueAtRank: [Int: Int] = [:]
        var next = 0
        var seen = 0
        func visit(_ value: Int, _ times: Int) {
            seen += times
            while next < wanted.count, wanted[next] < seen {
                valueAtRank[wanted[next]] = value
                next += 1
            }
        }
        for (value, times) in dense.enumerated() where times > 0 || !carries.isEmpty {
            let all = Int(times) + (carries.isEmpty ? 0 : carries[value] ?? 0)
            if all > 0 { visit(value, all) }
        }
        for value in sparse.keys.sorted() { visit(value, sparse[value]!) }
        return ps.map { p in Percentile.of(p, count: count) { valueAtRank[$0]! } }
    }

    /// Empties the histogram for a new round, keeping its memory for the next one.
    public mutating func removeAll() {
        guard count > 0 else { return }
        for index in dense.indices { dense[index] = 0 }
        sparse.removeAll()
        carries.removeAll()
        count = 0
        wideSum = 0
        shortest = Int.max
        longest = Int.min
    }
}
