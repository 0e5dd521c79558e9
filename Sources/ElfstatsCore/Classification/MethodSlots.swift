/// The statistics of a registry's slots, in memory the registry owns: counting a call writes
/// them in place, without the copy-on-write uniqueness check an array of them needs per write
/// (a runtime call per counted line; benchmark: see the commit that made this).
///
/// A reference: copies of a `MethodRegistry` share it, so whoever needs an independent copy
/// (the merge, which may refuse and must then leave the registry as it was) takes `copied()`.
/// The registry is the only owner otherwise (it is internal to `LogAnalyzer`, which is not
/// thread-safe), and the statistics handed out (`MethodRegistry.methods`) are value copies.
final class MethodSlots {
    /// Slots `0..<count` are initialised; room for `capacity`.
    private(set) var base: UnsafeMutablePointer<MethodStatistics>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int = 16) {
        self.capacity = max(1, capacity)
        base = .allocate(capacity: self.capacity)
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    var indices: Range<Int> { 0..<count }

    /// An independent copy (the statistics' own arrays are copy-on-write values).
    func copied() -> MethodSlots {
        let copy = MethodSlots(capacity: count)
        copy.base.initialize(from: base, count: count)
        copy.count = count
        return copy
    }

    func append(_ statistics: MethodStatistics) {
        if count == capacity {
            let larger = UnsafeMutablePointer<MethodStatistics>.allocate(capacity: capacity * 2)
            larger.moveInitialize(from: base, count: count)
            base.deallocate()
            base = larger
            capacity *= 2
        }
        (base + count).initialize(to: statistics)
        count += 1
    }

    subscript(slot: Int) -> MethodStatistics {
        @inline(__always) get {
            precondition(slot >= 0 && slot < count, "slot out of range")
            return base[slot]
        }
        @inline(__always) _modify {
            precondition(slot >= 0 && slot < count, "slot out of range")
            yield &base[slot]
        }
    }
}
