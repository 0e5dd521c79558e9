import ElfstatsCore

/// Feeds a log to its analyzer in large chunks read by position: one buffer, reused for every
/// read, so memory does not grow with the size of the log or the number of rounds.
public final class ChunkedLogReader {
    /// What one pass over a file did.
    public struct Outcome: Sendable, Equatable {
        /// The offset of the first byte not consumed.
        public var offset: Int64
        /// Bytes handed to the analyzer and consumed.
        public var consumed: Int64
        /// True when the pass stopped at a record at or after the cutoff (the file holds more).
        public var reachedCutoff: Bool
        /// Records stamped after `waitLimit`, counted now rather than waited for.
        public var futureRecords = 0
    }

    private var buffer: UnsafeMutableRawBufferPointer
    private let initialSize: Int

    /// Asked after every chunk of a read that is not `final`: true stops the read there, at a
    /// line boundary, so that a daemon told to stop does not first read a backlog of gigabytes.
    /// The rest is read from the saved offset after the restart.
    public var shouldStop: () -> Bool = { false }

    /// 512 KB: large enough that a read costs little per line, small enough that the chunk is
    /// still in the CPU's cache when the analyzer walks it (larger buffers measured slower).
    ///
    /// The buffer grows only for a line longer than itself and not longer than the analyzer's
    /// `max_line_length` (plus CR LF); a longer line is one error record, and the rest of it is
    /// read past in chunks of the buffer's size, so memory stays bounded by the configuration
    /// whatever the log holds. Such a line is counted in the round that reads its end, whatever
    /// its time.
    public init(bufferSize: Int = 512 << 10) {
        buffer = .allocate(byteCount: bufferSize, alignment: 16)
        initialSize = bufferSize
    }

    deinit { buffer.deallocate() }

    /// The buffer's size now (it grows for long lines, up to `max_line_length` + 2).
    var capacity: Int { buffer.count }

    /// Consumes complete lines of `source` from `offset`: all of them, or up to the first record
    /// at or after `cutoff`, or up to `limit` (the size seen at the start of a one-shot run, so a
    /// fast writer cannot keep it reading forever). With `final`, an unterminated last line is
    /// counted too (the file will not grow any more); otherwise it waits for its newline.
    ///
    /// A record at or after the cutoff is left for the next round, unless it is stamped after
    /// `waitLimit`: a time that far ahead is a wrong clock or a garbled line, and waiting for it
    /// would hold back every line behind it, so it is counted now.
    public func read(_ source: ByteSource, from offset: Int64, into analyzer: LogAnalyzer,
                     before cutoff: Int64? = nil, waitLimit: Int64? = nil, limit: Int64? = nil,
                     final: Bool = false) throws(SystemError) -> Outcome {
        var position = offset
        var futureRecords = 0
        while true {
            var wanted = buffer.count
            if let limit {
                if position >= limit { break }
                wanted = Int(min(Int64(wanted), limit - position))
            }
            let window = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<wanted])
            let got = try source.read(into: window, at: position)
            if got == 0 { break }
            let atEnd = got < buffer.count
            let bytes = UnsafeRawBufferPointer(rebasing: window[0..<got])
            var used = 0
            var stoppedAtCutoff = false
            while used < got {
                let rest = UnsafeRawBufferPointer(rebasing: bytes[used...])
                used += analyzer.consume(rest, before: cutoff, final: final && atEnd && limit == nil)
                // Left over: a complete line at or after the cutoff, or an unterminated line.
                guard used < got, let newline = memchr(bytes.baseAddress! + used, 0x0A, got - used) else { break }
                let lineEnd = bytes.baseAddress!.distance(to: UnsafeRawPointer(newline))
                let line = UnsafeRawBufferPointer(rebasing: bytes[used..<lineEnd])
                guard let waitLimit, let time = analyzer.recordTime(ofLine: line), time > waitLimit else {
                    stoppedAtCutoff = true
                    break
                }
                used += analyzer.consume(UnsafeRawBufferPointer(rebasing: bytes[used...lineEnd]))
                futureRecords += 1
            }
            position += Int64(used)
            if stoppedAtCutoff {
                return Outcome(offset: position, consumed: position - offset, reachedCutoff: true, futureRecords: futureRecords)
            }
            if !final && used > 0 && shouldStop() { break }
            if used == got { continue }
            // An unterminated line is left.
            if atEnd { break }
            if used == 0 {
                // One line fills the whole buffer: make room for it if it may be that long.
                let longest = analyzer.maxLineLength + 2
                if buffer.count < longest {
                    let larger = UnsafeMutableRawBufferPointer.allocate(byteCount: min(buffer.count * 2, longest), alignment: 16)
                    buffer.deallocate()
                    buffer = larger
                } else {
                    let end = try endOfLine(in: source, from: position + Int64(got), limit: limit)
                    guard end.isNewline else {
                        // Still being written (or past the one-shot bound): counted once complete.
                        if final && limit == nil {
                            analyzer.countOverlongLine()
                            position = end.offset
                        }
                        break
                    }
                    analyzer.countOverlongLine()
                    position = end.offset + 1
                }
            }
        }
        return Outcome(offset: position, consumed: position - offset, reachedCutoff: false, futureRecords: futureRecords)
    }

    /// The offset of the next newline at or after `start`, read in buffer-sized chunks; when
    /// the file (or `limit`) ends first, the offset where it ended, so that a final read skips
    /// the unterminated rest without reading it a second time.
    private func endOfLine(in source: ByteSource, from start: Int64, limit: Int64?) throws(SystemError) -> (offset: Int64, isNewline: Bool) {
        var position = start
        while true {
            var wanted = buffer.count
            if let limit {
                if position >= limit { return (position, false) }
                wanted = Int(min(Int64(wanted), limit - position))
            }
            let window = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<wanted])
            let got = try source.read(into: window, at: position)
            if got == 0 { return (position, false) }
            if let newline = memchr(window.baseAddress!, 0x0A, got) {
                return (position + Int64(window.baseAddress!.distance(to: UnsafeMutableRawPointer(newline))), true)
            }
            position += Int64(got)
        }
    }
}
