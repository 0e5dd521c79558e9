import ElfstatsCore
import Logging

/// Follows one log across rounds and rotations: knows which file it is reading and where it
/// stopped, notices the three kinds of rotation, and hands the bytes of each round to the
/// analyzer so that every record is counted once.
///
/// - rename + create (logrotate's default): the path now names another file. The old one is
///   still open here (or, after a restart, found again as `previous_log` by its identity) and is
///   read to its end before the new file is read from its start. It stays open ("retired") until
///   a round finds nothing new in it: after a graceful restart, the web server's old processes
///   go on logging their last requests to it for a while.
/// - copytruncate: the same file, but shorter than the saved offset or with other bytes before
///   it. The rest of the old content is read from `previous_log` at the saved offset (when it
///   holds the same bytes before that offset), then the file from its start. The copy is retired
///   like a renamed file.
///
/// A retired file is read up to the round's cutoff, like the current one: the records a server
/// wrote to it just after the round started belong to the next round, which reads them from it.
/// Only a retired file that must make room for another (two rotations within one round) is read
/// to its end at once.
/// - templated names: the name for this round differs from the file being read. Once the new
///   file exists, the old one is read to its end and the new one from its start; until then the
///   old one is still the web server's current log.
public final class LogFollower {
    public let template: LogPathTemplate
    /// Where copytruncate (or rename) puts the old content; empty when not configured.
    public let previousLog: String
    /// Where reading stopped; nil when no file has been seen yet (the next one is read from 0).
    public private(set) var position: FilePosition?
    /// The file `position` refers to, kept open between rounds.
    private var file: OpenFile?
    /// A file rotated away that may still receive the last lines of old server processes, and
    /// where reading of it stopped.
    public private(set) var retiredPosition: FilePosition?
    private var retiredFile: OpenFile?
    private let logger: Logger
    private let name: String
    /// Reads the current file's backlog on several threads in bounded rounds without a cutoff
    /// (`once --jobs N`); nil reads on the calling thread only.
    public var backlog: ParallelBacklog? = nil

    public init(name: String, log: String, previousLog: String, position: FilePosition? = nil, logger: Logger) {
        self.name = name
        template = LogPathTemplate(log)
        self.previousLog = previousLog
        self.position = position
        self.logger = logger
    }

    /// Whether this follower can go on serving a data file configured like `dataFile`.
    public func follows(_ dataFile: DataFileConfiguration) -> Bool {
        template == LogPathTemplate(dataFile.log) && previousLog == dataFile.previousLog
    }

    /// What one round of reading did.
    public struct Outcome: Sendable, Equatable {
        /// The error that goes into the report's metadata: the log is missing or unreadable.
        public var problem: String?
        /// Bytes consumed this round.
        public var bytes: Int64 = 0
        /// Records stamped after the wait limit, counted rather than held back.
        public var futureRecords = 0
    }

    /// Start-up without saved state: positions at the first record at or after `time` in the log
    /// named for `now`, by binary search. A missing log is read from its start once it appears.
    /// Returns the number of bytes the search read.
    @discardableResult
    public func seekToFirstRecord(atOrAfter time: Int64, now: Int64, analyzer: LogAnalyzer) throws(SystemError) -> Int64 {
        let path = template.path(at: now)
        let opened: OpenFile
        do {
            opened = try OpenFile(path: path)
        } catch {
            if error.isMissingFile { return 0 }
            throw error
        }
        let counter = CountingByteSource(opened)
        let seeker = StartOffsetSeeker { analyzer.recordTime(ofLine: $0) }
        let offset = try seeker.offset(in: counter, ofFirstRecordAtOrAfter: time)
        file = opened
        position = FilePosition(path: path, identity: opened.identity, offset: offset,
                                fingerprint: try LineFingerprint.of(opened, before: offset) ?? LineFingerprint(length: 0, hash: 0))
        return counter.bytesRead
    }

    /// Reads the round that starts at `roundStart`: every record before `cutoff` (all complete
    /// lines when nil; records stamped after `waitLimit` are not held back), no further than the
    /// file's size at the start when `bounded` (one-shot runs), into `analyzer`.
    public func readRound(roundStart: Int64, cutoff: Int64?, waitLimit: Int64? = nil, bounded: Bool,
                          analyzer: LogAnalyzer, reader: ChunkedLogReader) -> Outcome {
        var outcome = Outcome()
        let wanted = template.path(at: roundStart)
        do {
            if file == nil, let saved = position { reopen(saved, wanted: wanted) }

            let status: FileStatus?
            do {
                status = try FileStatus.of(path: wanted)
            } catch {
                status = nil
                if !error.isMissingFile || file == nil || position?.path == wanted {
                    outcome.problem = error.description
                }
            }

            if retiredFile == nil, let saved = retiredPosition {
                retiredFile = find(saved)
                if retiredFile == nil { retiredPosition = nil }
            }
            var justRetired = false
            if let current = file, let status, status.identity != current.identity {
                // Rotated by rename, or the templated name moved on: the old file is read up to the
                // cutoff now, and on in later rounds in case old server processes still write to it.
                logger.info("\(name): \(current.path) was rotated (the path now names another file); reading the rest of the old file, then \(wanted) from its start")
                outcome.bytes += retire(current, at: position, analyzer: analyzer, reader: reader)
                justRetired = true
                file = nil
                position = nil
            }
            if retiredFile != nil {
                outcome.bytes += drainRetired(analyzer: analyzer, reader: reader, justRetired: justRetired,
                                              cutoff: cutoff, waitLimit: waitLimit)
            }
            if file == nil, status != nil {
                let opened = try OpenFile(path: wanted)
                file = opened
                position = FilePosition(path: wanted, identity: opened.identity, offset: 0, fingerprint: LineFingerprint(length: 0, hash: 0))
            }
            guard let current = file, var at = position else { return outcome }

            if try wasTruncated(current, at: at) {
                outcome.bytes += retireCopy(of: at, analyzer: analyzer, reader: reader, cutoff: cutoff, waitLimit: waitLimit)
                at.offset = 0
                at.fingerprint = LineFingerprint(length: 0, hash: 0)
            }
            let limit = bounded ? try current.size() : nil
            let read: ChunkedLogReader.Outcome
            if let backlog, let limit, cutoff == nil {
                read = try backlog.read(current, from: at.offset, limit: limit, into: analyzer, reader: reader)
            } else {
                read = try reader.read(current, from: at.offset, into: analyzer, before: cutoff, waitLimit: waitLimit, limit: limit)
            }
            outcome.bytes += read.consumed
            outcome.futureRecords = read.futureRecords
            at.offset = read.offset
            at.fingerprint = try LineFingerprint.of(current, before: read.offset) ?? at.fingerprint
            position = at
        } catch {
            outcome.problem = error.description
        }
        return outcome
    }

    /// Forgets the open files (the one-shot run ends; the positions stay).
    public func close() {
        file = nil
        retiredFile = nil
    }

    /// Resumes at saved positions; the files are opened again, and checked to be the same ones,
    /// at the next round.
    public func restore(_ saved: FilePosition?, retired: FilePosition? = nil) {
        file = nil
        position = saved
        retiredFile = nil
        retiredPosition = retired
    }

    /// Reads what was added to the retired file, up to the cutoff; once a round adds nothing and
    /// holds nothing back for the next round, counts an unterminated last line too and closes it.
    private func drainRetired(analyzer: LogAnalyzer, reader: ChunkedLogReader, justRetired: Bool,
                              cutoff: Int64?, waitLimit: Int64?) -> Int64 {
        guard let retired = retiredFile, var at = retiredPosition else { return 0 }
        do {
            let read = try reader.read(retired, from: at.offset, into: analyzer, before: cutoff, waitLimit: waitLimit)
            at.offset = read.offset
            at.fingerprint = try LineFingerprint.of(retired, before: read.offset) ?? at.fingerprint
            retiredPosition = at
            if read.consumed == 0 && !read.reachedCutoff && !justRetired {
                return closeRetired(analyzer: analyzer, reader: reader)
            }
            return read.consumed
        } catch {
            logger.warning("\(name): \(error); the rest of the rotated file \(at.path) cannot be read")
            retiredFile = nil
            retiredPosition = nil
            return 0
        }
    }

    /// Makes `file` the retired file, read on from `position`; one retired before it must make
    /// room, and is read to its very end first. Returns the bytes read from that one.
    private func retire(_ file: OpenFile, at position: FilePosition?, analyzer: LogAnalyzer, reader: ChunkedLogReader) -> Int64 {
        let bytes = retiredFile == nil ? 0 : closeRetired(analyzer: analyzer, reader: reader)
        retiredFile = file
        retiredPosition = position
        return bytes
    }

    /// Reads the retired file to its very end (an unterminated last line counts) and closes it.
    private func closeRetired(analyzer: LogAnalyzer, reader: ChunkedLogReader) -> Int64 {
        defer {
            retiredFile = nil
            retiredPosition = nil
        }
        guard let retired = retiredFile, let at = retiredPosition else { return 0 }
        do {
            return try reader.read(retired, from: at.offset, into: analyzer, final: true).consumed
        } catch {
            logger.warning("\(name): \(error); the rest of the rotated file \(at.path) cannot be read")
            return 0
        }
    }

    /// The file a saved position is in, found by its identity at its own path or at `previous_log`.
    private func find(_ saved: FilePosition) -> OpenFile? {
        for path in [saved.path, previousLog] where !path.isEmpty {
            if let opened = try? OpenFile(path: path), opened.identity == saved.identity { return opened }
        }
        return nil
    }

    /// After a restart: opens the file the saved position is in, found by its identity at its
    /// own path or at `previous_log`.
    private func reopen(_ saved: FilePosition, wanted: String) {
        if let found = find(saved) {
            file = found
            return
        }
        logger.warning("\(name): \(saved.path) (\(saved.identity)) is gone, and previous_log does not hold it: the records after offset \(saved.offset) of that file cannot be read; reading \(wanted) from its start. Set previous_log to where rotation moves the old log to avoid this.")
        position = nil
    }

    /// The same file, but not the bytes that were read: shorter than the offset, or other bytes
    /// before it.
    private func wasTruncated(_ current: OpenFile, at position: FilePosition) throws(SystemError) -> Bool {
        guard position.offset > 0 else { return false }
        if try current.size() < position.offset { return true }
        return try LineFingerprint.of(current, before: position.offset) != position.fingerprint
    }

    /// In-place rotation: the rest of the old content is in `previous_log` at the same offset.
    /// The copy becomes the retired file, read from there up to the cutoff this round and to its
    /// end in a later one.
    private func retireCopy(of at: FilePosition, analyzer: LogAnalyzer, reader: ChunkedLogReader,
                            cutoff: Int64?, waitLimit: Int64?) -> Int64 {
        guard !previousLog.isEmpty else {
            logger.warning("\(name): \(at.path) was truncated in place (copytruncate) at offset \(at.offset); the records written after that offset and before the truncation cannot be read because previous_log is not set. Set previous_log to the file copytruncate copies to.")
            return 0
        }
        let previous: OpenFile
        do {
            previous = try OpenFile(path: previousLog)
            guard try LineFingerprint.of(previous, before: at.offset) == at.fingerprint else {
                logger.warning("\(name): \(at.path) was truncated in place, but \(previousLog) does not hold the bytes read so far; the rest of the old log cannot be found, reading \(at.path) from its start")
                return 0
            }
        } catch {
            logger.warning("\(name): \(at.path) was truncated in place and \(error); the rest of the old log cannot be read")
            return 0
        }
        logger.info("\(name): \(at.path) was truncated in place (copytruncate); reading the rest of \(previousLog) from offset \(at.offset), then \(at.path) from its start")
        let copied = FilePosition(path: previousLog, identity: previous.identity, offset: at.offset, fingerprint: at.fingerprint)
        return retire(previous, at: copied, analyzer: analyzer, reader: reader)
            + drainRetired(analyzer: analyzer, reader: reader, justRetired: true, cutoff: cutoff, waitLimit: waitLimit)
    }
}
