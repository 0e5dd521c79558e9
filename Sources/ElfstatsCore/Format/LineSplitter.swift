/// Where, in one line, the fields a record is made of lie: byte offsets from the start of the
/// line, `start == -1` when the format has no such field.
///
/// The offsets are kept in pairs, one per `LineSplitter.Slot`, so that the walk stores a field's
/// bounds at its slot's index instead of switching on the slot (pair 0 takes the fields a record
/// does not need and is never read). A homogeneous tuple is laid out contiguously, so indexing it
/// relies on no struct layout.
public struct RecordFields: Sendable {
    var bounds: (Int, Int, Int, Int, Int, Int, Int, Int, Int, Int) = (-1, -1, -1, -1, -1, -1, -1, -1, -1, -1)

    public var timeStart: Int { get { bounds.2 } set { bounds.2 = newValue } }
    public var timeEnd: Int { get { bounds.3 } set { bounds.3 = newValue } }
    public var requestStart: Int { get { bounds.4 } set { bounds.4 = newValue } }
    public var requestEnd: Int { get { bounds.5 } set { bounds.5 = newValue } }
    public var statusStart: Int { get { bounds.6 } set { bounds.6 = newValue } }
    public var statusEnd: Int { get { bounds.7 } set { bounds.7 = newValue } }
    public var latencyStart: Int { get { bounds.8 } set { bounds.8 = newValue } }
    public var latencyEnd: Int { get { bounds.9 } set { bounds.9 = newValue } }

    public init() {}
}

extension RecordFields: CustomStringConvertible {
    public var description: String {
        "time \(timeStart)..<\(timeEnd) request \(requestStart)..<\(requestEnd) status \(statusStart)..<\(statusEnd) latency \(latencyStart)..<\(latencyEnd)"
    }
}

/// Splits the bytes of a line by a `LogFormat`. This is the first half of the hot path: it
/// compares literal text and finds the end of each field with a `StructuralScan` (SIMD
/// compares; the byte-by-byte walk it replaced is the tests' reference), without creating a
/// single string, and remembers only the four fields a record needs.
///
/// The format is flattened into a table of steps decoded once, when the splitter is made: each
/// step holds its literal as one word and mask, the byte its search looks for already splatted
/// into a SIMD vector, and the offset where its bounds are stored, so the walk over a line
/// touches no reference-counted storage and decodes nothing per step but its kind; runs of
/// fields the record does not need ride on the step after them. Measured with callgrind on the
/// benchmark's first 100,000 lines (default format): the walk's own cost went from 707 to 468
/// instructions per line. Tried and not kept (each measured worse): reusing one 16-byte mask
/// for the two ends of `%>s %B`; a 32-byte first probe for quoted fields; one shifted 32-byte
/// window for the last bytes of a line instead of the 16-byte tail.
public struct LineSplitter: @unchecked Sendable {
    /// What to do with a field once it is found; the raw value is the pair of `RecordFields`
    /// that takes its bounds.
    enum Slot: UInt8 {
        case skip = 0, time = 1, request = 2, status = 3, latency = 4

        /// The byte offset of the slot's pair in `RecordFields.bounds`.
        var boundsOffset: UInt8 { rawValue &* UInt8(2 &* MemoryLayout<Int>.stride) }
    }
    /// `bracketAfterLiteral` is `bracketed` with its `[` compared as the literal's last byte.
    enum Kind: UInt8, CaseIterable { case literalOnly, toByte, toEndOfLine, toQuote, bracketed, bracketAfterLiteral, toByteAfterSpace }

    /// The longest literal one step compares (one word); longer literal text becomes
    /// `literalOnly` steps of eight bytes before the field's step.
    static let literalLimit = 8

    /// One step: the literal text before a field (possibly none), then the field. A trailing
    /// literal after the last field is a step of kind `literalOnly`. Pairing them halves the
    /// steps of a walk.
    ///
    /// In the hot program a step may begin with a run of skipped fields (`%h %l %u`, `%B`,
    /// `%I %O`): fields the record does not need only need their end found, so a run of
    /// `toByte(b)` fields separated by `b` is its first field's literal and one search for its
    /// last separator, done by the step after it rather than by steps of its own. The run's
    /// first field may be one the record needs (`%>s %B`): its end is found first. The default
    /// format walks 5 steps instead of 9 (each step costs about 30 instructions besides its
    /// search, measured with callgrind).
    struct Step {
        /// The literal's bytes (at most `literalLimit`) as one little-endian word, and the mask
        /// of its bytes, so that a literal is one load, one xor and one test.
        var literalWord: UInt64
        var literalMask: UInt64
        /// The byte the field's search looks for (`stop`, `"` or `]`) in every lane.
        var pattern: SIMD16<UInt8>
        /// The literal before a run of skipped fields, and their separator in every lane.
        var runLiteralWord: UInt64 = 0
        var runLiteralMask: UInt64 = 0
        var runPattern = SIMD16<UInt8>()
        var runLiteralLength: Int32 = 0
        /// How many fields of a run precede this step's literal (0: none).
        var runFields: Int32 = 0
        /// The slot of the run's first field: a recorded field followed by skipped ones
        /// (`%>s %B`) is a run too.
        var runSlot: Slot = .skip {
            didSet { runSlotOffset = runSlot.boundsOffset }
        }
        var runSlotOffset: UInt8 = 0
        var literalLength: Int32
        /// The field's index (for `splitAll`); -1 for `literalOnly`.
        var fieldIndex: Int32
        var kind: Kind
        var slot: Slot {
            didSet { slotOffset = slot.boundsOffset }
        }
        /// `slot.boundsOffset`, kept so that the walk stores without a multiplication.
        var slotOffset: UInt8
        /// The terminating byte of `toByte`/`toByteAfterSpace` fields.
        var stop: UInt8

        init(kind: Kind, slot: Slot, stop: UInt8, literal: ArraySlice<UInt8>, fieldIndex: Int) {
            precondition(literal.count <= LineSplitter.literalLimit)
            // The walk reads the byte before a quoted field's start, this `"` (see `.toQuote`).
            precondition(kind != .toQuote || literal.last == UInt8(ascii: "\""))
            var kind = kind, literal = literal
            if kind == .bracketed, literal.count < LineSplitter.literalLimit {
                kind = .bracketAfterLiteral
                literal.append(UInt8(ascii: "["))
            }
            var word: UInt64 = 0, mask: UInt64 = 0
            for (offset, byte) in literal.enumerated() {
                word |= UInt64(byte) << (8 * offset)
                mask |= 0xFF << (8 * offset)
            }
            literalWord = word
            literalMask = mask
            literalLength = Int32(literal.count)
            self.kind = kind
            self.slot = slot
            slotOffset = slot.boundsOffset
            self.stop = stop
            self.fieldIndex = Int32(fieldIndex)
            let sought: UInt8
            switch kind {
            case .toQuote: sought = UInt8(ascii: "\"")
            case .bracketed, .bracketAfterLiteral: sought = UInt8(ascii: "]")
            default: sought = stop
            }
            pattern = SIMD16(repeating: sought)
        }

        /// The literal's byte at `offset` (< `literalLength`).
        @inline(__always)
        func literalByte(_ offset: Int) -> UInt8 {
            UInt8(truncatingIfNeeded: literalWord &>> UInt64(offset &* 8))
        }
    }

    /// Owns the flattened program.
    final class Program {
        /// The steps, and the first and past-the-end ones as plain pointers, so the walk loads
        /// them without unwrapping.
        let steps: UnsafeBufferPointer<Step>
        let first: UnsafePointer<Step>
        let end: UnsafePointer<Step>

        init(steps: [Step]) {
            let storage = UnsafeMutablePointer<Step>.allocate(capacity: max(1, steps.count))
            storage.initialize(from: steps, count: steps.count)
            self.steps = UnsafeBufferPointer(start: storage, count: steps.count)
            first = UnsafePointer(storage)
            end = first + steps.count
        }

        deinit {
            UnsafeMutablePointer(mutating: first).deinitialize(count: steps.count)
            UnsafeMutablePointer(mutating: first).deallocate()
        }
    }

    /// The steps the hot path walks: runs of fields that are only skipped over and separated by
    /// their own terminator (`%h %l %u`, or `%I %O` ...) are taken over by the step after them,
    /// which finds the run's last separator popping several from one mask.
    let program: Program
    /// One step per field, for `splitAll` (explain), which reports every field.
    let detailedProgram: Program

    public init(_ format: LogFormat) {
        var steps: [Step] = []
        var pending: [UInt8] = []
        /// All but the last `literalLimit` bytes of pending literal text become literal-only steps.
        func flushLongLiteral() {
            while pending.count > Self.literalLimit {
                steps.append(Step(kind: .literalOnly, slot: .skip, stop: 0, literal: pending.prefix(Self.literalLimit), fieldIndex: -1))
                pending.removeFirst(Self.literalLimit)
            }
        }
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
                let kind: Kind
                var stop: UInt8 = 0
                switch field.terminator {
                case .byte(let byte): kind = .toByte; stop = byte
                case .endOfLine: kind = .toEndOfLine
                case .quote: kind = .toQuote
                case .bracketed: kind = .bracketed
                case .byteAfterSpace(let byte): kind = .toByteAfterSpace; stop = byte
                }
                flushLongLiteral()
                steps.append(Step(kind: kind, slot: slot, stop: stop, literal: pending[...], fieldIndex: field.index))
                pending = []
            }
        }
        flushLongLiteral()
        if !pending.isEmpty {
            steps.append(Step(kind: .literalOnly, slot: .skip, stop: 0, literal: pending[...], fieldIndex: -1))
        }
        detailedProgram = Program(steps: steps)
        program = Program(steps: Self.mergingSkippedTokens(steps))
    }

    /// Joins runs of `toByte(b)` fields separated by the one-byte literal `b`, all skipped but
    /// perhaps the first: a run is taken over by the step after it, whose literal starts with
    /// `b`, the run's terminator (`LogFormat` gives a field the terminator `.byte(b)` only when
    /// literal text starting with `b` follows it). A run nothing takes over, or a lone recorded
    /// field, stays as it was, one step per field.
    static func mergingSkippedTokens(_ steps: [Step]) -> [Step] {
        var merged: [Step] = []
        /// The steps of the run so far.
        var run: [Step] = []
        for step in steps {
            if let first = run.first {
                if step.kind == .toByte, step.slot == .skip, step.stop == first.stop,
                   step.literalLength == 1, step.literalByte(0) == first.stop {
                    run.append(step)
                    continue
                }
                if step.literalLength >= 1, step.literalByte(0) == first.stop, first.slot == .skip || run.count > 1 {
                    var host = step
                    host.runLiteralWord = first.literalWord
                    host.runLiteralMask = first.literalMask
                    host.runLiteralLength = first.literalLength
                    host.runPattern = first.pattern
                    host.runFields = Int32(run.count)
                    host.runSlot = first.slot
                    // The literal's first byte is the run's last separator, which the run's
                    // search found: it need not be compared again.
                    host.literalMask &= ~0xFF
                    run = []
                    merged.append(host)
                    continue
                }
                merged += run
                run = []
            }
            if step.kind == .toByte {
                run = [step]
            } else {
                merged.append(step)
            }
        }
        return merged + run
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
    /// the scan's masks. With the hot program, `report` sees only the fields of the steps
    /// themselves, not those of the runs they take over; `splitAll` walks the detailed program. The walk keeps `0 <= position <= count` (every step moves to a found
    /// byte, or to `count`), and `count` is the length of a buffer in memory, far below
    /// `Int.max`: so the position arithmetic cannot overflow, and is written with `&+`/`&-` to
    /// spare the overflow checks (measured on the byte walk this replaced: they cost 146 of
    /// 3,466 instructions per line under -O).
    @inline(__always)
    func split(_ line: UnsafePointer<UInt8>, count: Int, into fields: inout RecordFields, program: Program,
               every report: ((Int, Range<Int>) -> Void)?) -> Bool {
        let scan = StructuralScan(line, count: count)
        var step = program.first
        let stepsEnd = program.end
        var position = 0
        /// Whether the literal `word` (its bytes under `mask`, `length` <= 8 of them) is at `position`.
        @inline(__always) func literal(_ word: UInt64, _ mask: UInt64, _ length: Int, at position: Int) -> Bool {
            if count &- position >= 8 {
                // in bounds: the load covers position..<position + 8 <= count; the mask keeps
                // the literal's `length` bytes (none for an empty literal).
                let bytes = UInt64(littleEndian: UnsafeRawPointer(line).loadUnaligned(fromByteOffset: position, as: UInt64.self))
                return (bytes ^ word) & mask == 0
            }
            guard count &- position >= length else { return false }
            // Nothing left to compare (the byte after a run, see `mergingSkippedTokens`).
            if mask == 0 { return true }
            if count >= 8 {
                // Near the line's end: its last eight bytes, shifted so that line[position]
                // is the low byte and the bytes past the end read as zero (a shift of 8 to
                // 56 bits; 64, which `&>>` takes as 0, only at position == count, where only
                // an empty literal passes the guard, and its mask is 0).
                // in bounds: the load covers count - 8..<count, count - 8 >= 0.
                let last = UInt64(littleEndian: UnsafeRawPointer(line).loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self))
                return (last &>> UInt64(truncatingIfNeeded: (position &+ 8 &- count) &* 8) ^ word) & mask == 0
            }
            var index = 0
            while index < length {
                // in bounds: position + index < position + length <= count.
                guard line[position &+ index] == UInt8(truncatingIfNeeded: word &>> UInt64(truncatingIfNeeded: index &* 8)) else { return false }
                index &+= 1
            }
            return true
        }
        return withUnsafeMutablePointer(to: &fields.bounds) { tuple -> Bool in
            // A homogeneous tuple of ten `Int`s: a slot's pair, at its `boundsOffset` (slot <= 4), lies in it.
            let bounds = UnsafeMutableRawPointer(tuple)
            @inline(__always) func store(_ start: Int, _ end: Int, at offset: UInt8) {
                bounds.storeBytes(of: start, toByteOffset: Int(offset), as: Int.self)
                bounds.storeBytes(of: end, toByteOffset: Int(offset) &+ MemoryLayout<Int>.stride, as: Int.self)
            }
            while step != stepsEnd {
                let runFields = Int(step.pointee.runFields)
                if runFields != 0 {
                    // Skipped fields: their first literal, then the separator after the last
                    // of them, which must be there for this step's literal (it starts with it).
                    let runLiteralLength = Int(step.pointee.runLiteralLength)
                    guard literal(step.pointee.runLiteralWord, step.pointee.runLiteralMask, runLiteralLength, at: position) else { return false }
                    position &+= runLiteralLength
                    if step.pointee.runSlotOffset != 0 {
                        // A recorded first field (`%>s`), then runFields - 1 >= 1 skipped ones.
                        // Stored even when the line ends in it, as a step of its own would.
                        let firstEnd = scan.first(step.pointee.runPattern, from: position) ?? count
                        store(position, firstEnd, at: step.pointee.runSlotOffset)
                        guard firstEnd < count else { return false }
                        // The skipped fields start after the separator at firstEnd.
                        guard let runEnd = runFields == 2 ? scan.first(step.pointee.runPattern, from: firstEnd &+ 1)
                                                          : scan.nth(step.pointee.runPattern, occurrence: runFields &- 2, from: firstEnd &+ 1)
                        else { return false }
                        position = runEnd
                    } else {
                        // One field (`%B`) is the common run: the first-block search serves it.
                        guard let runEnd = runFields == 1 ? scan.first(step.pointee.runPattern, from: position)
                                                          : scan.nth(step.pointee.runPattern, occurrence: runFields &- 1, from: position)
                        else { return false }
                        position = runEnd
                    }
                }
                let length = Int(step.pointee.literalLength)
                guard literal(step.pointee.literalWord, step.pointee.literalMask, length, at: position) else { return false }
                position &+= length
                var start = position
                let end: Int
                switch step.pointee.kind {
                case .literalOnly:
                    step += 1
                    continue
                case .toByte:
                    end = scan.first(step.pointee.pattern, from: position) ?? count
                case .toQuote:
                    guard let quote = scan.first(step.pointee.pattern, from: position) else { return false }
                    // A quote with no backslash before it closes the field; otherwise the
                    // backslashes decide. in bounds: position - 1 <= quote - 1 < count, and
                    // position >= 1: `LogFormat` makes a field `.quote` only after literal text
                    // ending in `"`, which this step's literal (or the literal-only step before
                    // it) compared, so line[position - 1] is that `"`, never a backslash.
                    if line[quote &- 1] == UInt8(ascii: "\\") {
                        guard let close = Self.unescapedQuote(in: scan, fieldStart: position, firstQuote: quote) else { return false }
                        end = close
                    } else {
                        end = quote
                    }
                case .bracketAfterLiteral:
                    // The literal ended with the field's `[`.
                    start = position &- 1
                    guard let close = scan.nth(step.pointee.pattern, occurrence: 0, from: position) else { return false }
                    end = close &+ 1  // close < count
                case .bracketed:
                    guard position < count, line[position] == UInt8(ascii: "["),
                          let close = scan.nth(step.pointee.pattern, occurrence: 0, from: position) else { return false }
                    end = close &+ 1  // close < count
                case .toByteAfterSpace:
                    guard let space = scan.first(SIMD16(repeating: UInt8(ascii: " ")), from: position) else { return false }
                    end = scan.first(step.pointee.pattern, from: space &+ 1) ?? count  // space < count
                case .toEndOfLine:
                    end = count
                }
                position = end
                // in bounds: see `bounds` above.
                store(start, end, at: step.pointee.slotOffset)
                report?(Int(step.pointee.fieldIndex), start..<end)
                step += 1
            }
            return position == count
        }
    }

    /// The first `"` at or after `firstQuote` not escaped by an odd number of backslashes
    /// (Apache writes `\"` and `\\`); the backslashes before a quote are counted back to the
    /// field's start. Out of line: only fields with a backslash before a quote come here.
    @inline(never)
    static func unescapedQuote(in scan: StructuralScan, fieldStart: Int, firstQuote: Int) -> Int? {
        let pattern = SIMD16<UInt8>(repeating: UInt8(ascii: "\""))
        var quote = firstQuote
        while true {
            var backslashes = 0
            var back = quote &- 1
            // in bounds: fieldStart <= back < quote < count.
            while back >= fieldStart, scan.line[back] == UInt8(ascii: "\\") { backslashes &+= 1; back &-= 1 }
            if backslashes & 1 == 0 { return quote }
            guard let next = scan.first(pattern, from: quote &+ 1) else { return nil }
            quote = next
        }
    }
}
