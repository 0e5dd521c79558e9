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
/// compares literal text and finds the end of each field with a `StructuralScan` (SIMD
/// compares; the byte-by-byte walk it replaced is the tests' reference), without creating a
/// single string, and remembers only the four fields a record needs.
///
/// The format is flattened into a table of plain steps and one buffer of literal bytes, so the
/// walk over a line touches no reference-counted storage.
public struct LineSplitter: @unchecked Sendable {
    /// What to do with a field once it is found.
    enum Slot: UInt8 { case skip, time, request, status, latency }
    enum Kind: UInt8 { case literalOnly, toByte, toEndOfLine, toQuote, bracketed, toByteAfterSpace, skipTokens }

    /// One step: the literal text before a field (possibly none), then the field. A trailing
    /// literal after the last field is a step of kind `literalOnly`. Pairing them halves the
    /// steps of a walk.
    struct Step {
        var kind: Kind
        var slot: Slot
        /// The terminating byte of `toByte`/`toByteAfterSpace` fields.
        var stop: UInt8
        /// The literal's first byte, compared before the rest (most literals are one byte).
        var firstLiteralByte: UInt8
        var literalOffset: Int32
        var literalLength: Int32
        /// The field's index; for `skipTokens`, how many `stop`-separated fields are skipped.
        var fieldIndex: Int32
    }

    /// Owns the flattened program.
    final class Program {
        let steps: UnsafeMutableBufferPointer<Step>
        let literals: UnsafeMutableBufferPointer<UInt8>
        /// Per step, a literal of up to eight bytes as one little-endian word and the mask of its
        /// bytes, compared with one load where eight bytes of the line are left (a literal of
        /// one byte needs no word; longer ones are compared byte by byte).
        let literalWords: UnsafeMutableBufferPointer<(word: UInt64, mask: UInt64)>

        init(steps: [Step], literals: [UInt8]) {
            literalWords = .allocate(capacity: max(1, steps.count))
            for (index, step) in steps.enumerated() {
                var word: UInt64 = 0, mask: UInt64 = 0
                if step.literalLength <= 8 {
                    for offset in 0..<Int(step.literalLength) {
                        word |= UInt64(literals[Int(step.literalOffset) + offset]) << (8 * offset)
                        mask |= 0xFF << (8 * offset)
                    }
                }
                (literalWords.baseAddress! + index).initialize(to: (word, mask))
            }
            self.steps = .allocate(capacity: steps.count)
            _ = self.steps.initialize(from: steps)
            self.literals = .allocate(capacity: max(1, literals.count))
            _ = self.literals.initialize(from: literals)
        }

        deinit {
            literalWords.deallocate()
            steps.deallocate()
            literals.deallocate()
        }
    }

    /// The steps the hot path walks: runs of fields that are only skipped over and separated by
    /// their own terminator (`%l %u`, or `%I %O` ...) are one `skipTokens` step, which counts
    /// separators a word at a time.
    let program: Program
    /// One step per field, for `splitAll` (explain), which reports every field.
    let detailedProgram: Program

    public init(_ format: LogFormat) {
        var steps: [Step] = []
        var literals: [UInt8] = []
        var pending: [UInt8] = []
        for element in format.elements {
            switch element {
            case .literal(let bytes):
                pending += bytes
            case .field(let field):
                let slot: Slot
                switch field.index {
                case format.timeField: slot = .time
                case format.requestField: slot = .request
                case format.statusField: slot = .status
                case format.latencyField: slot = .latency
                default: slot = .skip
                }
                var step = Step(kind: .toEndOfLine, slot: slot, stop: 0, firstLiteralByte: pending.first ?? 0,
                                literalOffset: Int32(literals.count), literalLength: Int32(pending.count), fieldIndex: Int32(field.index))
                literals += pending
                pending = []
                switch field.terminator {
                case .byte(let stop): step.kind = .toByte; step.stop = stop
                case .endOfLine: step.kind = .toEndOfLine
                case .quote: step.kind = .toQuote
                case .bracketed: step.kind = .bracketed
                case .byteAfterSpace(let stop): step.kind = .toByteAfterSpace; step.stop = stop
                }
                steps.append(step)
            }
        }
        if !pending.isEmpty {
            steps.append(Step(kind: .literalOnly, slot: .skip, stop: 0, firstLiteralByte: pending[0],
                              literalOffset: Int32(literals.count), literalLength: Int32(pending.count), fieldIndex: -1))
            literals += pending
        }
        detailedProgram = Program(steps: steps, literals: literals)
        program = Program(steps: Self.mergingSkippedTokens(steps, literals: literals), literals: literals)
    }

    /// Joins a skipped `toByte(b)` field with the skipped `toByte(b)` fields that follow it
    /// behind a one-byte literal `b`.
    static func mergingSkippedTokens(_ steps: [Step], literals: [UInt8]) -> [Step] {
        var merged: [Step] = []
        for step in steps {
            if step.kind == .toByte, step.slot == .skip, step.literalLength == 1, literals[Int(step.literalOffset)] == step.stop,
               var last = merged.last, last.slot == .skip, last.stop == step.stop, last.kind == .toByte || last.kind == .skipTokens {
                if last.kind == .toByte {
                    last.kind = .skipTokens
                    last.fieldIndex = 1
                }
                last.fieldIndex += 1
                merged[merged.count - 1] = last
            } else {
                merged.append(step)
            }
        }
        return merged
    }

    /// Splits a line; false when it does not fit the format.
    @inline(__always)
    public func split(_ line: UnsafePointer<UInt8>, count: Int, into fields: inout RecordFields) -> Bool {
        split(line, count: count, into: &fields, program: program, every: nil)
    }

    /// Splits a line and reports every field's range (for `explain`).
    public func splitAll(_ line: UnsafePointer<UInt8>, count: Int) -> (fits: Bool, fields: RecordFields, ranges: [(index: Int, range: Range<Int>)]) {
        var fields = RecordFields()
        var ranges: [(index: Int, range: Range<Int>)] = []
        let fits = split(line, count: count, into: &fields, program: detailedProgram) { ranges.append(($0, $1)) }
        return (fits, fields, ranges)
    }

    /// Walks the program's steps over a structural scan of the line, each field's end found in
    /// the scan's masks. The walk keeps `0 <= position <= count` (every step moves to a found
    /// byte, or to `count`), and `count` is the length of a buffer in memory, far below
    /// `Int.max`: so the position arithmetic cannot overflow, and is written with `&+`/`&-` to
    /// spare the overflow checks (measured on the byte walk this replaced: they cost 146 of
    /// 3,466 instructions per line under -O).
    @inline(__always)
    func split(_ line: UnsafePointer<UInt8>, count: Int, into fields: inout RecordFields, program: Program,
               every report: ((Int, Range<Int>) -> Void)?) -> Bool {
        let scan = StructuralScan(line, count: count)
        let steps = program.steps
        let literals = UnsafePointer(program.literals.baseAddress!)
        var position = 0
        for stepIndex in 0..<steps.count {
            let step = steps[stepIndex]
            let length = Int(step.literalLength)
            if length > 1, length <= 8, count &- position >= 8 {
                // in bounds: the load covers position..<position + 8 <= count.
                let literal = program.literalWords[stepIndex]
                let bytes = UInt64(littleEndian: UnsafeRawPointer(line).loadUnaligned(fromByteOffset: position, as: UInt64.self))
                guard (bytes ^ literal.word) & literal.mask == 0 else { return false }
                position &+= length
            } else if length > 0 {
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
                end = scan.next(step.stop, from: position) ?? count
            case .toQuote:
                // The next `"` not escaped by an odd number of backslashes (Apache writes `\"`
                // and `\\`); the backslashes before a quote are counted back to the field's start.
                var searchFrom = position
                var close: Int? = nil
                while let quote = scan.next(UInt8(ascii: "\""), from: searchFrom) {
                    var backslashes = 0
                    var back = quote &- 1
                    // in bounds: position <= back < quote < count.
                    while back >= position, line[back] == UInt8(ascii: "\\") { backslashes &+= 1; back &-= 1 }
                    if backslashes & 1 == 0 { close = quote; break }
                    searchFrom = quote &+ 1
                }
                guard let close else { return false }
                end = close
            case .bracketed:
                guard position < count, line[position] == UInt8(ascii: "["),
                      let close = scan.next(UInt8(ascii: "]"), from: position) else { return false }
                end = close &+ 1  // close < count
            case .toByteAfterSpace:
                guard let space = scan.next(UInt8(ascii: " "), from: position) else { return false }
                end = scan.next(step.stop, from: space &+ 1) ?? count  // space < count
            case .toEndOfLine:
                end = count
            case .skipTokens:
                // n fields: the n-th separator ends the last one, or the line does when there
                // are exactly n-1 separators left (the last field is the line's last).
                // fieldCount >= 2: `mergingSkippedTokens` makes a skipTokens step of two or more fields.
                let fieldCount = Int(step.fieldIndex)
                if let separator = scan.nth(step.stop, occurrence: fieldCount &- 1, from: position) {
                    end = separator
                } else if scan.nth(step.stop, occurrence: fieldCount &- 2, from: position) != nil {
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
}
