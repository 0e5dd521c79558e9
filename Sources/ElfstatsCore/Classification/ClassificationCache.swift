/// Remembers what the regexes made of recent requests, so that a request seen again (the same
/// page, the same API call, the same static file) is counted without running PCRE2 or building
/// its method key again.
///
/// What a request becomes depends on its bytes alone (the rules do not change while an analyzer
/// lives), so a remembered outcome is exactly the one the regexes would give, as long as its
/// method keeps its slot: when the registry frees a slot, `forgetAll` drops every entry at once
/// (an epoch number in each entry, so forgetting costs nothing per entry). The cache is two-way
/// set-associative: a request's hash picks a pair of neighbouring entries (one probe, a second
/// when the first holds another request), so two frequent requests whose hashes meet both stay
/// (benchmark: direct-mapped, such pairs made 1,700 of the 2,100 misses of `/content/...`
/// requests in 100,000 lines; see the commit that made it two-way). Each entry has a second
/// chance: a new request takes an empty entry of its pair, else one not found again since it
/// was written; when both were found again, it only takes their second chances away. So a
/// stream of one-off requests (ids, query strings) does not push out the frequent ones that
/// share their pairs (benchmark: 2,287 -> 2,271 instructions per line, direct-mapped).
/// Requests longer than `longestKey` are not remembered.
///
/// When the regexes treat all digits alike (`DigitBlindness`), a request first classified is
/// remembered twice: for itself, and for its shape (every digit `0`, marked so) when its method
/// holds no digit. A request the cache does not know is then looked up by its shape: a new id
/// in a path (`/user/4711/profile`) is found as `/user/0000/profile`. Every entry lies where the
/// hash of its key bytes puts it; a request found by its own bytes may be answered by a shape's
/// entry (it is that shape), one found by its shape only by a shape's.
final class ClassificationCache {
    /// What a request became.
    enum Outcome: Equatable {
        /// Counted in the method with this statistics slot.
        case method(slot: Int)
        /// A skip regex matched.
        case skipped
        /// No regex matched, or a valid one without its `method` group: an error record.
        case error
        /// A regex reached its match or depth limit: an error record, never remembered (the
        /// limits are per match, so the outcome says nothing about the request alone).
        case regexLimit
    }

    /// 8,192 entries: 640 KB per analyzer (16-byte entries, 64-byte keys). Measured on the
    /// benchmark: 4,096 -> 8,192 entries saved 13 instructions per line (1,765 -> 1,752) at the
    /// same speed (`once` on 1 M lines, median of 11 interleaved runs: 0.205 s vs 0.202 s) and
    /// +0.2 MB peak RSS; 16,384 saved 22 but ran slower (0.213 s): its 1.3 MB miss the caches.
    static let capacity = 8192
    static let longestKey = 64

    private struct Entry {
        var hash: UInt64 = 0
        /// A slot (>= 0), `skippedCode` or `errorCode`.
        var outcome: Int32 = 0
        /// Key length (at most `longestKey`), or -1 for an empty entry.
        var length: Int8 = -1
        /// `usedMark`: the entry was found since it was written (its second chance);
        /// `shapeMark`: its key is a request shape, every digit `0` (see below). One byte, so an
        /// entry stays 16 bytes.
        var marks: UInt8 = 0
        /// The cache's `epoch` when the entry was written; older entries are forgotten.
        var epoch: UInt16 = 0
    }

    private static let usedMark: UInt8 = 1
    private static let shapeMark: UInt8 = 2
    private static let skippedCode: Int32 = -1
    private static let errorCode: Int32 = -2

    private let entries: UnsafeMutablePointer<Entry>
    private let keys: UnsafeMutablePointer<UInt8>
    private var epoch: UInt16 = 0

    /// Forgets every remembered outcome (a method's slot changed hands).
    func forgetAll() {
        epoch &+= 1
        // After 65,536 generations an old entry's epoch would look current again.
        if epoch == 0 { entries.update(repeating: Entry(), count: Self.capacity) }
    }

    init() {
        entries = .allocate(capacity: Self.capacity)
        entries.initialize(repeating: Entry(), count: Self.capacity)
        keys = .allocate(capacity: Self.capacity * Self.longestKey)
    }

    deinit {
        entries.deallocate()
        keys.deallocate()
    }

    /// The remembered outcome of the request, or nil; `hash` is then where to `remember` it.
    func outcome(of request: UnsafePointer<UInt8>, count: Int, hash: inout UInt64) -> Outcome? {
        if let found = firstOutcome(of: request, count: count, hash: &hash) { return found }
        return count <= Self.longestKey ? secondOutcome(of: request, count: count, hash: hash) : nil
    }

    /// The outcome remembered in the first entry of the request's pair, or nil (then ask
    /// `secondOutcome` before classifying it); `hash` is then where to `remember` it. The line
    /// loop inlines this probe and calls out of line for the rest, as it does for a miss: with
    /// both probes in line it was no longer inlined (+16 instructions per line on the benchmark).
    @inline(__always)
    func firstOutcome(of request: UnsafePointer<UInt8>, count: Int, hash: inout UInt64) -> Outcome? {
        guard count <= Self.longestKey else { return nil }
        let h = ByteKeyTable.wordHash(request, count)
        hash = h
        // in bounds: the pair is first = h & (capacity - 2), even, and first + 1 < capacity
        // (capacity is even): both lie in entries' and keys' size.
        let first = Int(truncatingIfNeeded: h) & (Self.capacity - 2)
        return answer(at: first, key: request, count: count, hash: h)
    }

    /// The outcome remembered in the second entry of the request's pair (`hash` from
    /// `firstOutcome`, `count <= longestKey`), or nil.
    @inline(__always)
    func secondOutcome(of request: UnsafePointer<UInt8>, count: Int, hash: UInt64) -> Outcome? {
        // in bounds: index = (hash & (capacity - 2)) | 1 < capacity (see `firstOutcome`).
        let index = (Int(truncatingIfNeeded: hash) & (Self.capacity - 2)) | 1
        return answer(at: index, key: request, count: count, hash: hash)
    }

    /// The outcome remembered for a request shape (every digit `0`; `DigitBlindness`) in
    /// either entry of its pair, or nil; `hash` is then where to `remember` it. Only an entry
    /// remembered for a shape answers: an entry remembered for one request with digits holds
    /// for that request alone.
    func outcome(ofShape shape: UnsafePointer<UInt8>, count: Int, hash: inout UInt64) -> Outcome? {
        guard count <= Self.longestKey else { return nil }
        let h = ByteKeyTable.wordHash(shape, count)
        hash = h
        // in bounds: as in `firstOutcome`.
        let first = Int(truncatingIfNeeded: h) & (Self.capacity - 2)
        return answer(at: first, key: shape, count: count, hash: h, shapesOnly: true)
            ?? answer(at: first | 1, key: shape, count: count, hash: h, shapesOnly: true)
    }

    /// The outcome in the entry at `index` (a valid index) when it holds the key `key[0..<count]`
    /// with hash `hash`, written this epoch (and, with `shapesOnly`, for a request shape); it is
    /// then marked as found again (its second chance).
    @inline(__always)
    private func answer(at index: Int, key: UnsafePointer<UInt8>, count: Int, hash: UInt64, shapesOnly: Bool = false) -> Outcome? {
        let entry = entries[index]
        guard !shapesOnly || entry.marks & Self.shapeMark != 0, entry.hash == hash, Int(entry.length) == count,
              entry.epoch == epoch, keyBytesEqual(keys + index * Self.longestKey, key, count: count) else { return nil }
        if entry.marks & Self.usedMark == 0 { entries[index].marks |= Self.usedMark }
        return Self.decoded(entry.outcome)
    }

    @inline(__always)
    private static func decoded(_ code: Int32) -> Outcome {
        switch code {
        case skippedCode: return .skipped
        case errorCode: return .error
        default: return .method(slot: Int(code))
        }
    }

    /// Remembers the outcome of a request that `outcome(of:count:hash:)` did not know; with
    /// `shape`, for the request shape `request` (every digit `0`; `hash` its hash).
    @inline(__always)
    func remember(_ outcome: Outcome, of request: UnsafePointer<UInt8>, count: Int, hash: UInt64, shape: Bool = false) {
        guard count <= Self.longestKey else { return }
        // in bounds: as in `outcome(of:count:hash:)`; count <= longestKey bytes go to the key's row.
        let first = Int(truncatingIfNeeded: hash) & (Self.capacity - 2)
        let code: Int32
        switch outcome {
        case .method(let slot): code = Int32(truncatingIfNeeded: slot)
        case .skipped: code = Self.skippedCode
        case .error: code = Self.errorCode
        case .regexLimit: return
        }
        // An empty (or forgotten) entry of the pair, else one without its second chance.
        let index: Int
        if entries[first].length < 0 || entries[first].epoch != epoch {
            index = first
        } else if entries[first | 1].length < 0 || entries[first | 1].epoch != epoch {
            index = first | 1
        } else if entries[first].marks & Self.usedMark == 0 {
            index = first
        } else if entries[first | 1].marks & Self.usedMark == 0 {
            index = first | 1
        } else {
            entries[first].marks &= ~Self.usedMark
            entries[first | 1].marks &= ~Self.usedMark
            return
        }
        if count > 0 { (keys + index * Self.longestKey).update(from: request, count: count) }
        entries[index] = Entry(hash: hash, outcome: code, length: Int8(count), marks: shape ? Self.shapeMark : 0, epoch: epoch)
    }
}
