/// A hash of the last line before an offset in a log (at most its last 4 KB): with its time
/// stamp, a line is as good as unique.
///
/// A log truncated in place (copytruncate) keeps its inode, and when the web server writes fast
/// it may grow past the saved offset again before the next round; its size alone then no longer
/// shows the truncation. The bytes before the saved offset do: if they are not the ones read
/// last time, the file was rewritten.
public struct LineFingerprint: Sendable, Equatable, CustomStringConvertible {
    public static let maximumLength = 4096

    /// How many bytes were hashed.
    public var length: Int
    public var hash: UInt64

    public init(length: Int, hash: UInt64) {
        self.length = length
        self.hash = hash
    }

    /// The fingerprint of the bytes before `offset` in `source`; nil when they cannot be read
    /// (the file is shorter than `offset`).
    public static func of(_ source: ByteSource, before offset: Int64) throws(SystemError) -> LineFingerprint? {
        let length = Int(min(offset, Int64(maximumLength)))
        var bytes = [UInt8](repeating: 0, count: length)
        var got = 0
        var failure: SystemError? = nil
        bytes.withUnsafeMutableBytes { buffer in
            do throws(SystemError) { got = try source.read(into: buffer, at: offset - Int64(length)) } catch { failure = error }
        }
        if let failure { throw failure }
        guard got == length else { return nil }
        // From just after the previous newline: the whole last line, not only its tail (the
        // tails of log lines are often alike).
        var first = length - 1
        while first > 0, bytes[first - 1] != 0x0A { first -= 1 }
        if length == 0 { first = 0 }
        let hash = bytes.withUnsafeBytes { fnv1a(UnsafeRawBufferPointer(rebasing: $0[first...])) }
        return LineFingerprint(length: length - first, hash: hash)
    }

    /// FNV-1a, 64 bits: tiny, and plenty to tell two log lines apart. On a byte buffer rather
    /// than any sequence of bytes: over a String's UTF8View (the report's hash, once a round)
    /// the generic loop cost 31 instructions per byte (1.03 million for the benchmark's 33 KB
    /// report, callgrind), on the buffer under 3.
    public static func fnv1a(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// `LENGTH:HEX`, as kept in state files.
    public var description: String { "\(length):\(String(hash, radix: 16))" }

    public init?(_ text: Substring) {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let length = Int(parts[0]), let hash = UInt64(parts[1], radix: 16) else { return nil }
        self.init(length: length, hash: hash)
    }
}
