/// All latencies of one method in one round, kept as a count per distinct millisecond value.
///
/// Latencies are whole milliseconds, so this holds exactly what a sorted list would, and gives
/// exact percentiles, in memory bounded by the number of distinct values instead of the number
/// of calls. Values below `denseLimit` (16 s, where nearly all calls fall) are counted in an
/// array that grows only as far as the largest value seen; the rare slower ones in a dictionary.
///
/// A log may hold any latencies, so the dictionary is bounded too: past `exactSlowValues`
/// distinct values in a round, the values of 16,384 ms and more are counted in 64 buckets per
/// power of two (1,088 counters, 8.5 KB), and percentiles among them are the bucket's middle,
/// within 0.8 % of the true value (`longest` stays exact). A method then takes at most 64 KB of
/// dense counters plus the dictionary of 1,024 values or the buckets, whatever the log holds.
///
/// No arithmetic here can overflow: values are at most `Latency.maximumMilliseconds` (2^31 - 1),
/// the sum is kept in 128 bits, and a dense counter that passes 2^32 - 1 carries into `carries`.
public struct LatencyHistogram: Sendable {
    static let denseLimit = 16_384
    /// Distinct values kept exactly in the dictionary per round.
    static let exactSlowValues = 1024
    /// Buckets per power of two once the dictionary is full.
    static let bucketsPerOctave = 64

    var dense: [UInt32] = []
    var sparse: [Int: Int] = [:]
    /// 2^32 calls per dense value each time its 32-bit counter wrapped (one value taken more
    /// than 4.29 billion times in a round: a day-long interval on a very busy server).
    var carries: [Int: Int] = [:]
    /// Counts of values from `denseLimit` on, by bucket; empty while the dictionary is exact.
    var slowBuckets: [Int] = []
    /// The most values the dictionary held this round (what merging parts needs to know).
    var largestDictionary = 0
    public internal(set) var count = 0
    /// The exact sum of the values.
    public internal(set) var wideSum: Int128 = 0
    /// The sum of the values, clamped to `Int.max` (reached only after 4.29 billion calls of
    /// 24.8 days each); `average` uses the exact `wideSum`.
    public var sum: Int { Int(clamping: wideSum) }
    public internal(set) var shortest = Int.max
    public internal(set) var longest = Int.min

    public init() {}

    @inline(__always)
    public mutating func add(_ milliseconds: Int) {
        // One call per add: a round's calls stay far below Int.max, so the count wraps
        // (no overflow check per line).
        count &+= 1
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
        if !slowBuckets.isEmpty {
            if milliseconds < Self.denseLimit {
                growDense(toHold: milliseconds)
                countDense(milliseconds, 1)
            } else {
                slowBuckets[Self.bucket(of: milliseconds)] += 1
            }
            return
        }
        guard milliseconds < Self.denseLimit, milliseconds < 64 || milliseconds < 4 * count else {
            sparse[milliseconds, default: 0] += 1
            if sparse.count > largestDictionary { largestDictionary = sparse.count }
            if sparse.count > Self.exactSlowValues { switchToBuckets() }
            return
        }
        growDense(toHold: milliseconds)
        countDense(milliseconds, 1)
    }

    /// Grows the dense array (doubling) to hold `value`, and moves the dictionary's values
    /// that now fit into it.
    mutating func growDense(toHold value: Int) {
        guard value >= dense.count else { return }
        var size = max(64, dense.count * 2)
        while size <= value { size *= 2 }
        dense.append(contentsOf: repeatElement(0, count: min(size, Self.denseLimit) - dense.count))
        for key in Array(sparse.keys) where key < dense.count {
            countDense(key, sparse[key]!)
            sparse[key] = nil
        }
    }

    /// Adds `times` to a dense counter, carrying what passes 32 bits.
    mutating func countDense(_ value: Int, _ times: Int) {
        let (wraps, rest) = times.quotientAndRemainder(dividingBy: 1 << 32)
        let (counted, wrapped) = dense[value].addingReportingOverflow(UInt32(rest))
        dense[value] = counted
        let carried = wraps + (wrapped ? 1 : 0)
        if carried > 0 { carries[value, default: 0] += carried << 32 }
    }

    /// The dictionary is full: slow values go to buckets from now on, small ones to the array.
    mutating func switchToBuckets() {
        slowBuckets = Array(repeating: 0, count: (31 - 14) * Self.bucketsPerOctave)
        growDense(toHold: Self.denseLimit - 1)
        for (value, times) in sparse { slowBuckets[Self.bucket(of: value)] += times }
        sparse = [:]
    }

    /// The bucket of a value from `denseLimit` (2^14) to 2^31 - 1: its power of two, and the
    /// next six bits.
    static func bucket(of value: Int) -> Int {
        let octave = Int.bitWidth - 1 - value.leadingZeroBitCount      // 14...30
        let sub = (value >> (octave - 6)) & (bucketsPerOctave - 1)
        return (octave - 14) * bucketsPerOctave + sub
    }

    /// The middle of a bucket.
    static func middle(ofBucket index: Int) -> Int {
        let octave = index / bucketsPerOctave + 14
        let sub = index % bucketsPerOctave
        let width = 1 << (octave - 6)
        return (bucketsPerOctave + sub) * width + width / 2
    }

    /// floor(sum / count), the original's average; nil without values.
    public var average: Int? { count > 0 ? Int(wideSum / Int128(count)) : nil }

    /// The percentiles `ps` (each 0...100; exact unless slow values were bucketed), in the same order; nil entries without values.
    public func percentiles(_ ps: [Int]) -> [Int?] {
        guard count > 0 else { return ps.map { _ in nil } }
        // Every rank any percentile needs, answered in one walk over the counts. A handful of
        // ranks: a sorted array, no Set or Dictionary (their hashing was a tenth of the
        // benchmark's report rendering), made in place in one allocation (growing arrays cost
        // 0.3 million instructions more for the benchmark's 102 methods, callgrind).
        var wanted: [Int] = []
        wanted.reserveCapacity(2 * ps.count)
        for p in ps {
            let scaled = (count - 1) * p
            wanted.append(scaled / 100)
            if scaled % 100 != 0 { wanted.append(scaled / 100 + 1) }
        }
        wanted.sort()
        var distinct = 0
        for index in wanted.indices where distinct == 0 || wanted[index] != wanted[distinct - 1] {
            wanted[distinct] = wanted[index]
            distinct += 1
        }
        wanted.removeLast(wanted.count - distinct)
        var valueAtRank: [Int] = []
        valueAtRank.reserveCapacity(wanted.count)
        var next = 0
        var seen = 0
        func visit(_ value: Int, _ times: Int) {
            seen += times
            while next < wanted.count, wanted[next] < seen {
                valueAtRank.append(value)
                next += 1
            }
        }
        // The walk stops once every wanted rank has its value: the highest percentile usually
        // lies far below the largest value, which sets how far `dense` reaches.
        if carries.isEmpty {
            // Sixteen counters at a time: a block holding no wanted rank is only summed (the
            // compiler adds four per step). Value by value, the walk took 0.26 million
            // instructions more for the benchmark's 102 methods (callgrind).
            var start = 0
            while start < dense.count, next < wanted.count {
                let end = min(start + 16, dense.count)
                var block = 0
                for value in start..<end { block &+= Int(dense[value]) }  // at most 16 · (2^32 - 1)
                if seen + block <= wanted[next] {
                    seen += block  // the counts so far, no more than `count`
                } else {
                    for value in start..<end where dense[value] > 0 {
                        visit(value, Int(dense[value]))
                        if next == wanted.count { break }
                    }
                }
                start = end
            }
        } else {
            for (value, times) in dense.enumerated() {
                let all = Int(times) + (carries[value] ?? 0)
                if all > 0 { visit(value, all) }
                if next == wanted.count { break }
            }
        }
        if next < wanted.count {
            for value in sparse.keys.sorted() { visit(value, sparse[value]!) }
            for (index, times) in slowBuckets.enumerated() where times > 0 {
                visit(min(max(Self.middle(ofBucket: index), shortest), longest), times)
            }
        }
        return ps.map { p in Percentile.of(p, count: count) { rank in valueAtRank[wanted.firstIndex(of: rank)!] } }
    }

    /// Empties the histogram for a new round, keeping its memory for the next one.
    public mutating func removeAll() {
        guard count > 0 else { return }
        // One memset rather than a bounds-checked store per value (measured: 37 instructions
        // per line on the 100,000-line benchmark under -O, where the loop was not vectorised).
        dense.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        sparse.removeAll()
        carries.removeAll()
        slowBuckets = []
        largestDictionary = 0
        count = 0
        wideSum = 0
        shortest = Int.max
        longest = Int.min
    }
}
