/// Finds the raw request (path and query) in a request line `GET /path?x=1 HTTP/1.1`: the
/// second of its space-separated tokens. A request line with fewer than two tokens (`""`, `-`)
/// has none, and its record is an error.
public enum RequestTarget {
    /// The range of the target within `line[start..<end]`, or nil.
    @inline(__always)
    public static func find(in line: UnsafePointer<UInt8>, start: Int, end: Int) -> Range<Int>? {
        var position = start
        // Python's str.split(): runs of spaces separate tokens.
        while position < end, line[position] == UInt8(ascii: " ") { position += 1 }
        guard let afterMethod = LineSplitter.find(UInt8(ascii: " "), in: line, from: position, to: end) else { return nil }
        position = afterMethod
        while position < end, line[position] == UInt8(ascii: " ") { position += 1 }
        guard position < end else { return nil }
        let targetStart = position
        return targetStart..<(LineSplitter.find(UInt8(ascii: " "), in: line, from: position, to: end) ?? end)
    }
}
