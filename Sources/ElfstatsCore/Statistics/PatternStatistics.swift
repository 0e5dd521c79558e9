/// Matches of one extracted pattern in a round: how many, and how many distinct values.
public struct PatternStatistics: Sendable {
    public let name: String
    public private(set) var total = 0
    private var values = ByteKeyTable(capacity: 256)

    public init(name: String) { self.name = name }

    public var distinct: Int { values.count }

    mutating func record(_ value: UnsafePointer<UInt8>, count: Int) {
        total += 1
        values.insert(value, count: count, value: 0)
    }

    mutating func reset() {
        total = 0
        values.removeAll()
    }
}
