/// Finds the raw request (path and query) in a request line `GET /path?x=1 HTTP/1.1`: split on
/// single spaces, the second token is the request (docs/rules.md, "Request"). So `" /x HTTP/1.1"`
/// (an empty method) gives `/x`, not `HTTP/1.1`. A request line without a space (`""`, `-`), or
/// whose second token is empty (two spaces after the method), has no request, and its record is
/// an error.
public enum RequestTarget {
    /// The range of the target within `line[start..<end]`, or nil.
    @inline(__always)
    public static func find(in line: UnsafePointer<UInt8>, start: Int, end: Int) -> Range<Int>? {
        guard let afterMethod = LineSplitter.find(UInt8(ascii: " "), in: line, from: start, to: end) else { return nil }
        let targetStart = afterMethod + 1
        let targetEnd = LineSplitter.find(UInt8(ascii: " "), in: line, from: targetStart, to: end) ?? end
        guard targetEnd > targetStart else { return nil }
        return targetStart..<targetEnd
    }
}
