/// Finds the raw request (path and query) in a request line `GET /path?x=1 HTTP/1.1`: the
/// second of its space-separated tokens. A request line with fewer than two tokens (`""`, `-`)
/// has none, and its record is an error.
public enum RequestTarget {
    /// The range of the target within `line[start..<end]`, or nil.
    @inlinable
    public static func find(in line: UnsafePointer<UInt8>, start: Int, end: Int) -> Range<Int>? {
        var position = start
        // Python's str.split(): runs of spaces separate tokens.
        while position < end, line[position] == UInt8(ascii: " ") { position += 1 }
        while position < end, line[position] != UInt8(ascii: " ") { position += 1 }
        while position < end, line[position] == UInt8(ascii: " ") { position += 1 }
        guard position < end else { return nil }
        let targetStart = position
        while position < end, line[position] != UInt8(ascii: " ") { position += 1 }
        return targetStart..<position
    }
}
