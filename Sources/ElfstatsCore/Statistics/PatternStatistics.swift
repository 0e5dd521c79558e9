/// Matches of one extracted pattern in a round: how many, and how many distinct values.
///
/// Distinct values are counted exactly up to `limit` (`max_pattern_values`) and estimated past
/// it, so memory is bounded by the configuration and not by what strangers put in URLs:
/// - exactly: a set of 64-bit hashes of the values (8 bytes per value however long the value,
///   16 bytes of table per value at most). Two different values share a hash with probability
///   about n²/2^65: 3·10^-10 for the default 100,000 values, so the figure is exact in practice;
/// - past the limit: a HyperLogLog sketch of 2^14 one-byte registers (16 KB), which the set's
///   hashes are poured into and then freed. Its standard error is 1.04/√16384 = 0.81 %, so 95 %
///   of estimates lie within ±1.6 % of the true figure. `distinctIsEstimate` then says so, and
///   the report marks the figure (`NAME.distinct_estimated = 1`).
public struct PatternStatistics: Sendable {
    public let name: String
    public internal(set) var total = 0
    /// Past this many distinct values in a round, the figure is estimated.
    public let limit: Int
    var exact = HashSet()
    var sketch: HyperLogLog? = nil

    public init(name: String, limit: Int = 100_000) {
        self.name = name
        self.limit = max(1, limit)
    }

    /// Distinct values this round: exact, or estimated when `distinctIsEstimate`.
    public var distinct: Int { sketch.map { max($0.estimate, limit) } ?? exact.count }

    /// Whether `distinct` is a HyperLogLog estimate (more than `limit` distinct values).
    public var distinctIsEstimate: Bool { sketch != nil }

    mutating func record(_ value: UnsafePointer<UInt8>, count: Int) {
        total += 1
        let hash = HyperLogLog.mix(ByteKeyTable.hash(value, count))
        if sketch != nil {
            sketch!.add(hash)
            return
        }
        exact.insert(hash)
        if exact.count > limit {
            var estimate = HyperLogLog()
            exact.forEach { estimate.add($0) }
            sketch = estimate
            exact = HashSet()
        }
    }

    mutating func reset() {
        total = 0
        sketch = nil
        exact.removeAll()
    }
}

/// An open-addressing set of non-zero 64-bit hashes (0 marks an empty slot; a zero hash is
/// stored as 1).
struct HashSet: Sendable {
    private var slots: [UInt64] = []
    private(set) var count = 0

    mutating func insert(_ value: UInt64) {
        let key = value == 0 ? 1 : value
        if (count + 1) * 2 > slots.count { grow() }
        let mask = slots.count - 1
        var index = Int(truncatingIfNeeded: key) & mask
        while slots[index] != 0 {
            if slots[index] == key { return }
            index = (index + 1) & mask
        }
        slots[index] = key
        count += 1
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: 0, count: max(64, old.count * 2))
        count = 0
        for key in old where key != 0 { insert(key) }
    }

    func forEach(_ body: (UInt64) -> Void) {
        for key in slots where key != 0 { body(key) }
    }

    /// Forgets the values; a set that grew large gives its memory back.
    mutating func removeAll() {
        if slots.count > 1 << 16 {
            slots = []
        } else if count > 0 {
            for index in slots.indices { slots[index] = 0 }
        }
        count = 0
    }
}

/// HyperLogLog (Flajolet et al. 2007) with 2^14 registers and the small-range correction by
/// linear counting; standard error 1.04/√(2^14) = 0.81 %.
struct HyperLogLog: Sendable {
    static let precision = 14
    static let registerCount = 1 << precision
    var registers = [UInt8](repeating: 0, count: registerCount)

    /// A 64-bit finaliser (MurmurHash3's fmix64), so that every bit of the hash is well mixed
    /// whatever the byte hash leaves in its low or high bits.
    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var h = value
        h ^= h >> 33
        h = h &* 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        h = h &* 0xc4ce_b9fe_1a85_ec53
        h ^= h >> 33
        return h
    }

    mutating func add(_ hash: UInt64) {
        let index = Int(hash >> UInt64(64 - Self.precision))
        // The rank of the first 1 bit in the remaining 50 bits (the guard bit caps it at 51).
        let rest = (hash << UInt64(Self.precision)) | (1 << UInt64(Self.precision - 1))
        let rank = UInt8(rest.leadingZeroBitCount + 1)
        if rank > registers[index] { registers[index] = rank }
    }

    var estimate: Int {
        let m = Double(Self.registerCount)
        var sum = 0.0
        var zeros = 0
        for register in registers {
            sum += 1.0 / Double(UInt64(1) << UInt64(register))
            if register == 0 { zeros += 1 }
        }
        let alpha = 0.7213 / (1 + 1.079 / m)
        var value = alpha * m * m / sum
        if value <= 2.5 * m, zeros > 0 { value = m * log(m / Double(zeros)) }
        return Int(value.rounded())
    }
}
