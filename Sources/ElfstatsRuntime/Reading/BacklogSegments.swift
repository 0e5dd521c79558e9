import ElfstatsCore

/// One stretch of a backlog, read by one thread into one analyzer. `limit` and `reserved` are
/// guarded by the lock of the `BacklogSegments` holding it; the rest is used by the reading
/// thread only, and by the thread that merges after joining it.
final class BacklogSegment: @unchecked Sendable {
    let start: Int64
    /// Where the segment ends: lowered when another thread takes over its tail.
    var limit: Int64
    /// How far the reading thread has committed to read: a tail may be taken from here on.
    var reserved: Int64
    let analyzer: LogAnalyzer
    /// The offset where reading stopped (its limit, or before an unterminated last line), or
    /// why it could not be read; nil while no thread has read it.
    var result: Result<Int64, SystemError>? = nil

    init(start: Int64, limit: Int64, analyzer: LogAnalyzer) {
        self.start = start
        self.limit = limit
        reserved = start
        self.analyzer = analyzer
    }
}

/// The segments of one backlog in file order, shared by the threads reading it. A thread that
/// is done with its segment takes over the second half of the unread rest of the segment with
/// the most left (a "steal"), so a thread slowed down by other work on its core (on a web host,
/// the web server) is helped rather than waited for. Each stolen tail is a new segment with a
/// new analyzer, merged in file order like the others.
///
/// Shared across threads (hence @unchecked Sendable): `segments`, every segment's `limit` and
/// `reserved`, and `stealsLeft` are only touched under `mutex`; a segment's analyzer and result
/// only by the one thread reading it, and after `pthread_join` by the thread that merges.
final class BacklogSegments: @unchecked Sendable {
    let file: OpenFile
    /// Bytes read between two looks at the segment's limit.
    let step: Int64
    /// A tail is taken over only when both halves have at least this many bytes.
    let smallestTail: Int64
    private let makeAnalyzer: () throws(ConfigurationError) -> LogAnalyzer
    /// Where the reading threads run.
    let placement: ThreadPlacement
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private var segments: [BacklogSegment] = []
    /// At most this many more segments are made by steals: each holds an analyzer until the
    /// merge, so this bounds memory (N-1 steals for N parts: at most 2N-1 analyzers). One steal
    /// per slow part does most of the good: a thread twice as slow as the others, helped once,
    /// ends at 1.5 times their time instead of twice.
    private var stealsLeft: Int
    private(set) var steals = 0

    init(file: OpenFile, step: Int64, smallestTail: Int64, steals: Int, placement: ThreadPlacement,
         makeAnalyzer: @escaping () throws(ConfigurationError) -> LogAnalyzer) {
        self.placement = placement
        self.file = file
        self.step = max(1, step)
        self.smallestTail = smallestTail
        stealsLeft = steals
        self.makeAnalyzer = makeAnalyzer
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    private func locked<T>(_ body: () -> T) -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return body()
    }

    /// The segments in file order (once every reading thread has been joined).
    var all: [BacklogSegment] { locked { segments } }

    /// Appends a segment read into `analyzer` (nil: a new one); nil when none could be made.
    func append(start: Int64, limit: Int64, analyzer: LogAnalyzer? = nil) -> BacklogSegment? {
        locked {
            guard let analyzer = analyzer ?? (try? makeAnalyzer()) else { return nil }
            let segment = BacklogSegment(start: start, limit: limit, analyzer: analyzer)
            segments.append(segment)
            return segment
        }
    }

    /// Marks a segment that no thread will read: nobody takes its tail, and the merge sees it
    /// was not read.
    func abandon(_ segment: BacklogSegment) {
        locked { segment.reserved = segment.limit }
    }

    /// Reads `segment`, then takes over tails of the others while there are any worth it; then,
    /// having nothing left to read, lets every thread use its CPU.
    func read(_ segment: BacklogSegment, reader: ChunkedLogReader) {
        var next: BacklogSegment? = segment
        while let current = next {
            readSegment(current, reader: reader)
            next = stealTail()
        }
        placement.release()
    }

    /// Reads the segment's lines `step` bytes at a time, looking at its limit in between.
    private func readSegment(_ segment: BacklogSegment, reader: ChunkedLogReader) {
        var position = segment.start
        do throws(SystemError) {
            while true {
                let (limit, end) = locked { () -> (Int64, Int64) in
                    let end = min(segment.limit, position + step)
                    segment.reserved = max(segment.reserved, end)
                    return (segment.limit, end)
                }
                if position >= limit { break }
                let read = try reader.read(file, from: position, into: segment.analyzer, limit: end)
                if read.offset > position {
                    position = read.offset
                    continue
                }
                // Nothing read: an unterminated last line (end is the limit), or one line longer
                // than a step, read whole up to the limit (its tail is not taken any more).
                if end == limit { break }
                let whole = locked { () -> Int64 in
                    segment.reserved = segment.limit
                    return segment.limit
                }
                position = try reader.read(file, from: position, into: segment.analyzer, limit: whole).offset
                break
            }
            segment.result = .success(position)
        } catch {
            segment.result = .failure(error)
        }
        abandon(segment)
    }

    /// Takes over the second half of the unread rest of the segment with the most left, as a
    /// new segment after it; nil when no rest is worth it (or no analyzer could be made).
    private func stealTail() -> BacklogSegment? {
        while true {
            let found = locked { () -> (BacklogSegment, Int64, Int64)? in
                guard stealsLeft > 0,
                      let victim = segments.max(by: { $0.limit - $0.reserved < $1.limit - $1.reserved }),
                      victim.limit - victim.reserved >= 2 * smallestTail else { return nil }
                return (victim, victim.reserved, victim.limit)
            }
            guard let (victim, reserved, limit) = found else { return nil }
            // Outside the lock: finding a line start reads the file.
            // No line start in the second half (one long line): nothing to take over.
            guard let cut = try? ParallelBacklog.lineStart(in: file, atOrAfter: reserved + (limit - reserved) / 2, before: limit),
                  cut < limit else { return nil }
            var gaveUp = false
            let stolen = locked { () -> BacklogSegment? in
                // The victim may have read past the cut, or lost its tail to another thread.
                guard victim.limit == limit, cut >= victim.reserved, cut < limit else { return nil }
                guard let analyzer = try? makeAnalyzer() else {
                    gaveUp = true
                    return nil
                }
                victim.limit = cut
                let segment = BacklogSegment(start: cut, limit: limit, analyzer: analyzer)
                segment.reserved = cut
                segments.insert(segment, at: segments.firstIndex { $0 === victim }! + 1)
                stealsLeft -= 1
                steals += 1
                return segment
            }
            if let stolen { return stolen }
            if gaveUp { return nil }
        }
    }

    /// Starts a thread that reads `segment` (and tails of others), placed by `placement`;
    /// nil when none could start.
    func startThread(reading segment: BacklogSegment) -> pthread_t? {
        placement.startThread {
            // Its own buffer: a reader is not shared (pread on the shared descriptor is).
            self.read(segment, reader: ChunkedLogReader())
        }
    }
}
