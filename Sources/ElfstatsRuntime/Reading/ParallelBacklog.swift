import ElfstatsCore
import Logging

/// Reads a large backlog of one log on several threads (`once --jobs N`): the byte range is
/// cut at line starts into N parts, the first is read by the calling thread into the data
/// file's analyzer while each other part is read by a thread of its own into a new analyzer of
/// the same configuration, and the parts are then merged in file order (`LogAnalyzer.absorb`).
/// The report is the one a single thread gives, byte for byte. A thread done early takes over
/// the second half of the rest of the slowest part (see `BacklogSegments`), so a core busy with
/// other work delays the run less. While they read, the threads are bound to CPUs of their own
/// when the process may use as many (`ThreadPlacement`).
///
/// Memory: each extra job has its own analyzer (compiled regexes, classification cache,
/// statistics up to `max_methods` and `max_pattern_values`) and its own read buffer, and each
/// taken-over tail one more analyzer until the merge (at most N-1 of them): N read buffers and
/// at most 2N-1 analyzers in all.
///
/// When the merge cannot be exact (a part alone had more than `max_methods` methods, or a
/// latency histogram's switch to buckets depends on the order), or a part could not be read to
/// its end, the later parts are read again on the calling thread, one after another: correct,
/// only slower.
public final class ParallelBacklog {
    /// Threads reading at once, the calling one included.
    public let jobs: Int
    /// A new analyzer for the data file, as its processor made its own.
    private let makeAnalyzer: () throws(ConfigurationError) -> LogAnalyzer
    private let logger: Logger

    /// Bytes each part must have at least, so that a backlog is split only where that pays.
    /// Measured with the release build on the benchmark's log (216 bytes a line, 0.9 GB/s a
    /// thread, so 8 MB take about 9 ms): a new analyzer takes 0.2 ms to build; merging a part
    /// takes 1.3 ms with the benchmark's 102 methods (1 ms of it adding latency arrays of up to
    /// 64 KB) and 4 to 5 ms with 1,001 methods of some 170 calls each. A full 64 KB array needs more
    /// than 2,048 calls (400 KB of log) to grow, so merging stays a small share of reading;
    /// 8 MB a part keeps the fixed costs well below the time saved.
    public static let smallestPart: Int64 = 8 << 20

    /// Reads split into parts, and of those the ones whose parts could not be merged (read
    /// again on one thread), for the tests.
    private(set) var splitReads = 0
    private(set) var refusedMerges = 0
    /// Tails taken over by a thread done early, for the tests.
    private(set) var steals = 0

    /// Bytes each half of a tail taken over has at least: 1 MB, about 0.7 ms of reading. Taking
    /// one over costs its thief a new analyzer (0.2 ms) and the merge one more small part.
    /// Measured on the benchmark's log: its first half takes 3.5 ms longer to read than its
    /// second (86.5 and 83.0 ms, medians of 10 runs each), so with `--jobs 2` the second thread
    /// was often done first with a few MB of the first part left, too little to take over while
    /// a tail needed two `smallestPart`s.
    public static let smallestTail: Int64 = 1 << 20

    /// Bytes each part has at least (`smallestPart`; tests use small parts).
    let partBytes: Int64
    /// Bytes each half of a tail taken over has at least (`smallestTail`; tests use small ones).
    let tailBytes: Int64
    /// Bytes a thread reads between two looks at where its part ends (tests use small steps).
    /// 1 MB: about 0.7 ms of reading, so a tail may be taken over up to where its reader
    /// actually is, late in the run; the lock is then taken some 1,400 times a second.
    let step: Int64

    public init(jobs: Int, smallestPart: Int64 = ParallelBacklog.smallestPart, smallestTail: Int64 = ParallelBacklog.smallestTail,
                step: Int64 = 1 << 20, logger: Logger,
                makeAnalyzer: @escaping () throws(ConfigurationError) -> LogAnalyzer) {
        self.jobs = max(1, jobs)
        partBytes = max(1, smallestPart)
        tailBytes = max(1, smallestTail)
        self.step = max(1, step)
        self.logger = logger
        self.makeAnalyzer = makeAnalyzer
    }

    /// Consumes the complete lines of `file` from `offset` up to `limit` into `analyzer`, as
    /// `reader.read(file, from: offset, into: analyzer, limit: limit)` does, with the same
    /// outcome (an unterminated last line stays unread), on up to `jobs` threads.
    public func read(_ file: OpenFile, from offset: Int64, limit: Int64, into analyzer: LogAnalyzer,
                     reader: ChunkedLogReader) throws(SystemError) -> ChunkedLogReader.Outcome {
        let parts = Int(min(Int64(jobs), max(1, (limit - offset) / partBytes)))
        guard parts > 1, let placement = ThreadPlacement(threads: parts) else {
            return try reader.read(file, from: offset, into: analyzer, limit: limit)
        }
        let cuts = try Self.lineStarts(in: file, from: offset, limit: limit, parts: parts)
        splitReads += 1

        let board = BacklogSegments(file: file, step: step, smallestTail: tailBytes, steals: parts - 1, placement: placement,
                                    makeAnalyzer: makeAnalyzer)
        // The first part is never empty (its share is at least `smallestPart`); later ones may be.
        let first = board.append(start: cuts[0], limit: cuts[1], analyzer: analyzer)!
        var threads: [pthread_t] = []
        for index in 1..<parts where cuts[index] < cuts[index + 1] {
            guard let segment = board.append(start: cuts[index], limit: cuts[index + 1]) else { break }
            guard let thread = board.startThread(reading: segment) else {
                board.abandon(segment)
                break
            }
            threads.append(thread)
        }
        // A part without its thread leaves a gap: the merge is then not tried, see below.
        board.read(first, reader: reader)
        for thread in threads { pthread_join(thread, nil) }
        steals += board.steals

        let segments = board.all
        guard case .success(let firstEnd)? = first.result else {
            if case .failure(let error)? = first.result { throw error }
            return ChunkedLogReader.Outcome(offset: offset, consumed: 0, reachedCutoff: false)
        }
        // Stopped before its end (the file shrank): what follows is read in a later run.
        guard firstEnd == first.limit else { return ChunkedLogReader.Outcome(offset: firstEnd, consumed: firstEnd - offset, reachedCutoff: false) }

        // Segments follow each other without a gap: every one read to its very end, except the
        // last, which may end in an unterminated line that stays unread; and together they
        // reach `limit` (a part left without an analyzer or a thread is missing from the list).
        var position = firstEnd
        var gapless = true
        for (index, segment) in segments.enumerated().dropFirst() {
            guard segment.start == position, case .success(let end)? = segment.result,
                  end == segment.limit || index == segments.count - 1 else {
                gapless = false
                break
            }
            position = end
        }
        let complete = gapless && (segments.last!.limit == limit)
        if complete, analyzer.absorb(segments.dropFirst().map(\.analyzer)) {
            return ChunkedLogReader.Outcome(offset: position, consumed: position - offset, reachedCutoff: false)
        }
        refusedMerges += 1
        logger.notice("\(file.path): reading offsets \(firstEnd) to \(limit) again on one thread: the parts read by \(parts) threads cannot be merged exactly (a part alone had more than max_methods methods, a latency histogram's switch to buckets depends on the order of the lines, or a part could not be read)")
        let rest = try reader.read(file, from: firstEnd, into: analyzer, limit: limit)
        return ChunkedLogReader.Outcome(offset: rest.offset, consumed: rest.offset - offset, reachedCutoff: false)
    }

    /// `parts + 1` offsets from `offset` to `limit`: the first and the last, and between them
    /// the line start at or after each even share of the range (the byte after the first
    /// newline at or after the share's last byte). Parts may be empty (one long line).
    static func lineStarts(in file: OpenFile, from offset: Int64, limit: Int64, parts: Int) throws(SystemError) -> [Int64] {
        var cuts = [offset]
        for index in 1..<parts {
            let share = offset + (limit - offset) * Int64(index) / Int64(parts)
            cuts.append(try lineStart(in: file, atOrAfter: max(share, cuts[index - 1]), before: limit))
        }
        cuts.append(limit)
        return cuts
    }

    /// The first line start at or after `position` (the byte after a newline), `limit` when
    /// there is none before it.
    static func lineStart(in file: OpenFile, atOrAfter position: Int64, before limit: Int64) throws(SystemError) -> Int64 {
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 16)
        defer { chunk.deallocate() }
        var at = max(0, position - 1)
        while at < limit {
            let window = UnsafeMutableRawBufferPointer(rebasing: chunk[0..<Int(min(Int64(chunk.count), limit - at))])
            let got = try file.read(into: window, at: at)
            if got == 0 { break }
            if let newline = memchr(window.baseAddress!, 0x0A, got) {
                return min(limit, at + Int64(window.baseAddress!.distance(to: newline)) + 1)
            }
            at += Int64(got)
        }
        return limit
    }
}
