import Testing
@testable import ElfstatsCore

@Suite("Byte comparison and the byte-keyed table")
struct ByteSupportTests {
    @Test func bytesEqualFindsADifferenceAtEveryPositionOfEveryLength() {
        for count in 0...100 {
            let a = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            a.withUnsafeBufferPointer { left in
                var b = a
                #expect(b.withUnsafeBufferPointer { bytesEqual(left.baseAddress!, $0.baseAddress!, count: count) })
                for position in 0..<count {
                    b = a
                    b[position] ^= 0x20
                    let equal = b.withUnsafeBufferPointer { bytesEqual(left.baseAddress!, $0.baseAddress!, count: count) }
                    #expect(!equal, "length \(count), difference at \(position)")
                }
            }
        }
    }

    @Test func tableMapsByteKeysToValuesThroughGrowth() {
        var table = ByteKeyTable(capacity: 4)
        let keys = (0..<5000).map { Array("method.\($0)".utf8) } + [[], [0], [0, 0]]
        for (index, key) in keys.enumerated() {
            let stored = key.withUnsafeBufferPointer { table.insert($0.baseAddress ?? UnsafePointer(bitPattern: 1)!, count: $0.count, value: index) }
            #expect(stored.inserted && stored.value == index)
        }
        #expect(table.count == keys.count)
        for (index, key) in keys.enumerated() {
            #expect(key.withUnsafeBufferPointer { table.value(for: $0.baseAddress ?? UnsafePointer(bitPattern: 1)!, count: $0.count) } == index)
            let again = key.withUnsafeBufferPointer { table.insert($0.baseAddress ?? UnsafePointer(bitPattern: 1)!, count: $0.count, value: -1) }
            #expect(!again.inserted && again.value == index)
        }
        let absent = Array("method.5000".utf8)
        #expect(absent.withUnsafeBufferPointer { table.value(for: $0.baseAddress!, count: $0.count) } == nil)
        table.removeAll()
        #expect(table.count == 0)
        #expect(keys[7].withUnsafeBufferPointer { table.value(for: $0.baseAddress!, count: $0.count) } == nil)
    }

    @Test func pairKeysAreLookedUpByBothPartsAndTheirBoundary() {
        var table = ByteKeyTable(capacity: 4)
        let pairs: [(String?, String)] = [(nil, "abc"), ("", "abc"), ("a", "bc"), ("ab", "c"), ("abc", ""), (nil, ""), ("", "")]
            + (0..<3000).map { ("group.\($0 % 7)", "method.\($0)") }
        func withKey<R>(_ pair: (String?, String), _ body: (ByteKeyTable.PairKey) -> R) -> R {
            let first = pair.0.map { Array($0.utf8) }
            let second = Array(pair.1.utf8)
            return second.withUnsafeBufferPointer { secondBuffer in
                guard let first else { return body(ByteKeyTable.PairKey(nil, secondBuffer)) }
                return first.withUnsafeBufferPointer { body(ByteKeyTable.PairKey($0, secondBuffer)) }
            }
        }
        for (index, pair) in pairs.enumerated() {
            #expect(withKey(pair) { table.value(for: $0) } == nil, "\(pair)")
            withKey(pair) { table.insert($0, value: index) }
        }
        #expect(table.count == pairs.count)
        for (index, pair) in pairs.enumerated() { #expect(withKey(pair) { table.value(for: $0) } == index, "\(pair)") }
        #expect(withKey(("group.1", "method.2")) { table.value(for: $0) } == nil)
        // A part that differs in any one byte is another key, whatever its length.
        for length in 1...12 {
            let word = String(repeating: "k", count: length)
            withKey((word, word)) { table.insert($0, value: 100 + length) }
            for position in 0..<length {
                var changed = Array(word.utf8)
                changed[position] = UInt8(ascii: "j")
                let other = String(decoding: changed, as: UTF8.self)
                #expect(withKey((other, word)) { table.value(for: $0) } == nil, "\(other)")
                #expect(withKey((word, other)) { table.value(for: $0) } == nil, "\(other)")
            }
            #expect(withKey((word, word)) { table.value(for: $0) } == 100 + length)
        }
        // A single key with the same bytes is another key.
        #expect(Array("abc".utf8).withUnsafeBufferPointer { table.value(for: $0.baseAddress!, count: 3) } == nil)
    }

    /// `wordHash` reads every byte of a key whatever its length (its reads overlap), and its length.
    @Test func wordHashSeesEveryByteAndTheLength() {
        var seen = Set<UInt64>()
        for count in 0...40 {
            let key = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 29 &+ 7) }
            let base = key.withUnsafeBufferPointer { ByteKeyTable.wordHash($0.baseAddress ?? UnsafePointer(bitPattern: 1)!, count) }
            #expect(seen.insert(base).inserted, "length \(count)")
            for position in 0..<count {
                var changed = key
                changed[position] ^= 0x01
                let hash = changed.withUnsafeBufferPointer { ByteKeyTable.wordHash($0.baseAddress!, count) }
                #expect(hash != base, "length \(count), byte \(position)")
            }
        }
        // Only `count` bytes are read: what follows them changes nothing.
        let long = Array("/content/get?x".utf8)
        let short = Array("/content/get?".utf8)
        #expect(long.withUnsafeBufferPointer { ByteKeyTable.wordHash($0.baseAddress!, 13) }
                == short.withUnsafeBufferPointer { ByteKeyTable.wordHash($0.baseAddress!, 13) })
    }

    /// The definition `wordHash` follows, as one loop over the words before the last: its
    /// unrolled short keys must give exactly this, at every length and for random bytes.
    static func loopWordHash(_ key: [UInt8]) -> UInt64 {
        let count = key.count
        func word(_ at: Int) -> UInt64 { (0..<8).reduce(0) { $0 | UInt64(key[at + $1]) << (8 * UInt64($1)) } }
        let multiplier: UInt64 = 0x0000_0100_0000_01B3
        var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(count)
        if count >= 8 {
            var index = 0
            while index + 8 < count {
                h = (h ^ word(index)) &* multiplier
                h ^= h >> 29
                index += 8
            }
            h = (h ^ word(count - 8)) &* multiplier
        } else if count >= 4 {
            let first = (0..<4).reduce(UInt64(0)) { $0 | UInt64(key[$1]) << (8 * UInt64($1)) }
            let last = (0..<4).reduce(UInt64(0)) { $0 | UInt64(key[count - 4 + $1]) << (8 * UInt64($1)) }
            h = (h ^ (first << 32 | last)) &* multiplier
        } else if count > 0 {
            h = (h ^ (UInt64(key[0]) << 16 | UInt64(key[count / 2]) << 8 | UInt64(key[count - 1]))) &* multiplier
        }
        h ^= h >> 32
        h = h &* 0xd6e8_feb8_6659_fd93
        return h ^ (h >> 32)
    }

    @Test func wordHashIsItsLoopDefinitionAtEveryLength() {
        var generator = SplitMix(seed: 8)
        for count in 0...80 {
            for _ in 0..<20 {
                let key = (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
                let hash = key.withUnsafeBufferPointer { ByteKeyTable.wordHash($0.baseAddress ?? UnsafePointer(bitPattern: 1)!, count) }
                #expect(hash == Self.loopWordHash(key), "length \(count)")
            }
        }
    }
}
