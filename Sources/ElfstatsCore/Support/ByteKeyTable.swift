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
                if slot.hash == h, Int(slot.length) == count, equalKey(slot, bytes, count) { return Int(slot.value) }
                index = (index &+ 1) & mask
            }
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
            if slot.hash == h, Int(slot.length) == count, equalKey(slot, bytes, count) { return (Int(slot.value), false) }
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
