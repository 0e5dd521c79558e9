@testable import ElfstatsCore

/// The plainest possible walk of a `LogFormat` over a line, byte by byte, element by element,
/// straight from the compiled format (not from `LineSplitter`'s step tables, so that the
/// tables' decoding, merged token runs and split literals are checked too). It is the oracle
/// `LineSplitter` is compared with line by line (`StructuralScanTests`).
struct ReferenceLineSplitter {
    let format: LogFormat

    init(_ format: LogFormat) { self.format = format }

    /// Whether the line fits, the record's fields, and every field's range in the order found.
    func split(_ line: [UInt8]) -> (fits: Bool, fields: RecordFields, ranges: [(index: Int, range: Range<Int>)]) {
        var fields = RecordFields()
        var ranges: [(index: Int, range: Range<Int>)] = []
        var position = 0
        func find(_ byte: UInt8, from: Int) -> Int? {
            line.indices.first { $0 >= from && line[$0] == byte }
        }
        /// The next `"` not escaped by an odd number of backslashes, counted back to `from`.
        func unescapedQuote(from: Int) -> Int? {
            var searchFrom = from
            while let quote = find(UInt8(ascii: "\""), from: searchFrom) {
                var backslashes = 0
                var back = quote - 1
                while back >= from, line[back] == UInt8(ascii: "\\") { backslashes += 1; back -= 1 }
                if backslashes % 2 == 0 { return quote }
                searchFrom = quote + 1
            }
            return nil
        }
        for element in format.elements {
            switch element {
            case .literal(let bytes):
                for byte in bytes {
                    guard position < line.count, line[position] == byte else { return (false, fields, ranges) }
                    position += 1
                }
            case .field(let field):
                let start = position
                let end: Int
                switch field.terminator {
                case .byte(let stop):
                    end = find(stop, from: position) ?? line.count
                case .quote:
                    guard let close = unescapedQuote(from: position) else { return (false, fields, ranges) }
                    end = close
                case .bracketed:
                    guard position < line.count, line[position] == UInt8(ascii: "["),
                          let close = find(UInt8(ascii: "]"), from: position) else { return (false, fields, ranges) }
                    end = close + 1
                case .byteAfterSpace(let stop):
                    guard let space = find(UInt8(ascii: " "), from: position) else { return (false, fields, ranges) }
                    end = find(stop, from: space + 1) ?? line.count
                case .endOfLine:
                    end = line.count
                }
                switch field.index {
                case format.timeField: fields.timeStart = start; fields.timeEnd = end
                case format.requestField: fields.requestStart = start; fields.requestEnd = end
                case format.statusField: fields.statusStart = start; fields.statusEnd = end
                case format.latencyField: fields.latencyStart = start; fields.latencyEnd = end
                default: break
                }
                ranges.append((field.index, start..<end))
                position = end
            }
        }
        return (position == line.count, fields, ranges)
    }
}
