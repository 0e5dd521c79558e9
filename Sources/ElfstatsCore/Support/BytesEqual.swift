/// Whether `count` bytes at `a` and `b` are equal, compared a word at a time. For the short
/// runs of the hot path (a cached time field, a regex's literal prefix) this beats a call to
/// `memcmp`.
@inline(__always)
func bytesEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, count: Int) -> Bool {
    let left = UnsafeRawPointer(a)
    let right = UnsafeRawPointer(b)
    // `count` bytes are readable at both pointers, so `count` is far below `Int.max` and the
    // index arithmetic (always within 0...count + 8) is wrapping: `&+` spares an overflow check
    // per word on the hot path.
    guard count >= 8 else {
        var index = 0
        while index < count {
            if a[index] != b[index] { return false }  // in bounds: index < count
            index &+= 1
        }
        return true
    }
    var index = 0
    // in bounds: each load covers index..<index + 8, and index + 8 < count.
    while index &+ 8 < count {
        if left.loadUnaligned(fromByteOffset: index, as: UInt64.self) != right.loadUnaligned(fromByteOffset: index, as: UInt64.self) {
            return false
        }
        index &+= 8
    }
    // The last word ends at the last byte, overlapping the words before it rather than
    // finishing byte by byte. in bounds: count >= 8, so last >= 0.
    let last = count &- 8
    return left.loadUnaligned(fromByteOffset: last, as: UInt64.self) == right.loadUnaligned(fromByteOffset: last, as: UInt64.self)
}

/// Whether `count` bytes at `a` and `b` are equal, for the keys of the classification and
/// pattern caches. Keys of 16 to 32 bytes (most requests cut by `PathDepth`) are compared as
/// four words, the last two ending at the last byte, without a loop; others with `bytesEqual`
/// (kept apart from it, whose size decides inlining in the regex matchers).
@inline(__always)
func keyBytesEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, count: Int) -> Bool {
    guard count >= 16, count <= 32 else { return bytesEqual(a, b, count: count) }
    let left = UnsafeRawPointer(a), right = UnsafeRawPointer(b)
    // in bounds: the words cover 0..<16 and count - 16..<count, all within 0..<count
    // (16...32) on both sides.
    let third = count &- 16, last = count &- 8
    let difference =
        (left.loadUnaligned(as: UInt64.self) ^ right.loadUnaligned(as: UInt64.self))
        | (left.loadUnaligned(fromByteOffset: 8, as: UInt64.self) ^ right.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        | (left.loadUnaligned(fromByteOffset: third, as: UInt64.self) ^ right.loadUnaligned(fromByteOffset: third, as: UInt64.self))
        | (left.loadUnaligned(fromByteOffset: last, as: UInt64.self) ^ right.loadUnaligned(fromByteOffset: last, as: UInt64.self))
    return difference == 0
}
