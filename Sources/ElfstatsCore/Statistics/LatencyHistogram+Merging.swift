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
        let sources = sources.filter { $0.count > 0 }
        guard !sources.isEmpty else { return base }
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
                for source in sources {
                    var mine = 0
                    source.forEachValue { value, _ in
                        guard value >= arrayEnd, value >= denseLimit || value >= callBound else { return }
                        candidates.insert(value)
                        mine += 1
                    }
                    perSourceBound += min(mine, source.largestDictionary)
                }
                guard candidates.count <= exactSlowValues || perSourceBound <= exactSlowValues else { return nil }
                switched = false
            }
        }

        var result = base
        for source in sources {
            result.count += source.count
            result.wideSum += source.wideSum
            result.shortest = min(result.shortest, source.shortest)
            result.longest = max(result.longest, source.longest)
        }
        if switched {
            if !result.isBucketed { result.switchToBuckets() }
            for source in sources {
                source.forEachValue { value, times in
                    if value < denseLimit {
                        result.countDense(value, times)
                    } else {
                        result.slowBuckets[bucket(of: value)] += times
                    }
                }
                for (index, times) in source.slowBuckets.enumerated() where times > 0 { result.slowBuckets[index] += times }
            }
            return result
        }
        let arraySize = sources.reduce(result.dense.count) { max($0, $1.dense.count) }
        if arraySize > result.dense.count { result.growDense(toHold: arraySize - 1) }
        for source in sources {
            source.forEachValue { value, times in
                if value < result.dense.count {
                    result.countDense(value, times)
                } else {
                    result.sparse[value, default: 0] += times
                }
            }
        }
        // Not switched, so at most `exactSlowValues` values from `denseLimit` on; keep the
        // dictionary within that bound as counting would.
        if result.sparse.count > exactSlowValues, let largest = result.sparse.keys.filter({ $0 < denseLimit }).max() {
            result.growDense(toHold: largest)
        }
        result.largestDictionary = max(result.largestDictionary, result.sparse.count)
        return result
    }

    /// Whether values from `denseLimit` on are counted in buckets.
    var isBucketed: Bool { !slowBuckets.isEmpty }

    /// Every value held exactly (in the array or the dictionary) with its number of calls; the
    /// buckets are not visited.
    func forEachValue(_ body: (_ value: Int, _ times: Int) -> Void) {
        for (value, times) in dense.enumerated() {
            let all = Int(times) + (carries.isEmpty ? 0 : carries[value] ?? 0)
            if all > 0 { body(value, all) }
        }
        for (value, times) in sparse { body(value, times) }
    }
}
