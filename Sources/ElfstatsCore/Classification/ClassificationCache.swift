/// Remembers what the regexes made of recent requests, so that a request seen again (the same
/// page, the same API call, the same static file) is counted without running PCRE2 or building
/// its method key again.
///
/// What a request becomes depends on its bytes alone (the rules do not change while an analyzer
/// lives), so a remembered outcome is exactly the one the regexes would give, as long as its
/// method keeps its slot: when the registry frees a slot, `forgetAll` drops every entry at once
/// (an epoch number in each entry, so forgetting costs nothing per entry). The cache is
/// direct-mapped (one probe per line), with a second chance: a new request takes the place of an
/// entry only if that entry was not found again since it was written; otherwise it only takes
/// the entry's second chance away. So a stream of one-off requests (ids, query strings) does not
/// push out the frequent ones that share their slots (benchmark: 2,287 -> 2,271 instructions per
/// line). Requests longer than `longestKey` are not remembered.
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
        /// Whether the entry was found since it was written (its second chance).
        var used = false
        /// The cache's `epoch` when the entry was written; older entries are forgotten.
        var epoch: UInt16 = 0
    }

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
    @inline(__always)
    func outcome(of request: UnsafePointer<UInt8>, count: Int, hash: inout UInt64) -> Outcome? {
        guard count <= Self.longestKey else { return nil }
        let h = ByteKeyTable.wordHash(request, count)
        hash = h
        // in bounds: index = h & (capacity - 1), so 0 <= index < capacity (entries' and keys' size).
        let index = Int(truncatingIfNeeded: h) & (Self.capacity - 1)
        let entry = entries[index]
        guard entry.hash == h, Int(entry.length) == count, entry.epoch == epoch,
              Self.sameKey(keys + index * Self.longestKey, request, count: count) else { return nil }
        if !entry.used { entries[index].used = true }
        switch entry.outcome {
        case Self.skippedCode: return .skipped
        case Self.errorCode: return .error
        default: return .method(slot: Int(entry.outcome))
        }
    }

    /// Whether `count` bytes at `a` and `b` are equal. Keys of 16 to 32 bytes (most requests cut
    /// by `PathDepth`) are compared as four words, the last two ending at the last byte, without
    /// a loop; others with `bytesEqual` (kept apart from it, whose size decides inlining in the
    /// regex matchers).
    @inline(__always)
    static func sameKey(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, count: Int) -> Bool {
        guard count >= 16, count <= 32 else { return bytesEqual(a, b, count: count) }
        let left = UnsafeRawPointer(a), right = UnsafeRawPointer(b)
        // in bounds: the words cover 0..<16 and count - 16..<count, all within 0..<count
        // (16...32) on both sides.
        let third = count &- 16, last = count &- 8
        let difference =
            (left.loadUnaligned(as: UInt64.self) ^ right.loadUnaligned(as: UInt64.self))
            | (left.loadUnaligned(fromByteOffset: 8, as: UInt64.self) ^ right.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
            | (left.loadUnaligned(fromByteOffset: third, as: UInt64.self) ^ right.loadUnaligned(fromByteOffset: third, as: UInt64.self))
            | (left.loadUnaligned(fromByteOffset: last, as: UInt64.self) ^ right.loadUnaligned(fromByteOffset: last, as: UInt64.self))
        return difference == 0
    }

    /// Remembers the outcome of a request that `outcome(of:count:hash:)` did not know.
    @inline(__always)
    func remember(_ outcome: Outcome, of request: UnsafePointer<UInt8>, count: Int, hash: UInt64) {
        guard count <= Self.longestKey else { return }
        // in bounds: as in `outcome(of:count:hash:)`; count <= longestKey bytes go to the key's row.
        let index = Int(truncatingIfNeeded: hash) & (Self.capacity - 1)
        let code: Int32
        switch outcome {
        case .method(let slot): code = Int32(truncatingIfNeeded: slot)
        case .skipped: code = Self.skippedCode
        case .error: code = Self.errorCode
        case .regexLimit: return
        }
        if entries[index].used, entries[index].epoch == epoch {
            entries[index].used = false
            return
        }
        if count > 0 { (keys + index * Self.longestKey).update(from: request, count: count) }
        entries[index] = Entry(hash: hash, outcome: code, length: Int8(count), used: false, epoch: epoch)
    }
}
