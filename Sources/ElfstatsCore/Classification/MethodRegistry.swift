/// Gives every group/method pair its statistics slot, and the slot its report id:
/// `group + "_" + method` with the forbidden symbols removed (`map.tiles`/`get` → `maptiles_get`).
///
/// Pairs are looked up by their raw bytes, so the id is worked out once per new pair, not per
/// line. The number of distinct ids is capped (`max_methods`): past it, calls are counted in one
/// overflow method, so a flood of odd URLs cannot grow the daemon without bound.
struct MethodRegistry {
    static let overflowGroup = "elfstatsd"
    static let overflowMethod = "overflow"

    private(set) var methods: [MethodStatistics] = []
    private var slotByPair = ByteKeyTable(capacity: 256)
    private var slotByID: [String: Int] = [:]
    private var scratch = [UInt8](repeating: 0, count: 512)
    private let forbidden: PCRE2Regex
    private let limit: Int
    /// The slot calls go to once the cap is reached.
    private var overflowSlot: Int? = nil
    /// Whether calls this round found no room under the cap.
    private(set) var overflowedThisRound = false

    init(forbiddenSymbols: PCRE2Regex, limit: Int) {
        forbidden = forbiddenSymbols
        self.limit = limit
    }

    /// The slot of a pair given as bytes; `group` nil means the request had no group (`nogroup`).
    @inline(__always)
    mutating func slot(group: UnsafeBufferPointer<UInt8>?, method: UnsafeBufferPointer<UInt8>) -> Int {
        // The key is [has group][group bytes] 0 [method bytes], built in a reused buffer.
        let length = 2 + (group?.count ?? 0) + method.count
        if length > scratch.count { scratch = [UInt8](repeating: 0, count: length * 2) }
        let found: Int? = scratch.withUnsafeMutableBufferPointer { buffer in
            let key = buffer.baseAddress!
            var position = 1
            if let group {
                key[0] = 1
                if group.count > 0 { (key + 1).update(from: group.baseAddress!, count: group.count) }
                position += group.count
            } else {
                key[0] = 0
            }
            key[position] = 0
            position += 1
            if method.count > 0 { (key + position).update(from: method.baseAddress!, count: method.count) }
            return slotByPair.value(for: key, count: length)
        }
        if let found { return found }
        let slot = slot(group: group.map { String(decoding: $0, as: UTF8.self) } ?? "nogroup",
                        method: String(decoding: method, as: UTF8.self))
        scratch.withUnsafeBufferPointer { _ = slotByPair.insert($0.baseAddress!, count: length, value: slot) }
        return slot
    }

    /// Notes that a call is counted in `slot` (this round overflowed if it is the overflow
    /// method's) and returns it. Every counted call goes through here, however its slot was found.
    @inline(__always)
    mutating func noteUse(of slot: Int) -> Int {
        if slot == overflowSlot { overflowedThisRound = true }
        return slot
    }

    /// The slot of a pair given as strings (aggregation rules, and new byte pairs).
    mutating func slot(group: String, method: String) -> Int {
        let id = forbidden.removingMatches(from: group + "_" + method)
        if let slot = slotByID[id] { return slot }
        if slotByID.count >= limit {
            if let overflowSlot { return overflowSlot }
            let slot = add(MethodStatistics(id: Self.overflowGroup + "_" + Self.overflowMethod,
                                            group: Self.overflowGroup, method: Self.overflowMethod))
            overflowSlot = slot
            return slot
        }
        return add(MethodStatistics(id: id, group: group, method: method))
    }

    private mutating func add(_ statistics: MethodStatistics) -> Int {
        methods.append(statistics)
        slotByID[statistics.id] = methods.count - 1
        return methods.count - 1
    }

    @inline(__always)
    mutating func record(slot: Int, status: Int, latency: Int?, stalledAbove threshold: Int) {
        methods[slot].record(status: status, latency: latency, stalledAbove: threshold)
    }

    /// Zero counts for a new round; known methods stay.
    mutating func startRound() {
        for index in methods.indices { methods[index].reset() }
        overflowedThisRound = false
    }
}

extension ByteKeyTable {
    @inline(__always)
    static func value(in table: ByteKeyTable, _ key: UnsafeBufferPointer<UInt8>) -> Int? {
        table.value(for: key.baseAddress!, count: key.count)
    }
}
