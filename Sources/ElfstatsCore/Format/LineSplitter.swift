#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where, in one line, the fields a record is made of lie: byte offsets from the start of the
/// line, `start == -1` when the format has no such field.
public struct RecordFields: Sendable {
    public var timeStart = -1, timeEnd = -1
    public var requestStart = -1, requestEnd = -1
    public var statusStart = -1, statusEnd = -1
    public var latencyStart = -1, latencyEnd = -1

    public init() {}
}

/// Splits the bytes of a line by a `LogFormat`. This is the first half of the hot path: it
/// compares literal text and finds the end of each field with `memchr`, without creating a
/// single string, and remembers only the four fields a record needs.
public struct LineSplitter: Sendable {
    /// What to do with a field once it is found.
    @usableFromInline enum Slot: Int8, Sendable { case skip, time, request, status, latency }

    @usableFromInline enum Step: Sendable {
        case literal([UInt8])
        case field(LogFormat.Terminator, Slot, Int)
    }

    @usableFromInline let steps: [Step]

    public init(_ format: LogFormat) {
        steps = format.elements.map { element in
            switch element {
            case .literal(let bytes):
                return .literal(bytes)
            case .field(let field):
                let slot: Slot
                switch field.index {
                case format.timeField: slot = .time
                case format.requestField: slot = .request
                case format.statusField: slot = .status
                case format.latencyField: slot = .latency
                default: slot = .skip
                }
                return .field(field.terminator, slot, field.index)
            }
        }
    }

    /// Splits a line; false when it does not fit the format.
    @inlinable
    public func split(_ line: UnsafePointer<UInt8>, count: Int, into fields: inout RecordFields) -> Bool {
        split(line, count: count, into: &fields, every: nil)
    }

    /// Splits a line and reports every field's range (for `explain`).
    public func splitAll(_ line: UnsafePointer<UInt8>, count: Int) -> (fits: Bool, fields: RecordFields, ranges: [(index: Int, range: Range<Int>)]) {
        var fields = RecordFields()
        var ranges: [(index: Int, range: Range<Int>)] = []
        let fits = split(line, count: count, into: &fields) { ranges.append(($0, $1)) }
        return (fits, fields, ranges)
    }

    @inlinable
    func split(_ line: UnsafePointer<UInt8>, count: Int, into fields: inout RecordFields,
               every report: ((Int, Range<Int>) -> Void)?) -> Bool {
        var position = 0
        for step in steps {
            switch step {
            case .literal(let text):
                let length = text.count
                guard count - position >= length else { return false }
                let same = text.withUnsafeBufferPointer { memcmp(line + position, $0.baseAddress!, length) == 0 }
                guard same else { return false }
                position += length
            case .field(let terminator, let slot, let index):
                let start = position
                let end: Int
                switch terminator {
                case .byte(let stop):
                    end = Self.find(stop, in: line, from: position, to: count) ?? count
                case .endOfLine:
                    end = count
                case .quote:
                    guard let close = Self.findUnescapedQuote(in: line, from: position, to: count) else { return false }
                    end = close
                case .bracketed:
                    guard position < count, line[position] == UInt8(ascii: "["),
                          let close = Self.find(UInt8(ascii: "]"), in: line, from: position, to: count) else { return false }
                    end = close + 1
                case .byteAfterSpace(let stop):
                    guard let space = Self.find(UInt8(ascii: " "), in: line, from: position, to: count) else { return false }
                    end = Self.find(stop, in: line, from: space + 1, to: count) ?? count
                }
                position = end
                switch slot {
                case .skip: break
                case .time: fields.timeStart = start; fields.timeEnd = end
                case .request: fields.requestStart = start; fields.requestEnd = end
                case .status: fields.statusStart = start; fields.statusEnd = end
                case .latency: fields.latencyStart = start; fields.latencyEnd = end
                }
                report?(index, start..<end)
            }
        }
        return position == count
    }

    @inlinable @inline(__always)
    static func find(_ byte: UInt8, in line: UnsafePointer<UInt8>, from: Int, to: Int) -> Int? {
        guard from < to, let found = memchr(line + from, Int32(byte), to - from) else { return nil }
        return UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - line
    }

    /// The next `"` not escaped by an odd number of backslashes (Apache writes `\"` and `\\`).
    @inlinable
    static func findUnescapedQuote(in line: UnsafePointer<UInt8>, from: Int, to: Int) -> Int? {
        var searchFrom = from
        while let quote = find(UInt8(ascii: "\""), in: line, from: searchFrom, to: to) {
            var backslashes = 0
            var back = quote - 1
            while back >= from, line[back] == UInt8(ascii: "\\") { backslashes += 1; back -= 1 }
            if backslashes % 2 == 0 { return quote }
            searchFrom = quote + 1
        }
        return nil
    }
}
