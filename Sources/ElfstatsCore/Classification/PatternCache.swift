/// Remembers where the pattern regexes found their values in recent request shapes (every digit
/// `0`, `DigitBlindness`), so that a request of a known shape (`/user/4711/profile` after
/// `/user/12/profile`... of the same digit count) has its values read at the same offsets without
/// running PCRE2: when every pattern regex treats all digits alike, requests of one shape get the
/// same search and the same capture offsets (proof in `DigitBlindness`), and the values are then
/// read from the request's own bytes.
///
/// Direct-mapped (one probe), the newest shape taking the entry: shapes are few (one per route and
/// digit count). Only outcomes with no undecided pattern (no regex at its limit) are kept, for at
/// most `maximumRules` rules and requests of at most `longestKey` bytes.
final class PatternCache {
    static let capacity = 1024
    static let longestKey = 64
    static let maximumRules = 4

    /// What was found in one shape: up to `maximumRules` (rule, start, end), offsets in the
    /// request, sixteen bits each in one word (rule 2 bits, start and end 7 bits each: offsets
    /// are at most `longestKey`, rules below `maximumRules`), so reading them touches no memory.
    struct Found {
        var count = 0
        var packed: UInt64 = 0

        /// The `index`-th value found (`index < count`).
        @inline(__always)
        func value(_ index: Int) -> (rule: Int, range: Range<Int>) {
            let bits = Int(truncatingIfNeeded: packed &>> UInt64(truncatingIfNeeded: index &* 16)) & 0xFFFF
            // start <= end by construction (`append`).
            return (bits &>> 14, Range(uncheckedBounds: ((bits &>> 7) & 0x7F, bits & 0x7F)))
        }

        /// Adds a value (`count < maximumRules`, `rule < maximumRules`, offsets at most `longestKey`).
        mutating func append(rule: Int, range: Range<Int>) {
            precondition(count < PatternCache.maximumRules && rule < PatternCache.maximumRules && range.upperBound <= PatternCache.longestKey)
            let bits = UInt64(rule) << 14 | UInt64(range.lowerBound) << 7 | UInt64(range.upperBound)
            packed |= bits << UInt64(16 * count)
            count += 1
        }
    }

    private struct Entry {
        var hash: UInt64 = 0
        /// Key length, or -1 for an empty entry.
        var length = -1
        var found = Found()
    }

    private let entries: UnsafeMutablePointer<Entry>
    private let keys: UnsafeMutablePointer<UInt8>

    init() {
        entries = .allocate(capacity: Self.capacity)
        entries.initialize(repeating: Entry(), count: Self.capacity)
        keys = .allocate(capacity: Self.capacity * Self.longestKey)
    }

    deinit {
        entries.deallocate()
        keys.deallocate()
    }

    /// What was found in the shape `shape[0..<count]` (`count <= longestKey`), or nil; `hash` is
    /// then where to `remember` it.
    func found(in shape: UnsafePointer<UInt8>, count: Int, hash: inout UInt64) -> Found? {
        let h = ByteKeyTable.wordHash(shape, count)
        hash = h
        // in bounds: index = h & (capacity - 1) < capacity, the size of entries and keys.
        let index = Int(truncatingIfNeeded: h) & (Self.capacity - 1)
        let entry = entries[index]
        guard entry.hash == h, entry.length == count,
              keyBytesEqual(keys + index * Self.longestKey, shape, count: count) else { return nil }
        return entry.found
    }

    /// Remembers what was found in a shape `found(in:count:hash:)` did not know.
    func remember(_ found: Found, in shape: UnsafePointer<UInt8>, count: Int, hash: UInt64) {
        // in bounds: as in `found(in:count:hash:)`; count <= longestKey bytes go to the key's row.
        let index = Int(truncatingIfNeeded: hash) & (Self.capacity - 1)
        if count > 0 { (keys + index * Self.longestKey).update(from: shape, count: count) }
        entries[index] = Entry(hash: hash, length: count, found: found)
    }
}
