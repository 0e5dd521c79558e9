/// A hash table from byte strings to small integers, built for the hot path: a lookup hashes the
/// bytes in place (no `String`, no `Array` per line) and the keys live in one growing arena.
///
/// Used to map a request's group/method bytes to its method's statistics, and to count the
/// distinct values of an extracted pattern.
public struct ByteKeyTable: Sendable {
    var slots: [Slot]
    var arena: [UInt8] = []
    var mask: Int
    public private(set) var count = 0

    struct Slot: Sendable {
        var hash: UInt64 = 0
        var offset: Int32 = -1
        var length: Int32 = 0
        var value: Int32 = 0
        /// For a `PairKey`, the length of its first part (-1 when absent); `singleKey` otherwise.
        /// (It fills what was padding: a slot stays 24 bytes.)
        var split: Int32 = ByteKeyTable.singleKey
    }

    static let singleKey: Int32 = -2

    /// A key of two parts, looked up where its bytes are (no copy into one buffer): an optional
    /// `first` part and a `second` one, as a method registry's group and method. `(nil, "a")`,
    /// `("", "a")` and `("a", "")` are three different keys.
    public struct PairKey {
        let first: UnsafePointer<UInt8>
        /// -1 when there is no first part.
        let firstCount: Int
        let second: UnsafePointer<UInt8>
        let secondCount: Int
        let hash: UInt64

        @inline(__always)
        public init(_ first: UnsafeBufferPointer<UInt8>?, _ second: UnsafeBufferPointer<UInt8>) {
            // A dangling pointer is never read: only `count` (0) bytes are.
            let none = UnsafePointer<UInt8>(bitPattern: 1)!
            self.first = first?.baseAddress ?? none
            firstCount = first?.count ?? -1
            self.second = second.baseAddress ?? none
            secondCount = second.count
            let head = firstCount >= 0 ? ByteKeyTable.wordHash(self.first, firstCount) : 0x5151_5151_5151_5151
            hash = (head &* 0x9E37_79B9_7F4A_7C15) ^ ByteKeyTable.wordHash(self.second, secondCount)
        }

        /// Bytes the key takes in the arena.
        var count: Int { max(firstCount, 0) + secondCount }
    }

    public init(capacity: Int = 64) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: Slot(), count: size)
        mask = size - 1
    }

    /// FNV-1a over the bytes, 8 at a time where possible, with a final mix.
    @inline(__always)
    static func hash(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        var index = 0
        let raw = UnsafeRawPointer(bytes)
        // `count` bytes are readable at `bytes`, so index + 8 cannot overflow: wrapping `&+`.
        // in bounds: each load covers index..<index + 8 <= count; the byte loop index < count.
        while index &+ 8 <= count {
            h = (h ^ raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)) &* 0x0000_0100_0000_01B3
            h ^= h >> 29
            index &+= 8
        }
        while index < count {
            h = (h ^ UInt64(bytes[index])) &* 0x0000_0100_0000_01B3
            index &+= 1
        }
        h ^= h >> 32
        h = h &* 0xd6e8_feb8_6659_fd93
        h ^= h >> 32
        return h
    }

    /// A hash of a short key that reads it in whole words, never byte by byte: the tail of a key
    /// is a last word that overlaps the one before, a key of 4 to 7 bytes is two overlapping
    /// 4-byte words, one of 1 to 3 bytes is its first, middle and last byte; the length is mixed
    /// in, so overlapping reads of different lengths do not collide. For the keys of the hot path
    /// (requests, group and method names: mostly under 40 bytes), this costs about a third of
    /// what `hash` does on their tails. Only for tables and caches whose hash is not seen outside
    /// them (`hash` stays what distinct pattern values are estimated from).
    @inline(__always)
    static func wordHash(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> UInt64 {
        let raw = UnsafeRawPointer(bytes)
        let multiplier: UInt64 = 0x0000_0100_0000_01B3
        var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(truncatingIfNeeded: count)
        // `count` bytes are readable at `bytes`, so offsets up to `count` cannot overflow: `&+`.
        if count >= 8 {
            // The words before the last, as the loop below reads them, without its loop for keys
            // of up to 32 bytes (the requests of the classification cache mostly): the same hash
            // (ByteSupportTests), 15 fewer instructions for a key of two words and a tail.
            // in bounds: each load covers index..<index + 8, and index + 8 < count.
            var index = 0
            if count <= 32 {
                if count > 8 {
                    h = (h ^ raw.loadUnaligned(as: UInt64.self)) &* multiplier
                    h ^= h >> 29
                    if count > 16 {
                        h = (h ^ raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)) &* multiplier
                        h ^= h >> 29
                        if count > 24 {
                            h = (h ^ raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self)) &* multiplier
                            h ^= h >> 29
                        }
                    }
                }
                index = count
            }
            while index &+ 8 < count {
                h = (h ^ raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)) &* multiplier
                h ^= h >> 29
                index &+= 8
            }
            // in bounds: count >= 8, so the last word count - 8..<count starts at 0 or later.
            h = (h ^ raw.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)) &* multiplier
        } else if count >= 4 {
            // in bounds: 4 <= count < 8, so both 0..<4 and count - 4..<count lie in 0..<count.
            let first = UInt64(raw.loadUnaligned(as: UInt32.self))
            let last = UInt64(raw.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self))
            h = (h ^ (first << 32 | last)) &* multiplier
        } else if count > 0 {
            // in bounds: 0 < count < 4, so 0, count / 2 and count - 1 are all below count.
            let spread = UInt64(bytes[0]) << 16 | UInt64(bytes[count >> 1]) << 8 | UInt64(bytes[count &- 1])
            h = (h ^ spread) &* multiplier
        }
        h ^= h >> 32
        h = h &* 0xd6e8_feb8_6659_fd93
        h ^= h >> 32
        return h
    }

    /// `bytesEqual` for the short parts of pair keys (group and method names): 4 to 7 bytes are
    /// two overlapping 4-byte words rather than a byte loop.
    @inline(__always)
    static func shortEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, count: Int) -> Bool {
        guard count >= 4, count < 8 else { return bytesEqual(a, b, count: count) }
        let left = UnsafeRawPointer(a), right = UnsafeRawPointer(b)
        // in bounds: 4 <= count < 8, so both 0..<4 and count - 4..<count lie in 0..<count.
        return left.loadUnaligned(as: UInt32.self) == right.loadUnaligned(as: UInt32.self)
            && left.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self) == right.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)
    }

    /// The value stored for the key, or nil.
    public func value(for bytes: UnsafePointer<UInt8>, count: Int) -> Int? {
        let h = Self.hash(bytes, count)
        return slots.withUnsafeBufferPointer { slots in
            var index = Int(truncatingIfNeeded: h) & mask
            while true {
                // in bounds: index = something & mask, and mask = slots.count - 1 (a power of two
                // minus one, set with `slots` in init and grow), so 0 <= index < slots.count.
                let slot = slots[index]
                if slot.offset < 0 { return nil }
                if slot.hash == h, slot.split == Self.singleKey, Int(slot.length) == count, equalKey(slot, bytes, count) { return Int(slot.value) }
                index = (index &+ 1) & mask
            }
        }
    }

    /// The value stored for a pair key, or nil.
    @inline(__always)
    public func value(for key: PairKey) -> Int? {
        slots.withUnsafeBufferPointer { slots in
            var index = Int(truncatingIfNeeded: key.hash) & mask
            while true {
                // in bounds: index = something & mask, and mask = slots.count - 1 (see `value(for:count:)`).
                let slot = slots[index]
                if slot.offset < 0 { return nil }
                if slot.hash == key.hash, Int(slot.split) == key.firstCount, Int(slot.length) == key.count, equalKey(slot, key) {
                    return Int(slot.value)
                }
                index = (index &+ 1) & mask
            }
        }
    }

    /// Stores `value` for a pair key that `value(for:)` did not find.
    public mutating func insert(_ key: PairKey, value: Int) {
        var index = Int(truncatingIfNeeded: key.hash) & mask
        while slots[index].offset >= 0 { index = (index + 1) & mask }
        let offset = arena.count
        if key.firstCount > 0 { arena.append(contentsOf: UnsafeBufferPointer(start: key.first, count: key.firstCount)) }
        arena.append(contentsOf: UnsafeBufferPointer(start: key.second, count: key.secondCount))
        slots[index] = Slot(hash: key.hash, offset: Int32(offset), length: Int32(key.count), value: Int32(value),
                            split: Int32(key.firstCount))
        noteInsertion()
    }

    @inline(__always)
    func equalKey(_ slot: Slot, _ key: PairKey) -> Bool {
        arena.withUnsafeBufferPointer { stored in
            // in bounds: the slot's `length` bytes from `offset` were appended to the arena for this
            // key, and `length` = max(firstCount, 0) + secondCount (checked by the caller).
            let start = stored.baseAddress! + Int(slot.offset)
            let head = max(key.firstCount, 0)
            return Self.shortEqual(start, key.first, count: head) && Self.shortEqual(start + head, key.second, count: key.secondCount)
        }
    }

    /// Stores `value` for the key unless it is already there; returns the value now stored and
    /// whether it was inserted.
    @discardableResult
    public mutating func insert(_ bytes: UnsafePointer<UInt8>, count: Int, value: Int) -> (value: Int, inserted: Bool) {
        let h = Self.hash(bytes, count)
        var index = Int(truncatingIfNeeded: h) & mask
        while true {
            let slot = slots[index]
            if slot.offset < 0 { break }
            if slot.hash == h, slot.split == Self.singleKey, Int(slot.length) == count, equalKey(slot, bytes, count) { return (Int(slot.value), false) }
            index = (index + 1) & mask
        }
        let offset = arena.count
        arena.append(contentsOf: UnsafeBufferPointer(start: bytes, count: count))
        slots[index] = Slot(hash: h, offset: Int32(offset), length: Int32(count), value: Int32(value))
        noteInsertion()
        return (value, true)
    }

    mutating func noteInsertion() {
        count += 1
        if count * 2 > slots.count { grow() }
    }

    @inline(__always)
    func equalKey(_ slot: Slot, _ bytes: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        arena.withUnsafeBufferPointer { stored in
            bytesEqual(stored.baseAddress! + Int(slot.offset), bytes, count: count)
        }
    }

    mutating func grow() {
        let old = slots
        slots = Array(repeating: Slot(), count: old.count * 2)
        mask = slots.count - 1
        for slot in old where slot.offset >= 0 {
            var index = Int(truncatingIfNeeded: slot.hash) & mask
            while slots[index].offset >= 0 { index = (index + 1) & mask }
            slots[index] = slot
        }
    }

    /// Forgets every key, keeping the allocated space.
    public mutating func removeAll() {
        guard count > 0 else { return }
        for index in slots.indices { slots[index] = Slot() }
        arena.removeAll(keepingCapacity: true)
        count = 0
    }

    /// Strings with a key and its value, for tests and diagnostics.
    public var entries: [(key: [UInt8], value: Int)] {
        slots.filter { $0.offset >= 0 }.map { (Array(arena[Int($0.offset)..<Int($0.offset + $0.length)]), Int($0.value)) }
    }
}
