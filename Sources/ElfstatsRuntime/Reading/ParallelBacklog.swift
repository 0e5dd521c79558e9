import ElfstatsCore
import Logging

/// Reads a large backlog of one log on several threads (`once --jobs N`): the byte range is
/// cut at line starts into N parts, the first is read by the calling thread into the data
/// file's analyzer while each other part is read by a thread of its own into a new analyzer of
/// the same configuration, and the parts are then merged in file order (`LogAnalyzer.absorb`).
/// The report is the one a single thread gives, byte for byte.
///
/// Memory: each extra job has its own analyzer (compiled regexes, classification cache,
/// statistics up to `max_methods` and `max_pattern_values`) and its own read buffer, so N jobs
/// take up to N times the memory of one.
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
    /// Measured (elfstatsd once on the benchmark's log, 216 bytes per line): one extra analyzer
    /// costs about 3 ms to build and to merge (regexes compiled, the first requests of its part
    /// classified by the regexes as its cache is empty, up to `max_methods` methods merged),
    /// and one job reads about 1 MB in 4 ms; 8 MB a part keeps that cost under a tenth of the
    /// time a part takes.
    public static let smallestPart: Int64 = 8 << 20

    /// Reads split into parts, and of those the ones whose parts could not be merged (read
    /// again on one thread), for the tests.
    private(set) var splitReads = 0
    private(set) var refusedMerges = 0

    /// Bytes each part has at least (`smallestPart`; tests use small parts).
    let partBytes: Int64

    public init(jobs: Int, smallestPart: Int64 = ParallelBacklog.smallestPart, logger: Logger,
                makeAnalyzer: @escaping () throws(ConfigurationError) -> LogAnalyzer) {
        self.jobs = max(1, jobs)
        partBytes = max(1, smallestPart)
        self.logger = logger
        self.makeAnalyzer = makeAnalyzer
    }

    /// Consumes the complete lines of `file` from `offset` up to `limit` into `analyzer`, as
    /// `reader.read(file, from: offset, into: analyzer, limit: limit)` does, with the same
    /// outcome (an unterminated last line stays unread), on up to `jobs` threads.
    public func read(_ file: OpenFile, from offset: Int64, limit: Int64, into analyzer: LogAnalyzer,
                     reader: ChunkedLogReader) throws(SystemError) -> ChunkedLogReader.Outcome {
        let parts = Int(min(Int64(jobs), max(1, (limit - offset) / partBytes)))
        guard parts > 1 else { return try reader.read(file, from: offset, into: analyzer, limit: limit) }
        let cuts = try Self.lineStarts(in: file, from: offset, limit: limit, parts: parts)
        splitReads += 1

        // The non-empty parts; the first is never empty (its share is at least `smallestPart`).
        let ranges = (0..<parts).map { (start: cuts[$0], end: cuts[$0 + 1]) }.filter { $0.start < $0.end }

        // A thread for each part after the first; the first is read here meanwhile.
        var workers: [(part: PartRead, thread: pthread_t)] = []
        var startedAll = true
        for range in ranges.dropFirst() {
            guard let part = try? PartRead(file: file, start: range.start, end: range.end, analyzer: makeAnalyzer()),
                  let thread = part.startThread() else {
                startedAll = false
                break
            }
            workers.append((part, thread))
        }
        let first: ChunkedLogReader.Outcome
        do {
            first = try reader.read(file, from: offset, into: analyzer, limit: ranges[0].end)
        } catch {
            for worker in workers { pthread_join(worker.thread, nil) }
            throw error
        }
        for worker in workers { pthread_join(worker.thread, nil) }
        // Stopped before its end (the file shrank, or it is the only part and ends in an
        // unterminated line): what follows is read in a later run, from that offset.
        guard first.offset == ranges[0].end, !workers.isEmpty || !startedAll else { return first }

        // Parts follow each other without a gap: every one read to its very end, except the
        // last, which may end in an unterminated line that stays unread.
        var position = first.offset
        var gapless = startedAll
        for (index, worker) in workers.enumerated() where gapless {
            guard case .success(let outcome)? = worker.part.result,
                  outcome.offset == worker.part.end || index == workers.count - 1 else {
                gapless = false
                break
            }
            position = outcome.offset
        }
        if gapless, analyzer.absorb(workers.map(\.part.analyzer)) {
            return ChunkedLogReader.Outcome(offset: position, consumed: position - offset, reachedCutoff: false)
        }
        refusedMerges += 1
        logger.notice("\(file.path): reading offsets \(ranges[0].end) to \(limit) again on one thread: the parts read by \(ranges.count) threads cannot be merged exactly (a part alone had more than max_methods methods, a latency histogram's switch to buckets depends on the order of the lines, or a part could not be read)")
        let rest = try reader.read(file, from: ranges[0].end, into: analyzer, limit: limit)
        return ChunkedLogReader.Outcome(offset: rest.offset, consumed: rest.offset - offset, reachedCutoff: false)
    }

    /// `parts + 1` offsets from `offset` to `limit`: the first and the last, and between them
    /// the line start at or after each even share of the range (the byte after the first
    /// newline at or after the share's last byte). Parts may be empty (one long line).
    static func lineStarts(in file: OpenFile, from offset: Int64, limit: Int64, parts: Int) throws(SystemError) -> [Int64] {
        var cuts = [offset]
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 16)
        defer { chunk.deallocate() }
        for index in 1..<parts {
            let share = offset + (limit - offset) * Int64(index) / Int64(parts)
            var position = max(share - 1, cuts[index - 1])
            var cut = limit
            search: while position < limit {
                let window = UnsafeMutableRawBufferPointer(rebasing: chunk[0..<Int(min(Int64(chunk.count), limit - position))])
                let got = try file.read(into: window, at: position)
                if got == 0 { break }
                if let newline = memchr(window.baseAddress!, 0x0A, got) {
                    cut = position + Int64(window.baseAddress!.distance(to: newline)) + 1
                    break search
                }
                position += Int64(got)
            }
            cuts.append(max(cut, cuts[index - 1]))
        }
        cuts.append(limit)
        return cuts
    }
}

/// One part read by a thread of its own. Used by one thread at a time: the creating thread
/// fills it in and starts the thread; from `pthread_create` to `pthread_join` only that thread
/// touches it (the creator reads nothing of it in between); after the join only the creator.
/// `pthread_create` and `pthread_join` order the memory accesses around them, so no lock is
/// needed, which is what @unchecked says.
private final class PartRead: @unchecked Sendable {
    let file: OpenFile
    let start: Int64
    let end: Int64
    let analyzer: LogAnalyzer
    var result: Result<ChunkedLogReader.Outcome, SystemError>? = nil

    init(file: OpenFile, start: Int64, end: Int64, analyzer: LogAnalyzer) {
        self.file = file
        self.start = start
        self.end = end
        self.analyzer = analyzer
    }

    /// Starts the thread that reads the part; nil when no thread could be started.
    func startThread() -> pthread_t? {
        var thread = pthread_t()
        let context = Unmanaged.passRetained(self).toOpaque()
        let created = pthread_create(&thread, nil, { context in
            let part = Unmanaged<PartRead>.fromOpaque(context!).takeRetainedValue()
            // Its own buffer: a reader is not shared (pread on the shared descriptor is).
            let reader = ChunkedLogReader()
            do throws(SystemError) {
                part.result = .success(try reader.read(part.file, from: part.start, into: part.analyzer, limit: part.end))
            } catch {
                part.result = .failure(error)
            }
            return nil
        }, context)
        guard created == 0 else {
            Unmanaged<PartRead>.fromOpaque(context).release()
            return nil
        }
        return thread
    }
}
