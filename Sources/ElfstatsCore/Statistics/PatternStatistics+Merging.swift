extension PatternStatistics {
    /// Adds the matches of `other`, counted over a later part of the same log: exactly what
    /// counting its values after this one's would give.
    ///
    /// The statistics are order-free: `total` adds; the exact set holds each distinct hash once
    /// whatever the order, and goes over to the sketch exactly when the number of distinct
    /// hashes first passes `limit`, which depends only on the set seen so far; the sketch's
    /// registers are the maximum over the hashes poured or added into them, so a sketch of the
    /// union is the register-wise maximum of the two sides (a side still exact is poured into a
    /// sketch of its own first). Memory stays bounded: the union is built in this set, which is
    /// turned into a sketch as soon as it passes `limit`, as when counting.
    mutating func absorb(_ other: PatternStatistics) {
        precondition(other.limit == limit, "patterns of one configuration")
        total += other.total
        if sketch == nil, other.sketch == nil {
            other.exact.forEach { hash in
                if sketch != nil {
                    sketch!.add(hash)
                    return
                }
                exact.insert(hash)
                if exact.count > limit { pourIntoSketch() }
            }
            return
        }
        if sketch == nil { pourIntoSketch() }
        if let theirs = other.sketch {
            sketch!.formMaximum(theirs)
        } else {
            other.exact.forEach { sketch!.add($0) }
        }
    }

    /// Past `limit` distinct values: the set's hashes go into a new sketch, and the set is freed.
    private mutating func pourIntoSketch() {
        var estimate = HyperLogLog()
        exact.forEach { estimate.add($0) }
        sketch = estimate
        exact = HashSet()
    }
}

extension HyperLogLog {
    /// The sketch of the union of what both sketches saw: the larger register, one by one.
    mutating func formMaximum(_ other: HyperLogLog) {
        for index in registers.indices where other.registers[index] > registers[index] {
            registers[index] = other.registers[index]
        }
    }
}
