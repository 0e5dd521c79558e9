import ElfstatsCore
@testable import ElfstatsRuntime
import Testing
@Suite struct StateTests {
    let start: Int64 = 1_764_000_000

    @Test func stateTextRoundTrips() {
        let state = SavedState(round: 42, position: FilePosition(path: "/var/log/a b", identity: FileIdentity(device: 7, inode: 9),
                                                                 offset: 1234, fingerprint: LineFingerprint(length: 64, hash: 0xabc)),
                               retired: FilePosition(path: "/var/log/a b.1", identity: FileIdentity(device: 7, inode: 8),
                                                     offset: 99, fingerprint: LineFingerprint(length: 12, hash: 0x123)),
                               reportHash: 0xdef)
        #expect(SavedState(parsing: state.rendered()) == state)
        #expect(SavedState(parsing: SavedState(round: 1, position: nil).rendered()) == SavedState(round: 1, position: nil))
        #expect(SavedState(parsing: "garbage") == nil)
        #expect(SavedState(parsing: "version = 1\nround = 5\npath = /x\n") == nil)
    }

    /// Read on bytes, as written: a path that starts with a combining mark or holds '=' comes
    /// back as it was, and a state saved with CR LF line ends (edited on another system) reads.
    @Test func stateTextIsReadLineByLineOnItsBytes() {
        for path in ["\u{301}x.log", "/var/log/a=b", "/var/log/\u{65E5}\u{672C}", "/logs/ a\tb"] {
            let state = SavedState(round: 7, position: FilePosition(path: path, identity: FileIdentity(device: 1, inode: 2),
                                                                  offset: 3, fingerprint: LineFingerprint(length: 4, hash: 5)))
            #expect(SavedState(parsing: state.rendered()) == state)
        }
        let state = SavedState(round: 9, position: nil, reportHash: 0xfeed)
        #expect(SavedState(parsing: state.rendered().split(separator: "\n").joined(separator: "\r\n") + "\r\n") == state)
        #expect(SavedState(parsing: "version = 1\nround = 5\nround = 6\n\n# c = d\n")?.round == 6)
        #expect(SavedState(parsing: "version = 1\nround = 5\nno equals sign\n") == nil)
        #expect(SavedState(parsing: "") == nil)
    }

    /// Saved states hold these hashes: they must not change between versions, and the report
    /// read back as bytes must hash as the text that was written.
    @Test func reportHashesAreFNV1aOfTheUTF8Bytes() {
        #expect(ReportHash.of("") == 0xcbf2_9ce4_8422_2325)
        #expect(ReportHash.of("a") == 0xaf63_dc4c_8601_ec8c)
        #expect(ReportHash.of("foobar") == 0x85944171f73967e8)
        let report = "version: 1\ncalls ünïcode\n"
        #expect(ReportHash.of(bytes: Array(report.utf8)) == ReportHash.of(report))
        #expect(ReportHash.of(bytes: Array("version: 2\n".utf8)) != ReportHash.of(report))
    }

    @Test func anUnreadableStateFileSaysWhichFileAndWhatToDo() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = StateStore(directory: directory.path)
        append("not state\n", to: store.statePath(for: "web"))
        #expect(throws: StateError.self) { try store.load("web") }
        do {
            _ = try store.load("web")
        } catch {
            #expect(error.description.contains(store.statePath(for: "web")))
            #expect(error.description.contains("remove the file"))
        }
        #expect(try store.load("other") == nil)
    }

    /// Runs rounds of one data file through the processor, as `once` does.
    func processor(_ configuration: Configuration, _ dataFile: DataFileConfiguration) throws -> DataFileProcessor {
        let processor = try DataFileProcessor(dataFile: dataFile, configuration: configuration, logger: quietLogger)
        _ = try processor.restoreState()
        return processor
    }

    func lines(_ count: Int) -> String { (0..<count).map { logLine(at: start + Int64($0)) }.joined() }

    @Test func aCrashBetweenReportAndStateDoesNotCountTwice() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let (configuration, dataFile) = makeConfiguration(in: directory)
        let store = StateStore(directory: configuration.stateDirectory)
        let reader = ChunkedLogReader()
        append(lines(10), to: dataFile.log)
        #expect(try processor(configuration, dataFile).runRound(roundStart: start, cutoff: nil, bounded: true, reader: reader).records.total == 10)
        let firstState = try #require(fileText(store.statePath(for: "test")))
        append(lines(5), to: dataFile.log)
        #expect(try processor(configuration, dataFile).runRound(roundStart: start + 1, cutoff: nil, bounded: true, reader: reader).records.total == 5)
        // The disk as a process killed after writing the report and before saving the state leaves it.
        rename(store.statePath(for: "test"), store.pendingPath(for: "test"))
        try AtomicFileWriter.write(firstState, to: store.statePath(for: "test"))

        append(lines(2), to: dataFile.log)
        let next = try processor(configuration, dataFile)
        #expect(access(store.pendingPath(for: "test"), F_OK) != 0)
        #expect(next.runRound(roundStart: start + 2, cutoff: nil, bounded: true, reader: reader).records.total == 2)
    }

    @Test func aCrashBeforeTheReportReadsTheRecordsAgain() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let (configuration, dataFile) = makeConfiguration(in: directory)
        let store = StateStore(directory: configuration.stateDirectory)
        let reader = ChunkedLogReader()
        append(lines(10), to: dataFile.log)
        #expect(try processor(configuration, dataFile).runRound(roundStart: start, cutoff: nil, bounded: true, reader: reader).records.total == 10)
        let firstState = try #require(fileText(store.statePath(for: "test")))
        let firstReport = try #require(fileText(dataFile.report))
        append(lines(5), to: dataFile.log)
        #expect(try processor(configuration, dataFile).runRound(roundStart: start + 1, cutoff: nil, bounded: true, reader: reader).records.total == 5)
        // The disk as a process killed after writing the pending state, before the report.
        rename(store.statePath(for: "test"), store.pendingPath(for: "test"))
        try AtomicFileWriter.write(firstState, to: store.statePath(for: "test"))
        try AtomicFileWriter.write(firstReport, to: dataFile.report)

        let next = try processor(configuration, dataFile)
        #expect(access(store.pendingPath(for: "test"), F_OK) != 0)
        #expect(next.runRound(roundStart: start + 2, cutoff: nil, bounded: true, reader: reader).records.total == 5)
    }

    @Test func onceTwiceCountsEachRecordOnceAndAHalfLineWhenItsNewlineArrives() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let (configuration, dataFile) = makeConfiguration(in: directory)
        let reader = ChunkedLogReader()
        let line = logLine(at: start)
        append(lines(7) + String(line.prefix(30)), to: dataFile.log)
        let first = try processor(configuration, dataFile).runRound(roundStart: start, cutoff: nil, bounded: true, reader: reader)
        #expect(first.records.total == 7)
        let second = try processor(configuration, dataFile).runRound(roundStart: start + 1, cutoff: nil, bounded: true, reader: reader)
        #expect(second.records.total == 0)
        append(String(line.dropFirst(30)), to: dataFile.log)
        let third = try processor(configuration, dataFile).runRound(roundStart: start + 2, cutoff: nil, bounded: true, reader: reader)
        #expect(third.records.total == 1)
        #expect(third.records.parsed == 1)
        let report = ReportDocument(parsing: try #require(fileText(dataFile.report)))
        #expect(report[section: "records"]?["total"] == "1")
        #expect(report[section: "metadata"]?["daemon_invoked"] == LocalTime.format(start + 2))
    }

    @Test func aMissingLogStillGetsAReportWithAnErrorKey() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let (configuration, dataFile) = makeConfiguration(in: directory)
        let summary = try processor(configuration, dataFile).runRound(roundStart: start, cutoff: nil, bounded: true, reader: ChunkedLogReader())
        #expect(summary.problem != nil)
        #expect(summary.writeFailure == nil)
        let report = ReportDocument(parsing: try #require(fileText(dataFile.report)))
        #expect(report[section: "metadata"]?["error"]?.contains(dataFile.log) == true)
        #expect(report[section: "records"]?["total"] == "0")
        var status = stat()
        stat(dataFile.report, &status)
        #expect(status.st_mode & 0o777 == 0o644)
    }
}

@Suite struct PidFileTests {
    @Test func aSecondDaemonIsRefusedAndAStaleFileIsTakenOver() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        // A pid that surely belongs to no process: a child that has exited and been reaped.
        var child: pid_t = 0
        let arguments: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/true"), nil]
        #expect(posix_spawn(&child, "/bin/true", nil, nil, arguments, nil) == 0)
        var status: Int32 = 0
        waitpid(child, &status, 0)
        append("\(child)\n", to: directory.file("elfstatsd.pid"))

        let first = PidFile(directory: directory.path)
        try first.acquire()
        #expect(first.stalePid == child)
        #expect(fileText(first.path) == "\(getpid())\n")

        let second = PidFile(directory: directory.path)
        #expect(throws: PidFile.Failure.alreadyRunning(pid: getpid(), path: first.path)) { try second.acquire() }

        first.release()
        #expect(access(first.path, F_OK) != 0)
        try second.acquire()
        second.release()
    }

    @Test func aZombieIsNotARunningDaemon() throws {
        // A child that has exited and not been reaped is a zombie until waited for.
        var child: pid_t = 0
        let arguments: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/true"), nil]
        #expect(posix_spawn(&child, "/bin/true", nil, nil, arguments, nil) == 0)
        defer { var status: Int32 = 0; waitpid(child, &status, 0) }
        var stat = ""
        for _ in 0..<500 {
            stat = fileText("/proc/\(child)/stat") ?? ""
            if PidFile.isZombie(stat: stat) { break }
            usleep(10_000)
        }
        #expect(PidFile.isZombie(stat: stat), "\(stat)")
        #expect(kill(child, 0) == 0, "kill(pid, 0) alone takes a zombie for a live process")
        #expect(!PidFile.isZombie(stat: fileText("/proc/self/stat") ?? ""))
        // The command name may hold spaces and parentheses; the state follows the last ')'.
        #expect(PidFile.isZombie(stat: "42 (a) R (b) Z 1 42 42"))
        #expect(!PidFile.isZombie(stat: "42 (a) Z (b) S 1 42 42"))
    }

    @Test func anUnwritableDirectoryIsAClearError() {
        let pidFile = PidFile(directory: "/nonexistent/elfstatsd")
        do {
            try pidFile.acquire()
            Issue.record("acquired a pid file in a missing directory")
        } catch {
            #expect(error.description.contains("/nonexistent/elfstatsd"))
            #expect(error.description.contains("writable"))
        }
    }
}
