/// Passes reads through and counts the bytes, to show (and test) how little the start-up seek
/// reads of a large log.
public final class CountingByteSource: ByteSource {
    private let source: ByteSource
    public private(set) var bytesRead: Int64 = 0

    public init(_ source: ByteSource) {
        self.source = source
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(SystemError) -> Int {
        let got = try source.read(into: buffer, at: offset)
        bytesRead += Int64(got)
        return got
    }

    public func size() throws(SystemError) -> Int64 { try source.size() }
}
