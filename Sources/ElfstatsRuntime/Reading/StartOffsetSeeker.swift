/// Finds, in a log that may be gigabytes long, the offset of the first record at or after a
/// time, by binary search on the times of lines: about log2(size / 64 KB) probes of a few KB
/// each, then a short forward scan. Only the daemon's start without saved state needs it.
///
/// Log lines are written in roughly increasing time order; the result is exact for sorted logs
/// and close for the usual slightly shuffled ones (a record is written when its request ends,
/// but stamped when it began).
import ElfstatsCore

public struct StartOffsetSeeker {
    /// Reads the time of one line (without its newline), nil when the line has none.
    public typealias LineTime = (UnsafeRawBufferPointer) -> Int64?

    /// Probing stops when the range left is this small; the rest is scanned line by line.
    public var scanThreshold: Int64 = 64 * 1024
    /// How much is read at a probe point to find a line with a readable time.
    public var probeLength = 16 * 1024

    let lineTime: LineTime

    public init(lineTime: @escaping LineTime) {
        self.lineTime = lineTime
    }

    /// The offset of the start of the first complete line whose time is at or after `time`;
    /// the end of the last complete line when there is none.
    public func offset(in source: ByteSource, ofFirstRecordAtOrAfter time: Int64) throws(SystemError) -> Int64 {
        let size = try source.size()
        // Invariant: every timed line starting before `low` is before `time`; the answer is < high.
        var low: Int64 = 0
        var high = size
        var probe = [UInt8](repeating: 0, count: probeLength)
        while high - low > scanThreshold {
            let middle = low + (high - low) / 2
            guard let found = try firstTimedLine(in: source, after: middle, before: high, buffer: &probe) else {
                // No readable time between the middle and the end of the range: look below.
                high = middle
                continue
            }
            if found.time < time {
                low = found.end
            } else {
                high = middle
            }
        }
        return try scan(source, from: low, for: time)
    }

    /// The first line that starts after `offset` (past the next newline) and before `limit`,
    /// with a readable time, within one probe length.
    private func firstTimedLine(in source: ByteSource, after offset: Int64, before limit: Int64,
                                buffer: inout [UInt8]) throws(SystemError) -> (time: Int64, end: Int64)? {
        var got = 0
        var failure: SystemError? = nil
        buffer.withUnsafeMutableBytes { bytes in
            do throws(SystemError) { got = try source.read(into: bytes, at: offset) } catch { failure = error }
        }
        if let failure { throw failure }
        return buffer.withUnsafeBytes { bytes -> (time: Int64, end: Int64)? in
            let base = bytes.baseAddress!
            guard let first = memchr(base, 0x0A, got) else { return nil }
            var start = base.distance(to: UnsafeRawPointer(first)) + 1
            while start < got, offset + Int64(start) < limit {
                guard let newline = memchr(base + start, 0x0A, got - start) else { return nil }
                let end = base.distance(to: UnsafeRawPointer(newline))
                if let time = lineTime(UnsafeRawBufferPointer(start: base + start, count: end - start)) {
                    return (time, offset + Int64(end) + 1)
                }
                start = end + 1
            }
            return nil
        }
    }

    /// Walks complete lines from `offset` (a line start) until one is at or after `time`.
    private func scan(_ source: ByteSource, from offset: Int64, for time: Int64) throws(SystemError) -> Int64 {
        var position = offset
        var buffer = [UInt8](repeating: 0, count: 256 * 1024)
        while true {
            var got = 0
            var failure: SystemError? = nil
            buffer.withUnsafeMutableBytes { bytes in
                do throws(SystemError) { got = try source.read(into: bytes, at: position) } catch { failure = error }
            }
            if let failure { throw failure }
            if got == 0 { return position }
            var found: Int64? = nil
            let used = buffer.withUnsafeBytes { bytes -> Int in
                let base = bytes.baseAddress!
                var start = 0
                while start < got, let newline = memchr(base + start, 0x0A, got - start) {
                    let end = base.distance(to: UnsafeRawPointer(newline))
                    if let lineTime = lineTime(UnsafeRawBufferPointer(start: base + start, count: end - start)), lineTime >= time {
                        found = position + Int64(start)
                        return start
                    }
                    start = end + 1
                }
                return start
            }
            if let found { return found }
            if used == 0 {
                // A line longer than the buffer: step over it.
                guard got == buffer.count else { return position }
                buffer = [UInt8](repeating: 0, count: buffer.count * 2)
                continue
            }
            position += Int64(used)
            if got < buffer.count { return position }
        }
    }
}
