/// Finds the raw request (path and query) in a request line `GET /path?x=1 HTTP/1.1`: split on
/// single spaces, the second token is the request (docs/rules.md, "Request"). So `" /x HTTP/1.1"`
/// (an empty method) gives `/x`, not `HTTP/1.1`. A request line without a space (`""`, `-`), or
/// whose second token is empty (two spaces after the method), has no request, and its record is
/// an error.
public enum RequestTarget {
    /// The range of the target within `line[start..<end]`, or nil; `line[0..<end]` must be readable.
    @inline(__always)
    public static func find(in line: UnsafePointer<UInt8>, start: Int, end: Int) -> Range<Int>? {
        // The spaces are found sixteen bytes at a time; the scan reads only line[0..<end].
        let scan = StructuralScan(line, count: end)
        let spaces = SIMD16<UInt8>(repeating: UInt8(ascii: " "))
        let afterMethod: Int, targetEnd: Int
        if start &+ 16 <= end {
            // Methods are short: both spaces are often in the first sixteen bytes, and the
            // space after the method is in them but for junk; one mask serves both.
            // in bounds: the load covers start..<start + 16 <= end (start >= 0).
            var found = StructuralScan.movemask(UnsafeRawPointer(line + start).loadUnaligned(as: SIMD16<UInt8>.self) .== spaces)
            guard found != 0 else { return slowFind(scan, start: start &+ 16, end: end) }
            afterMethod = start &+ found.trailingZeroBitCount
            found &= found &- 1
            // No other space before start + 16: the target's end is at or after it.
            targetEnd = found != 0 ? start &+ found.trailingZeroBitCount : secondSpace(in: line, from: start &+ 16, end: end)
        } else {
            return slowFind(scan, start: start, end: end)
        }
        // afterMethod < targetEnd <= end, far below Int.max.
        let targetStart = afterMethod &+ 1
        guard targetEnd > targetStart else { return nil }
        return targetStart..<targetEnd
    }

    /// The first space in `line[from..<end]`, or `end`; `end >= from >= 16`. Sixteen bytes at a
    /// time, the last block being the request line's last sixteen bytes (end - 16 >= 0), whose
    /// mask is shifted past the bytes already looked at: a path of 16 to 32 bytes takes one or
    /// two loads and no loop of the general scan.
    @inline(__always)
    static func secondSpace(in line: UnsafePointer<UInt8>, from: Int, end: Int) -> Int {
        let spaces = SIMD16<UInt8>(repeating: UInt8(ascii: " "))
        var position = from
        while position &+ 16 <= end {
            // in bounds: the load covers position..<position + 16 <= end.
            let found = StructuralScan.movemask(UnsafeRawPointer(line + position).loadUnaligned(as: SIMD16<UInt8>.self) .== spaces)
            if found != 0 { return position &+ found.trailingZeroBitCount }
            position &+= 16
        }
        guard position < end else { return end }
        // in bounds: end - 16 >= 0; the shift (0 < position - (end - 16) < 16) drops the bytes
        // before `position`.
        let found = UInt32(StructuralScan.movemask(UnsafeRawPointer(line + (end &- 16)).loadUnaligned(as: SIMD16<UInt8>.self) .== spaces))
            &>> UInt32(truncatingIfNeeded: position &- (end &- 16))
        return found != 0 ? position &+ found.trailingZeroBitCount : end
    }

    /// `find` from the first byte that may be the space after the method; out of line, as
    /// methods longer than fifteen bytes and short request lines are rare.
    @inline(never)
    static func slowFind(_ scan: StructuralScan, start: Int, end: Int) -> Range<Int>? {
        guard let afterMethod = scan.next(UInt8(ascii: " "), from: start) else { return nil }
        let targetStart = afterMethod + 1
        let targetEnd = scan.next(UInt8(ascii: " "), from: targetStart) ?? end
        guard targetEnd > targetStart else { return nil }
        return targetStart..<targetEnd
    }
}
