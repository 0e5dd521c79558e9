import ElfstatsCore
@testable import ElfstatsRuntime
import Testing

@Suite struct ChunkedLogReaderTests {
    let start: Int64 = 1_764_000_000

    func setUp() throws -> (TemporaryDirectory, LogAnalyzer, String) {
        let directory = TemporaryDirectory()
        let (configuration, dataFile) = makeConfiguration(in: directory)
        return (directory, try LogAnalyzer(configuration: configuration, dataFile: dataFile), dataFile.log)
    }

    @Test func anUnterminatedLastLineWaitsForItsNewline() throws {
        let (directory, analyzer, log) = try setUp()
        defer { directory.remove() }
        let line = logLine(at: start)
        append(line + line + line + String(line.prefix(40)), to: log)
        let reader = ChunkedLogReader(bufferSize: 4096)
        let first = try reader.read(OpenFile(path: log), from: 0, into: analyzer)
        #expect(analyzer.records.total == 3)
        #expect(first.offset == Int64(line.utf8.count * 3))
        append(String(line.dropFirst(40)), to: log)
        let second = try reader.read(OpenFile(path: log), from: first.offset, into: analyzer)
        #expect(analyzer.records.total == 4)
        #expect(analyzer.records.error == 0)
        #expect(second.offset == Int64(line.utf8.count * 4))
    }

    @Test func finalCountsTheUnterminatedTailOnce() throws {
        let (directory, analyzer, log) = try setUp()
        defer { directory.remove() }
        let line = logLine(at: start)
        append(line + String(line.dropLast()), to: log)
        let outcome = try ChunkedLogReader(bufferSize: 4096).read(OpenFile(path: log), from: 0, into: analyzer, final: true)
        #expect(analyzer.records.total == 2)
        #expect(analyzer.records.parsed == 2)
        #expect(outcome.offset == Int64(line.utf8.count * 2 - 1))
    }

    @Test func stopsAtTheFirstRecordAtOrAfterTheCutoff() throws {
        let (directory, analyzer, log) = try setUp()
        defer { directory.remove() }
        let lines = (0..<10).map { logLine(at: start + Int64($0)) }
        append(lines.joined(), to: log)
        let outcome = try ChunkedLogReader(bufferSize: 4096).read(OpenFile(path: log), from: 0, into: analyzer, before: start + 6)
        #expect(analyzer.records.total == 6)
        #expect(outcome.reachedCutoff)
        #expect(outcome.offset == Int64(lines[0..<6].joined().utf8.count))
    }

    @Test func aRecordStampedFarInTheFutureDoesNotHoldBackTheLinesBehindIt() throws {
        let (directory, analyzer, log) = try setUp()
        defer { directory.remove() }
        let lines = [logLine(at: start), logLine(at: start + 86_400 * 365), logLine(at: start + 1), logLine(at: start + 20), logLine(at: start + 2)]
        append(lines.joined(), to: log)
        let outcome = try ChunkedLogReader(bufferSize: 4096).read(OpenFile(path: log), from: 0, into: analyzer,
                                                                  before: start + 10, waitLimit: start + 70)
        // The one a year ahead is counted; the one 20 s ahead waits, and so does what follows it.
        #expect(analyzer.records.total == 3)
        #expect(outcome.futureRecords == 1)
        #expect(outcome.reachedCutoff)
        #expect(outcome.offset == Int64(lines[0..<3].joined().utf8.count))
    }

    @Test func linesCrossingChunkBoundariesAreCountedOnce() throws {
        let (directory, analyzer, log) = try setUp()
        defer { directory.remove() }
        let text = (0..<2000).map { logLine(at: start + Int64($0 / 10), method: "m\($0 % 7)") }.joined()
        append(text, to: log)
        let outcome = try ChunkedLogReader(bufferSize: 4096).read(OpenFile(path: log), from: 0, into: analyzer)
        #expect(analyzer.records.total == 2000)
        #expect(analyzer.records.parsed == 2000)
        #expect(outcome.offset == Int64(text.utf8.count))
    }

    @Test func aLineLongerThanTheBufferIsOneRecord() throws {
        let (directory, analyzer, log) = try setUp()
        defer { directory.remove() }
        let long = logLine(at: start, method: String(repeating: "x", count: 20_000))
        append(logLine(at: start) + long + logLine(at: start), to: log)
        _ = try ChunkedLogReader(bufferSize: 4096).read(OpenFile(path: log), from: 0, into: analyzer)
        #expect(analyzer.records.total == 3)
    }

    @Test func aStopRequestEndsTheReadAtALineBoundaryAndTheRestFollowsLater() throws {
        let (directory, analyzer, log) = try setUp()
        defer { directory.remove() }
        let line = logLine(at: start)
        append(String(repeating: line, count: 100), to: log)
        let reader = ChunkedLogReader(bufferSize: 4096)
        reader.shouldStop = { true }
        let first = try reader.read(OpenFile(path: log), from: 0, into: analyzer)
        #expect(analyzer.records.total > 0 && analyzer.records.total < 100)
        #expect(first.offset == Int64(analyzer.records.total * line.utf8.count))
        reader.shouldStop = { false }
        _ = try reader.read(OpenFile(path: log), from: first.offset, into: analyzer)
        #expect(analyzer.records.total == 100)
        // A final read (the last of a rotated file) is never cut short.
        reader.shouldStop = { true }
        let other = try LogAnalyzer(configuration: makeConfiguration(in: directory).0, dataFile: makeConfiguration(in: directory).1)
        _ = try reader.read(OpenFile(path: log), from: 0, into: other, final: true)
        #expect(other.records.total == 100)
    }

    @Test func aLimitStopsAtTheSizeSeenAtTheStart() throws {
        let (directory, analyzer, log) = try setUp()
        defer { directory.remove() }
        let line = logLine(at: start)
        append(line + line, to: log)
        let limit = Int64(line.utf8.count)
        let outcome = try ChunkedLogReader(bufferSize: 4096).read(OpenFile(path: log), from: 0, into: analyzer, limit: limit)
        #expect(analyzer.records.total == 1)
        #expect(outcome.offset == limit)
    }

    func setUp(maxLineLength: Int) throws -> (TemporaryDirectory, LogAnalyzer, String) {
        let directory = TemporaryDirectory()
        var (configuration, dataFile) = makeConfiguration(in: directory)
        configuration.maxLineLength = maxLineLength
        return (directory, try LogAnalyzer(configuration: configuration, dataFile: dataFile), dataFile.log)
    }

    @Test func aLineLongerThanMaxLineLengthIsOneErrorReadPastInConstantMemory() throws {
        let (directory, analyzer, log) = try setUp(maxLineLength: 8192)
        defer { directory.remove() }
        let long = logLine(at: start, method: String(repeating: "x", count: 5 << 20))
        append(logLine(at: start) + long + logLine(at: start) + long + logLine(at: start), to: log)
        let reader = ChunkedLogReader(bufferSize: 4096)
        let outcome = try reader.read(OpenFile(path: log), from: 0, into: analyzer)
        #expect(analyzer.records == RecordCounts(parsed: 3, error: 2, tooLong: 2))
        #expect(reader.capacity <= 8192 + 2)
        #expect(outcome.offset == Int64(3 * logLine(at: start).utf8.count + 2 * long.utf8.count))
    }

    @Test func anOverlongLineStillBeingWrittenIsCountedOnceWhenItEnds() throws {
        let (directory, analyzer, log) = try setUp(maxLineLength: 4096)
        defer { directory.remove() }
        let long = logLine(at: start, method: String(repeating: "y", count: 100_000))
        let cut = long.utf8.count / 2
        append(logLine(at: start) + String(long.prefix(cut)), to: log)
        let reader = ChunkedLogReader(bufferSize: 4096)
        let first = try reader.read(OpenFile(path: log), from: 0, into: analyzer)
        #expect(analyzer.records == RecordCounts(parsed: 1))
        #expect(first.offset == Int64(logLine(at: start).utf8.count))
        append(String(long.dropFirst(cut)) + logLine(at: start), to: log)
        _ = try reader.read(OpenFile(path: log), from: first.offset, into: analyzer)
        #expect(analyzer.records == RecordCounts(parsed: 2, error: 1, tooLong: 1))
        // The last of a file that will not grow: the unterminated tail is one record.
        append(String(long.dropLast()), to: log)
        let other = try LogAnalyzer(configuration: { var c = makeConfiguration(in: directory).0; c.maxLineLength = 4096; return c }(),
                                    dataFile: makeConfiguration(in: directory).1)
        let last = try reader.read(OpenFile(path: log), from: 0, into: other, final: true)
        #expect(other.records == RecordCounts(parsed: 2, error: 2, tooLong: 2))
        #expect(last.offset == Int64(2 * logLine(at: start).utf8.count + 2 * long.utf8.count - 1))
    }
}
