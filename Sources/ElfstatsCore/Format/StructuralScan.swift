#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif

/// Finds the structural bytes of a line sixteen at a time: a block of sixteen bytes is compared
/// with the byte a step looks for in one SIMD compare, and the result becomes a 16-bit mask (bit i set: byte
/// `position + i` is that byte), which a trailing-zero count turns into the field's end;
/// a run of skipped fields pops several separators from one mask. `first` looks at one block
/// before the loop (most fields are short); the loop classifies two blocks per round while 32
/// bytes are left (2,790 to 2,736 instructions per line on the benchmark). `LineSplitter`
/// walks the format's steps over these masks instead of over bytes.
///
/// Keeping the mask of a block for the next step (the two ends of `%>s %B` lie in one block)
/// was measured and saved nothing: recomputing a mask is one load, one compare and one
/// movemask, as cheap as the bookkeeping that would remember it.
///
/// The blocks are classified when a step needs them, for the one byte the step looks for,
/// rather than the whole line into a bitmap per structural byte first (simdjson's stage one): measured
/// with callgrind on the benchmark's log (3 such bytes, 215-byte lines), classifying the whole line
/// up front took about 400 instructions per line and the walk over the bitmaps 700, more than
/// the 1,000 of the word-at-a-time walk it replaced; classifying on demand touches each byte
/// once, for one byte sought, and needs no limit on how many distinct bytes a format seeks.
///
/// Baseline x86-64 (SSE2) compiles `.==` on `SIMD16<UInt8>` to `pcmpeqb` and the movemask to
/// `pmovmskb` (checked with `objdump -d` on the release binary); Swift's SIMD types have no
/// movemask of their own, so x86-64 takes SSE2's from clang's intrinsics module, and other
/// architectures gather the mask bits with a multiplication (correct everywhere, slower).
///
/// Bytes outside `line[0..<count]` are never read: a block that would run past the end is read
/// as the line's last sixteen bytes with its mask shifted down, and a line shorter than sixteen
/// bytes is looked at byte by byte.
struct StructuralScan {
    let line: UnsafePointer<UInt8>
    let count: Int

    @inline(__always)
    init(_ line: UnsafePointer<UInt8>, count: Int) {
        self.line = line
        self.count = count
    }

    /// The position of the first `byte` in `line[from..<count]`, or nil.
    @inline(__always)
    func next(_ byte: UInt8, from: Int) -> Int? {
        first(SIMD16(repeating: byte), from: from)
    }

    /// The position of the (`occurrence` + 1)-th `byte` in `line[from..<count]`, or nil.
    @inline(__always)
    func nth(_ byte: UInt8, occurrence: Int, from: Int) -> Int? {
        nth(SIMD16(repeating: byte), occurrence: occurrence, from: from)
    }

    /// The position of the first byte of `pattern` (one byte in every lane) in
    /// `line[from..<count]`, or nil; `0 <= from`. Most fields of a log line are short, so the
    /// first sixteen bytes are looked at before the loop of `nth`.
    @inline(__always)
    func first(_ pattern: SIMD16<UInt8>, from: Int) -> Int? {
        if from &+ 16 <= count {
            // in bounds: the load covers from..<from + 16 <= count.
            let found = Self.movemask(UnsafeRawPointer(line + from).loadUnaligned(as: SIMD16<UInt8>.self) .== pattern)
            if found != 0 { return from &+ found.trailingZeroBitCount }
            return nth(pattern, occurrence: 0, from: from &+ 16)
        }
        return nth(pattern, occurrence: 0, from: from)
    }

    /// The position of the (`occurrence` + 1)-th byte of `pattern` (one byte in every lane) in
    /// `line[from..<count]`, or nil; `0 <= from`, `occurrence >= 0`. Positions stay below
    /// `count + 32`, far from overflow.
    @inline(__always)
    func nth(_ pattern: SIMD16<UInt8>, occurrence: Int, from: Int) -> Int? {
        var position = from
        var remaining = occurrence
        // Thirty-two bytes per round while they last: long fields (a user agent) take half the rounds.
        while position &+ 32 <= count {
            // in bounds: the loads cover position..<position + 32 <= count.
            let low = UnsafeRawPointer(line + position).loadUnaligned(as: SIMD16<UInt8>.self)
            let high = UnsafeRawPointer(line + position).loadUnaligned(fromByteOffset: 16, as: SIMD16<UInt8>.self)
            var found = UInt32(Self.movemask(low .== pattern)) | UInt32(Self.movemask(high .== pattern)) &<< 16
            while found != 0 {
                if remaining == 0 { return position &+ found.trailingZeroBitCount }
                found &= found &- 1
                remaining &-= 1
            }
            position &+= 32
        }
        while position < count {
            var found: UInt32
            if position &+ 16 <= count {
                // in bounds: the load covers position..<position + 16 <= count.
                found = UInt32(Self.movemask(UnsafeRawPointer(line + position).loadUnaligned(as: SIMD16<UInt8>.self) .== pattern))
            } else if count >= 16 {
                // in bounds: the line's last sixteen bytes, count - 16 >= 0; the shift drops the
                // bytes before `position` (0 < skip < 16), the rest stand for position..<count.
                let block = UnsafeRawPointer(line + (count &- 16)).loadUnaligned(as: SIMD16<UInt8>.self)
                found = UInt32(Self.movemask(block .== pattern)) &>> UInt32(truncatingIfNeeded: position &- (count &- 16))
            } else {
                found = 0
                let byte = pattern[0]
                var index = position
                while index < count {
                    if line[index] == byte { found |= 1 &<< UInt32(index &- position) }  // in bounds: index < count
                    index &+= 1
                }
            }
            while found != 0 {
                if remaining == 0 { return position &+ found.trailingZeroBitCount }
                found &= found &- 1
                remaining &-= 1
            }
            position &+= 16
        }
        return nil
    }

    /// Bit i set when byte i of the comparison is true.
    @inline(__always)
    static func movemask(_ equal: SIMDMask<SIMD16<Int8>>) -> UInt16 {
        #if arch(x86_64)
        return UInt16(truncatingIfNeeded: _mm_movemask_epi8(unsafeBitCast(equal, to: SIMD2<Int64>.self)))
        #else
        // Each byte is 0x00 or 0xFF: keep bit i of byte i, then the multiplication adds the eight
        // distinct bits of each half into its top byte.
        let halves = unsafeBitCast(equal, to: SIMD2<UInt64>.self) & SIMD2(repeating: 0x8040_2010_0804_0201)
        let low = (halves[0] &* 0x0101_0101_0101_0101) >> 56
        let high = (halves[1] &* 0x0101_0101_0101_0101) >> 56
        return UInt16(truncatingIfNeeded: low | high << 8)
        #endif
    }
}
