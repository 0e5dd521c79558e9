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
        guard let afterMethod = scan.next(UInt8(ascii: " "), from: start) else { return nil }
        let targetStart = afterMethod + 1
        let targetEnd = scan.next(UInt8(ascii: " "), from: targetStart) ?? end
        guard targetEnd > targetStart else { return nil }
        return targetStart..<targetEnd
    }
}
