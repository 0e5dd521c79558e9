extension LatencyHistogram {
    /// `base`, the histogram of one method after the first part of a log, with the values of
    /// `sources` added: the histograms the same method (or methods lumped into the overflow
    /// method) got from later parts, each counted from empty. Nil when the result could differ
    /// from adding the later values to `base` one by one, in the log's order.
    ///
    /// Counts, sums, shortest and longest add whatever the order, and so does the exact count per
    /// value, in the array or in the dictionary alike: the report cannot tell where a value was
    /// kept. One thing depends on the order: the switch to buckets once the dictionary holds more
    /// than `exactSlowValues` values. Where a value goes depends on the array's size and on the
    /// number of calls when it comes. Once switched, the state no longer depends on when: the
    /// array is full-size and every value from `denseLimit` on is in its bucket. So only whether
    /// the one-by-one run switches matters, and it is decided here without the order:
    /// - `base` switched: it did (it is that run's state after the first part);
    /// - a source switched and `base` did not: unknown, nil;
    /// - more than `exactSlowValues` distinct values from `denseLimit` on: it did, as those never
    ///   leave the dictionary;
    /// - otherwise it did not if the dictionary can never hold more than `exactSlowValues`
    ///   values. A later value v below `denseLimit` reaches it only when v >= 64, v is at or past
    ///   the array's end (at least `base`'s) and v >= 4 x calls (more than `base`'s): so the
    ///   dictionary holds at most `base`'s values and those candidates. And, the one-by-one run
    ///   always having at least the calls and the array of a source that started empty, a value
    ///   the run puts in its dictionary is in that source's dictionary too at that moment: so at
    ///   most `base`'s values plus, per source, the most its dictionary held (`largestDictionary`);
    /// - neither bound settles it: nil (the caller then reads those parts one by one).
    ///
    /// The array's size of the result (kept by `removeAll` into later rounds) is the largest of
    /// the inputs', which may differ from the one-by-one run's; it changes nothing this round.
    static func merging(_ sources: [LatencyHistogram], into base: LatencyHistogram) -> LatencyHistogram? {
        guard let switched = switchesWhenMerging(sources, into: base) else { return nil }
        var result = base
        var sources = sources
        result.absorb(&sources, switched: switched)
        return result
    }

    /// Whether `base` with the values of `sources` added one by one ends switched to buckets;
    /// nil when that depends on their order (see `merging`). Decided apart from `absorb`, so
    /// that every method of every part is checked before any histogram changes, and then each
    /// changes in place: merging the benchmark's 102 methods took 2.7 ms on copies of the
    /// arrays, 1.1 ms in place (measured).
    static func switchesWhenMerging(_ sources: [LatencyHistogram], into base: LatencyHistogram) -> Bool? {
        let sources = sources.filter { $0.count > 0 }
        guard !sources.isEmpty else { return base.isBucketed }
        let switched: Bool
        if base.isBucketed {
            switched = true
        } else if sources.contains(where: \.isBucketed) {
            return nil
        } else {
            var slow = Set(base.sparse.keys.filter { $0 >= denseLimit })
            for source in sources { slow.formUnion(source.sparse.keys.filter { $0 >= denseLimit }) }
            if slow.count > exactSlowValues {
                switched = true
            } else {
                let arrayEnd = max(64, base.dense.count)
                // 4 x (calls + 1): the call being added is counted before the test.
                let callBound = 4 * (base.count + 1)
                var candidates = Set(base.sparse.keys)
                var perSourceBound = base.sparse.count
                let lowest = max(arrayEnd, min(callBound, denseLimit))
                for source in sources {
                    var mine = 0
                    source.forEachValue(from: lowest) { value in
                        candidates.insert(value)
                        mine += 1
                    }
                    perSourceBound += min(mine, source.largestDictionary)
                }
                guard candidates.count <= exactSlowValues || perSourceBound <= exactSlowValues else { return nil }
                switched = false
            }
        }
        return switched
    }

    /// Adds the values of `sources`, ending switched to buckets or not as
    /// `switchesWhenMerging` decided. `sources` are spent: where one has a larger array than this
    /// histogram, the arrays change places (this one's counts are then added from the source),
    /// so that the larger array is taken over rather than this one grown to its size, which
    /// means a new allocation, a copy and fresh pages. Merging the benchmark's 102 methods grew
    /// some 35 arrays that way.
    mutating func absorb(_ sources: inout [LatencyHistogram], switched: Bool) {
        guard sources.contains(where: { $0.count > 0 }) else { return }
        var result = consume self
        defer { self = result }
        for source in sources where source.count > 0 {
            result.count += source.count
            result.wideSum += source.wideSum
            result.shortest = min(result.shortest, source.shortest)
            result.longest = max(result.longest, source.longest)
        }
        if switched {
            if !result.isBucketed { result.switchToBuckets() }
            for source in sources where source.count > 0 {
                result.addArray(of: source)
                for (value, times) in source.sparse {
                    if value < Self.denseLimit {
                        result.countDense(value, times)
                    } else {
                        result.slowBuckets[Self.bucket(of: value)] += times
                    }
                }
                for (index, times) in source.slowBuckets.enumerated() where times > 0 { result.slowBuckets[index] += times }
            }
            return
        }
        let counted = sources.indices.filter { sources[$0].count > 0 }
        if let largest = counted.max(by: { sources[$0].dense.count < sources[$1].dense.count }),
           sources[largest].dense.count > result.dense.count {
            // The counts of an array and its carries go together. The source keeps its own
            // dictionary and now holds this histogram's array, added below like any other.
            swap(&result.dense, &sources[largest].dense)
            swap(&result.carries, &sources[largest].carries)
            // As `growDense` would have: the dictionary's values that now fit go to the array.
            for key in Array(result.sparse.keys) where key < result.dense.count {
                result.countDense(key, result.sparse[key]!)
                result.sparse[key] = nil
            }
        }
        for index in counted {
            let source = sources[index]
            result.addArray(of: source)
            for (value, times) in source.sparse {
                if value < result.dense.count {
                    result.countDense(value, times)
                } else {
                    result.sparse[value, default: 0] += times
                }
            }
        }
        // Not switched, so at most `exactSlowValues` values from `denseLimit` on; keep the
        // dictionary within that bound as counting would.
        if result.sparse.count > Self.exactSlowValues, let largest = result.sparse.keys.filter({ $0 < Self.denseLimit }).max() {
            result.growDense(toHold: largest)
        }
        result.largestDictionary = max(result.largestDictionary, result.sparse.count)
    }

    /// Whether values from `denseLimit` on are counted in buckets.
    var isBucketed: Bool { !slowBuckets.isEmpty }

    /// Every distinct value from `lowest` on held exactly, in the array or the dictionary (the
    /// buckets are not visited).
    func forEachValue(from lowest: Int, _ body: (_ value: Int) -> Void) {
        if lowest < dense.count {
            let wrapped = !carries.isEmpty
            for value in lowest..<dense.count where dense[value] > 0 || (wrapped && carries[value] != nil) { body(value) }
        }
        for value in sparse.keys where value >= lowest { body(value) }
    }

    /// Adds the counts of `source`'s array, which is not larger than this one's, in one pass.
    /// Call it once `count` includes the source's calls: while it fits in 32 bits no counter can
    /// wrap, and the addition is a plain loop the compiler vectorises. (Value by value through
    /// `countDense`, merging the benchmark's 102 methods took 3.9 ms rather than 2.8 ms, both
    /// on copies; a part of its 1 M lines takes about 120 ms.)
    mutating func addArray(of source: LatencyHistogram) {
        precondition(source.dense.count <= dense.count)
        if count <= Int(UInt32.max), source.carries.isEmpty {
            dense.withUnsafeMutableBufferPointer { mine in
                source.dense.withUnsafeBufferPointer { theirs in
                    for index in theirs.indices { mine[index] &+= theirs[index] }
                }
            }
            return
        }
        var wrapped: [Int] = []
        dense.withUnsafeMutableBufferPointer { mine in
            source.dense.withUnsafeBufferPointer { theirs in
                for index in theirs.indices {
                    let (sum, overflow) = mine[index].addingReportingOverflow(theirs[index])
                    mine[index] = sum
                    if overflow { wrapped.append(index) }
                }
            }
        }
        for index in wrapped { carries[index, default: 0] += 1 << 32 }
        for (value, carried) in source.carries { countDense(value, carried) }
    }
}
