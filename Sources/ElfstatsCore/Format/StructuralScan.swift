#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif

/// The bytes a compiled format looks for in a line (the stop bytes of its fields, `"` for quoted
/// fields, `]` for `%t`): at most four, each a lane of the structural scan.
struct StructuralBytes {
    /// Lanes 0..<laneCount are in use; an unused lane repeats lane 0 and is never computed.
    let lane0, lane1, lane2, lane3: SIMD16<UInt8>
    let laneCount: Int

    /// Nil when the format looks for more than four distinct bytes (it is then split byte by byte).
    init?(_ bytes: [UInt8]) {
        guard (1...4).contains(bytes.count) else { return nil }
        let padded = bytes + Array(repeating: bytes[0], count: 4 - bytes.count)
        lane0 = SIMD16(repeating: padded[0])
        lane1 = SIMD16(repeating: padded[1])
        lane2 = SIMD16(repeating: padded[2])
        lane3 = SIMD16(repeating: padded[3])
        laneCount = bytes.count
    }
}

/// Finds the structural bytes of a line sixteen at a time: a block of sixteen bytes is compared
/// with a lane's byte in one SIMD compare, and the result becomes a 16-bit mask (bit i set: byte
/// `position + i` is that byte), which a trailing-zero count turns into the field's end;
/// `skipTokens` pops several separators from one mask. Two blocks are classified per round while
/// 32 bytes are left (2,790 to 2,736 instructions per line on the benchmark). `LineSplitter`
/// walks the format's steps over these masks instead of over bytes.
///
/// The blocks are classified when a step needs them, for the one lane the step looks for,
/// rather than the whole line into every lane's bitmap first (simdjson's stage one): measured
/// with callgrind on the benchmark's log (3 lanes, 215-byte lines), classifying the whole line
/// up front took about 400 instructions per line and the walk over the bitmaps 700, more than
/// the 1,000 of the word-at-a-time walk it replaced; classifying on demand touches each byte
/// once, for one lane.
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
    let bytes: StructuralBytes

    @inline(__always)
    init(_ line: UnsafePointer<UInt8>, count: Int, bytes: StructuralBytes) {
        self.line = line
        self.count = count
        self.bytes = bytes
    }

    /// The position of the first byte of `lane` in `line[from..<count]`, or nil.
    @inline(__always)
    func next(_ lane: Int, from: Int) -> Int? {
        nth(lane, occurrence: 0, from: from)
    }

    /// The position of the (`occurrence` + 1)-th byte of `lane` in `line[from..<count]`, or nil;
    /// `0 <= from`, `occurrence >= 0`. Positions stay below `count + 16`, far from overflow.
    @inline(__always)
    func nth(_ lane: Int, occurrence: Int, from: Int) -> Int? {
        let pattern: SIMD16<UInt8>
        switch lane {
        case 0: pattern = bytes.lane0
        case 1: pattern = bytes.lane1
        case 2: pattern = bytes.lane2
        default: pattern = bytes.lane3
        }
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
                found = UInt32(Self.movemask(block .== pattern)) &>> UInt32(position &- (count &- 16))
            } else {
                found = 0
                var index = position
                while index < count {
                    if line[index] == pattern[0] { found |= 1 &<< UInt32(index &- position) }  // in bounds: index < count
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

    /// Bit i set when lane i of the comparison is true.
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
