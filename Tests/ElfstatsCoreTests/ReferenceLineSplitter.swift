@testable import ElfstatsCore

/// The byte-by-byte walk that `LineSplitter`'s structural scan replaced, kept here as the oracle
/// the structural scan is compared with line by line (`StructuralScanTests`). It walks the same
/// steps as the product, finding each field's end with a word-at-a-time search instead.
extension LineSplitter {
    /// `split`, byte by byte.
    func splitByteByByte(_ line: UnsafePointer<UInt8>, count: Int, into fields: inout RecordFields) -> Bool {
        splitByteByByte(line, count: count, into: &fields, program: program, every: nil)
    }

    /// `splitAll`, byte by byte.
    func splitAllByteByByte(_ line: UnsafePointer<UInt8>, count: Int) -> (fits: Bool, fields: RecordFields, ranges: [(index: Int, range: Range<Int>)]) {
        var fields = RecordFields()
        var ranges: [(index: Int, range: Range<Int>)] = []
        let fits = splitByteByByte(line, count: count, into: &fields, program: detailedProgram) { ranges.append(($0, $1)) }
        return (fits, fields, ranges)
    }

    func splitByteByByte(_ line: UnsafePointer<UInt8>, count: Int, into fields: inout RecordFields, program: Program,
                         every report: ((Int, Range<Int>) -> Void)?) -> Bool {
        // The walk keeps `0 <= position <= count` (every step moves to a found byte, or to
        // `count`), and `count` is the length of a buffer in memory, far below `Int.max`: so the
        // position arithmetic below cannot overflow, and is written with `&+`/`&-` to spare the
        // overflow checks (measured: they cost 146 of 3,466 instructions per line under -O).
        let steps = program.steps
        let literals = UnsafePointer(program.literals.baseAddress!)
        var position = 0
        for stepIndex in 0..<steps.count {
            let step = steps[stepIndex]
            let length = Int(step.literalLength)
            if length > 0 {
                // in bounds: `line[position]` and `line[position + index]` (index < length) lie
                // below `count`, since `count - position >= length > 0`.
                guard count &- position >= length, line[position] == step.firstLiteralByte else { return false }
                if length > 1 {
                    let text = literals + Int(step.literalOffset)
                    var index = 1
                    while index < length {
                        if line[position &+ index] != text[index] { return false }
                        index &+= 1
                    }
                }
                position &+= length
            }
            let start = position
            let end: Int
            switch step.kind {
            case .literalOnly:
                continue
            case .toByte:
                end = Self.find(step.stop, in: line, from: position, to: count) ?? count
            case .toQuote:
                guard let close = Self.findUnescapedQuote(in: line, from: position, to: count) else { return false }
                end = close
            case .bracketed:
                guard position < count, line[position] == UInt8(ascii: "["),
                      let close = Self.find(UInt8(ascii: "]"), in: line, from: position, to: count) else { return false }
                end = close &+ 1  // close < count
            case .toByteAfterSpace:
                guard let space = Self.find(UInt8(ascii: " "), in: line, from: position, to: count) else { return false }
                end = Self.find(step.stop, in: line, from: space &+ 1, to: count) ?? count  // space < count
            case .toEndOfLine:
                end = count
            case .skipTokens:
                // n fields: the n-th separator ends the last one, or the line does when there
                // are exactly n-1 separators left (the last field is the line's last).
                // fieldCount >= 2: `mergingSkippedTokens` makes a skipTokens step of two or more fields.
                let fieldCount = Int(step.fieldIndex)
                if let separator = Self.find(step.stop, occurrence: fieldCount &- 1, in: line, from: position, to: count) {
                    end = separator
                } else if Self.find(step.stop, occurrence: fieldCount &- 2, in: line, from: position, to: count) != nil {
                    end = count
                } else {
                    return false
                }
            }
            position = end
            switch step.slot {
            case .skip: break
            case .time: fields.timeStart = start; fields.timeEnd = end
            case .request: fields.requestStart = start; fields.requestEnd = end
            case .status: fields.statusStart = start; fields.statusEnd = end
            case .latency: fields.latencyStart = start; fields.latencyEnd = end
            }
            report?(Int(step.fieldIndex), start..<end)
        }
        return position == count
    }

    /// The first `byte` in `line[from..<to]`, looked for eight bytes at a time (a word-wide
    /// compare, never reading outside the range), which suits the short fields of a log line
    /// better than a call to `memchr`; long fields go to `memchr`.
    ///
    /// Callers pass `0 <= from <= to`, `to` the length of the line in memory (far below
    /// `Int.max`), so index arithmetic is wrapping (`&+`): it stays within `from...to + 8`.
    @inline(__always)
    static func find(_ byte: UInt8, in line: UnsafePointer<UInt8>, from: Int, to: Int) -> Int? {
        var index = from
        let raw = UnsafeRawPointer(line)
        let pattern = UInt64(byte) &* 0x0101_0101_0101_0101
        let wordEnd = min(to, from &+ 32)
        // in bounds: each word load covers index..<index + 8, and index + 8 <= wordEnd <= to.
        while index &+ 8 <= wordEnd {
            let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) ^ pattern
            let found = (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080
            if found != 0 { return index &+ found.trailingZeroBitCount >> 3 }
            index &+= 8
        }
        // Past the first words the field is a long one (a user agent): libc's vectorised memchr.
        if to &- index > 8 {
            guard let hit = memchr(line + index, Int32(byte), to &- index) else { return nil }
            return UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - line
        }
        while index < to {
            if line[index] == byte { return index }  // in bounds: index < to
            index &+= 1
        }
        return nil
    }

    /// The position of the (`occurrence`+1)-th `byte` in `line[from..<to]`, counting matches a
    /// word at a time (the exact zero-byte test, so a word's matches can be counted).
    /// The same bounds as `find(_:in:from:to:)`; `occurrence >= 0`, so `remaining` only counts
    /// down to 0 and the wrapping `&-` never wraps.
    @inline(__always)
    static func find(_ byte: UInt8, occurrence: Int, in line: UnsafePointer<UInt8>, from: Int, to: Int) -> Int? {
        var remaining = occurrence
        var index = from
        let raw = UnsafeRawPointer(line)
        let pattern = UInt64(byte) &* 0x0101_0101_0101_0101
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        // in bounds: each word load covers index..<index + 8, and index + 8 <= to.
        while index &+ 8 <= to {
            let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) ^ pattern
            var zeros = ~(((word & low7) &+ low7) | word | low7)
            // A word holds few separators: clearing them one by one beats a population count,
            // which baseline x86-64 has no instruction for.
            while zeros != 0 {
                if remaining == 0 { return index &+ zeros.trailingZeroBitCount >> 3 }
                zeros &= zeros &- 1
                remaining &-= 1
            }
            index &+= 8
        }
        while index < to {
            if line[index] == byte {  // in bounds: index < to
                if remaining == 0 { return index }
                remaining &-= 1
            }
            index &+= 1
        }
        return nil
    }

    /// The next `"` not escaped by an odd number of backslashes (Apache writes `\"` and `\\`).
    @inline(__always)
    static func findUnescapedQuote(in line: UnsafePointer<UInt8>, from: Int, to: Int) -> Int? {
        var searchFrom = from
        while let quote = find(UInt8(ascii: "\""), in: line, from: searchFrom, to: to) {
            // from <= quote < to: `back` walks down from quote - 1 and stops at from, and the
            // count of backslashes stays below quote - from.
            var backslashes = 0
            var back = quote &- 1
            while back >= from, line[back] == UInt8(ascii: "\\") { backslashes &+= 1; back &-= 1 }
            if backslashes & 1 == 0 { return quote }
            searchFrom = quote &+ 1
        }
        return nil
    }
}
