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
}
