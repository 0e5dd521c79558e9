/// Gives every group/method pair its statistics slot, and the slot its report id:
/// `group + "_" + method` with the forbidden symbols removed (`map.tiles`/`get` → `maptiles_get`).
///
/// Pairs are looked up by their raw bytes, so the id is worked out once per new pair, not per
/// line. Memory is bounded by the configuration, not by the URLs strangers send:
/// - at most `limit` (`max_methods`) ids hold a slot, plus the overflow method
///   (`elfstatsd_overflow`) that counts calls for which there was no room;
/// - a method without calls keeps its slot, and its report section with zero calls, for
///   `retention` (`idle_method_rounds`) rounds after the last round it had calls, so its graphs
///   do not vanish at once; then the slot is freed;
/// - when all `limit` slots are taken and a new id comes, it takes the slot of the method idle
///   longest (least recently used, by the last round with calls) among those without calls this
///   round; only when every method has calls this round does the call go to overflow. So a
///   method first seen in a later round is counted, and junk ids from a flood leave again;
/// - group and method are cut to `longestName` bytes (a Munin field name becomes part of an RRD
///   file name, which Linux limits to 255 bytes), and every control character in them is
///   replaced by `?` (see `LineSafeText`): an id never breaks a report or Munin line;
/// - the raw-pair lookup table is a cache of at most `4 × limit` pairs and 4 MB of key bytes,
///   emptied when it reaches either (and whenever a slot changes hands).
struct MethodRegistry {
    static let overflowGroup = "elfstatsd"
    static let overflowMethod = "overflow"
    /// Bytes of a group or of a method kept in an id.
    static let longestName = 128
    static let pairKeyBudget = 4 << 20

    /// Statistics by slot; a free slot holds an empty placeholder. Shared by copies of the
    /// registry (see `MethodSlots`): an independent copy is `copied()`.
    var slots = MethodSlots()
    /// Whether the slot holds a method.
    private var live: [Bool] = []
    /// The last round in which the slot's method had calls (its first round for a new one).
    private var lastUsed: [Int] = []
    private var freeSlots: [Int] = []
    private var liveCount = 0
    private var slotByPair = ByteKeyTable(capacity: 256)
    private var slotByID: [String: Int] = [:]
    private let forbidden: PCRE2Regex
    private let limit: Int
    private let retention: Int
    private(set) var round = 0
    /// This round's candidates for eviction, least recently used first, and the next to try.
    private var idleQueue: [Int] = []
    private var idleCursor = 0
    /// The slot calls go to when there is no room.
    private var overflowSlot: Int? = nil
    /// Whether calls this round found no room under the cap.
    private(set) var overflowedThisRound = false
    /// Set when a slot changed hands: whoever remembers slots (the classification cache, the
    /// aggregation slots) must forget them. The owner clears it.
    var slotsReassigned = false

    init(forbiddenSymbols: PCRE2Regex, limit: Int, retention: Int = 288) {
        forbidden = forbiddenSymbols
        self.limit = max(1, limit)
        self.retention = max(1, retention)
    }

    /// A registry that shares nothing with this one (the merge works on one, and may drop it).
    func copied() -> MethodRegistry {
        var copy = self
        copy.slots = slots.copied()
        return copy
    }

    /// The methods a report of this round shows: every live slot, in slot order.
    var methods: [MethodStatistics] {
        slots.indices.filter { live[$0] }.map { slots[$0] }
    }

    /// The slot of a pair given as bytes; `group` nil means the request had no group (`nogroup`).
    /// The pair is looked up where its bytes are: no key is built per call.
    @inline(__always)
    mutating func slot(group: UnsafeBufferPointer<UInt8>?, method: UnsafeBufferPointer<UInt8>) -> Int {
        let key = ByteKeyTable.PairKey(group, method)
        if let found = slotByPair.value(for: key) { return found }
        return newPair(key, group: group, method: method)
    }

    /// A pair not remembered by its bytes: found by its id (or given a slot), then remembered.
    private mutating func newPair(_ key: ByteKeyTable.PairKey, group: UnsafeBufferPointer<UInt8>?,
                                  method: UnsafeBufferPointer<UInt8>) -> Int {
        let slot = slot(group: group.map { String(decoding: $0, as: UTF8.self) } ?? "nogroup",
                        method: String(decoding: method, as: UTF8.self))
        // Calls without room are not remembered by pair: the table would hold every pair of a flood.
        if slot != overflowSlot {
            if slotByPair.count >= 4 * limit || slotByPair.arena.count + key.count > Self.pairKeyBudget { slotByPair.removeAll() }
            slotByPair.insert(key, value: slot)
        }
        return slot
    }

    /// Notes that a call is counted in `slot` (this round overflowed if it is the overflow
    /// method's) and returns it. Every counted call goes through here, however its slot was found.
    @inline(__always)
    mutating func noteUse(of slot: Int) -> Int {
        if slot == overflowSlot { overflowedThisRound = true }
        return slot
    }

    /// Whether `slot` is the overflow method's: calls there found no room this time, and may
    /// find it later, so whoever remembers slots must not remember this one.
    @inline(__always)
    func isOverflow(_ slot: Int) -> Bool { slot == overflowSlot }

    /// Pairs remembered by their bytes (bounded: see above).
    var pairCount: Int { slotByPair.count }

    /// The id of the method in `slot` (for `explain`).
    func id(ofSlot slot: Int) -> (id: String, group: String, method: String) {
        (slots[slot].id, slots[slot].group, slots[slot].method)
    }

    /// The slot of a pair given as strings (aggregation rules, and new byte pairs).
    mutating func slot(group rawGroup: String, method rawMethod: String) -> Int {
        let group = LineSafeText.cleaned(rawGroup, longest: Self.longestName)
        let method = LineSafeText.cleaned(rawMethod, longest: Self.longestName)
        let id = forbidden.removingMatches(from: group + "_" + method)
        if let slot = slotByID[id] { return slot }
        if liveCount < limit {
            return add(MethodStatistics(id: id, group: group, method: method), countsToLimit: true)
        }
        if let idle = takeIdleSlot() {
            install(MethodStatistics(id: id, group: group, method: method), in: idle, countsToLimit: true)
            return idle
        }
        if let overflowSlot { return overflowSlot }
        let slot = add(MethodStatistics(id: Self.overflowGroup + "_" + Self.overflowMethod,
                                        group: Self.overflowGroup, method: Self.overflowMethod), countsToLimit: false)
        overflowSlot = slot
        return slot
    }

    /// Frees the least recently used method without calls this round, and returns its slot.
    private mutating func takeIdleSlot() -> Int? {
        while idleCursor < idleQueue.count {
            let candidate = idleQueue[idleCursor]
            idleCursor += 1
            guard live[candidate], candidate != overflowSlot, slots[candidate].calls == 0 else { continue }
            free(candidate)
            freeSlots.removeLast()   // handed straight to the caller
            slotByPair.removeAll()
            return candidate
        }
        return nil
    }

    private mutating func add(_ statistics: MethodStatistics, countsToLimit: Bool) -> Int {
        let slot: Int
        if let reused = freeSlots.popLast() {
            slot = reused
        } else {
            slot = slots.count
            slots.append(statistics)
            live.append(false)
            lastUsed.append(round)
        }
        install(statistics, in: slot, countsToLimit: countsToLimit)
        return slot
    }

    private mutating func install(_ statistics: MethodStatistics, in slot: Int, countsToLimit: Bool) {
        slots[slot] = statistics
        live[slot] = true
        lastUsed[slot] = round
        if countsToLimit { liveCount += 1 }
        slotByID[statistics.id] = slot
    }

    private mutating func free(_ slot: Int) {
        slotByID[slots[slot].id] = nil
        if slot == overflowSlot { overflowSlot = nil } else { liveCount -= 1 }
        slots[slot] = MethodStatistics(id: "", group: "", method: "")
        live[slot] = false
        freeSlots.append(slot)
        // Pairs and cached outcomes may name the slot: the callers forget them all.
        slotsReassigned = true
    }

    @inline(__always)
    mutating func record(slot: Int, status: Int, latency: Int?, stalledAbove threshold: Int) {
        slots[slot].record(status: status, latency: latency, stalledAbove: threshold)
    }

    /// Zero counts for a new round. Methods with calls this round are marked used; those idle for
    /// `retention` rounds are freed; the rest wait, least recently used first, for new methods
    /// that find no free slot.
    mutating func startRound() {
        for slot in slots.indices where live[slot] {
            if slots[slot].calls > 0 { lastUsed[slot] = round }
        }
        round += 1
        for slot in slots.indices where live[slot] && round - lastUsed[slot] > retention { free(slot) }
        if slotsReassigned { slotByPair.removeAll() }
        for slot in slots.indices where live[slot] { slots[slot].reset() }
        idleQueue = slots.indices.filter { live[$0] }.sorted { (lastUsed[$0], $0) < (lastUsed[$1], $1) }
        idleCursor = 0
        overflowedThisRound = false
    }
}
