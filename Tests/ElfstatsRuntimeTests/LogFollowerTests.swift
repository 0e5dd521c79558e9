import ElfstatsCore
@testable import ElfstatsRuntime
import Testing
/// Rotation of every kind, half-written lines and missing files, each checked for records lost
/// or counted twice.
@Suite struct LogFollowerTests {
    let start: Int64 = 1_764_000_000

    func lines(_ count: Int, from first: Int = 0) -> String {
        (first..<(first + count)).map { logLine(at: start + Int64($0 % 50)) }.joined()
    }

    @Test func renameAndCreateFinishesTheOldFileThenReadsTheNewOne() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let (configuration, dataFile) = makeConfiguration(in: directory)
        let log = try FollowedLog(configuration, dataFile)
        append(lines(10), to: dataFile.log)
        #expect(log.round(at: start).records == 10)
        append(lines(5), to: dataFile.log)
        rename(dataFile.log, dataFile.log + ".1")
        append(lines(7), to: dataFile.log)
        // The web server writes a little more to the old file before it reopens its log.
        append(lines(2), to: dataFile.log + ".1")
        #expect(log.round(at: start + 300).records == 14)
        // An old server process logs its last request to the old file after the switch.
        append(lines(3), to: dataFile.log)
        append(lines(1), to: dataFile.log + ".1")
        #expect(log.round(at: start + 600).records == 4)
        #expect(log.follower.retiredPosition != nil)
        // A round with nothing new in the old file closes it.
        append(lines(2), to: dataFile.log)
        #expect(log.round(at: start + 900).records == 2)
        #expect(log.follower.retiredPosition == nil)
    }

    @Test func aRetiredFileIsFoundAgainAfterARestart() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let (configuration, dataFile) = makeConfiguration(in: directory, previousLog: "access_log.1")
        let first = try FollowedLog(configuration, dataFile)
        append(lines(10), to: dataFile.log)
        #expect(first.round(at: start).records == 10)
        rename(dataFile.log, dataFile.log + ".1")
        append(lines(6), to: dataFile.log)
        #expect(first.round(at: start + 300).records == 6)
        let current = first.follower.position, retired = try #require(first.follower.retiredPosition)
        #expect(retired.path == dataFile.log)
        append(lines(2), to: dataFile.log + ".1")
        append(lines(1), to: dataFile.log)
        let second = try FollowedLog(configuration, dataFile)
        second.follower.restore(current, retired: retired)
        #expect(second.round(at: start + 600).records == 3)
    }

    @Test func renameAndCreateWhileStoppedIsFoundThroughPreviousLog() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let (configuration, dataFile) = makeConfiguration(in: directory, previousLog: "access_log.1")
        let first = try FollowedLog(configuration, dataFile)
        append(lines(10), to: dataFile.log)
        #expect(first.round(at: start).records == 10)
        let saved = first.follower.position
        append(lines(4), to: dataFile.log)
        rename(dataFile.log, dataFile.log + ".1")
        append(lines(6), to: dataFile.log)
        // A new process, resuming from the saved position.
        let second = try FollowedLog(configuration, dataFile)
        second.follower.restore(saved)
        #expect(second.round(at: start + 300).records == 10)
    }

    @Test func copytruncateReadsTheRestFromPreviousLog() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let (configuration, dataFile) = makeConfiguration(in: directory, previousLog: "access_log.1")
        let log = try FollowedLog(configuration, dataFile)
        append(lines(10), to: dataFile.log)
        #expect(log.round(at: start).records == 10)
        append(lines(5), to: dataFile.log)
        _ = system("cp '\(dataFile.log)' '\(dataFile.previousLog)'")
        truncate(dataFile.log, 0)
        append(lines(3), to: dataFile.log)
        #expect(log.round(at: start + 300).records == 8)
        append(lines(2), to: dataFile.log)
        #expect(log.round(at: start + 600).records == 2)
    }

    @Test func copytruncateIsNoticedEvenWhenTheFileGrewPastTheOldOffset() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let (configuration, dataFile) = makeConfiguration(in: directory, previousLog: "access_log.1")
        let log = try FollowedLog(configuration, dataFile)
        append(lines(10), to: dataFile.log)
        #expect(log.round(at: start).records == 10)
        append(lines(5, from: 10), to: dataFile.log)
        _ = system("cp '\(dataFile.log)' '\(dataFile.previousLog)'")
        truncate(dataFile.log, 0)
        append(lines(40, from: 7), to: dataFile.log)
        #expect(log.round(at: start + 300).records == 45)
    }

    @Test func templatedNamesSwitchOnceTheNewFileExists() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let (configuration, dataFile) = makeConfiguration(in: directory, log: "access_log-%Y-%m-%d-%H")
        let template = LogPathTemplate(dataFile.log)
        let hour = start - start % 3600
        let first = template.path(at: hour + 600), second = template.path(at: hour + 3600)
        #expect(first != second)
        let log = try FollowedLog(configuration, dataFile)
        append(lines(10), to: first)
        #expect(log.round(at: hour + 600).records == 10)
        // The hour turned, but the web server has not written to the new file yet.
        append(lines(4), to: first)
        let waiting = log.round(at: hour + 3600)
        #expect(waiting.records == 4)
        #expect(waiting.problem == nil)
        append(lines(3), to: first)
        append(lines(6), to: second)
        #expect(log.round(at: hour + 3900).records == 9)
        // A late line in the old file is still read the round after the switch.
        append(lines(1), to: first)
        append(lines(2), to: second)
        #expect(log.round(at: hour + 4200).records == 3)
        append(lines(2), to: second)
        #expect(log.round(at: hour + 4500).records == 2)
        #expect(log.follower.retiredPosition == nil)
    }

    @Test func aMissingLogIsAProblemUntilItAppearsThenItIsReadFromItsStart() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let (configuration, dataFile) = makeConfiguration(in: directory)
        let log = try FollowedLog(configuration, dataFile)
        let missing = log.round(at: start)
        #expect(missing.records == 0)
        #expect(missing.problem?.contains("No such file") == true)
        append(lines(5), to: dataFile.log)
        let found = log.round(at: start + 300)
        #expect(found.records == 5)
        #expect(found.problem == nil)
    }

    @Test func aDeletedLogIsReadToItsEndThroughTheOpenDescriptor() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let (configuration, dataFile) = makeConfiguration(in: directory)
        let log = try FollowedLog(configuration, dataFile)
        append(lines(5), to: dataFile.log)
        #expect(log.round(at: start).records == 5)
        append(lines(3), to: dataFile.log)
        unlink(dataFile.log)
        let deleted = log.round(at: start + 300)
        #expect(deleted.records == 3)
        #expect(deleted.problem != nil)
        append(lines(4), to: dataFile.log)
        #expect(log.round(at: start + 600).records == 4)
    }

    @Test func aHalfWrittenLineIsCountedWhenItsFileIsRotatedAway() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let (configuration, dataFile) = makeConfiguration(in: directory)
        let log = try FollowedLog(configuration, dataFile)
        let line = logLine(at: start)
        append(line + String(line.prefix(50)), to: dataFile.log)
        #expect(log.round(at: start).records == 1)
        #expect(log.round(at: start + 300).records == 0)
        rename(dataFile.log, dataFile.log + ".1")
        append(line, to: dataFile.log)
        #expect(log.round(at: start + 600).records == 1)
        // The old file gave nothing new this round: it is closed, its last line counted.
        #expect(log.round(at: start + 900).records == 1)
        #expect(log.round(at: start + 1200).records == 0)
    }

    @Test func aCutoffLeavesLaterRecordsForTheNextRound() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let (configuration, dataFile) = makeConfiguration(in: directory)
        let log = try FollowedLog(configuration, dataFile)
        append((0..<20).map { logLine(at: start + Int64($0 * 30)) }.joined(), to: dataFile.log)
        #expect(log.round(at: start + 300, cutoff: start + 300).records == 10)
        #expect(log.round(at: start + 600, cutoff: start + 600).records == 10)
        #expect(log.round(at: start + 900, cutoff: start + 900).records == 0)
    }

    /// A server writes a few records to its log just after the round starts, and the log is
    /// rotated before the round reads it: those records wait in the retired file for the next
    /// round, and the file is not closed while it holds them.
    @Test(arguments: ["rename", "copytruncate"])
    func aRotatedFileKeepsRecordsAfterTheCutoffForTheNextRound(rotation: String) throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let (configuration, dataFile) = makeConfiguration(in: directory, previousLog: "access_log.1")
        let log = try FollowedLog(configuration, dataFile)
        append((0..<10).map { logLine(at: start + Int64($0 * 10)) }.joined(), to: dataFile.log)
        #expect(log.round(at: start + 100, cutoff: start + 100).records == 10)
        append((10..<14).map { logLine(at: start + Int64($0 * 10)) }.joined(), to: dataFile.log)
        if rotation == "rename" {
            rename(dataFile.log, dataFile.log + ".1")
        } else {
            _ = system("cp '\(dataFile.log)' '\(dataFile.previousLog)'")
            truncate(dataFile.log, 0)
        }
        append((14..<16).map { logLine(at: start + Int64($0 * 10)) }.joined(), to: dataFile.log)
        // Round start+120: the old file's records of 100 and 110 only; 120 and 130 wait.
        #expect(log.round(at: start + 120, cutoff: start + 120).records == 2)
        #expect(log.follower.retiredPosition != nil)
        // Round start+200: the old file's last two and the new file's two.
        #expect(log.round(at: start + 200, cutoff: start + 200).records == 4)
        // Nothing new: the old file is closed.
        #expect(log.round(at: start + 300, cutoff: start + 300).records == 0)
        #expect(log.follower.retiredPosition == nil)
    }

    @Test func theStartUpSeekBeginsAtTheLastInterval() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let (configuration, dataFile) = makeConfiguration(in: directory)
        let log = try FollowedLog(configuration, dataFile)
        append((0..<100).map { logLine(at: start + Int64($0 * 10)) }.joined(), to: dataFile.log)
        try log.follower.seekToFirstRecord(atOrAfter: start + 700, now: start + 1000, analyzer: log.analyzer)
        #expect(log.round(at: start + 1200, cutoff: start + 1200).records == 30)
    }
}

@Suite struct LogPathTemplateTests {
    @Test func parametersShiftTheNameAndTheRound() {
        let plain = LogPathTemplate("/var/log/httpd/access_log")
        #expect(plain.pattern == "/var/log/httpd/access_log")
        #expect(!plain.isTemplated)
        #expect(plain.cutoff(at: 1000) == 1000)

        let shifted = LogPathTemplate("/logs/access_log-%Y?ts=-3600")
        #expect(shifted.pattern == "/logs/access_log-%Y")
        #expect(shifted.shift == -3600)
        #expect(shifted.cutoff(at: 10_000) == 6400)

        let nameOnly = LogPathTemplate("/logs/access_log-%H?ts=7200&ts-name-only=true")
        #expect(nameOnly.shift == 7200)
        #expect(nameOnly.shiftsNameOnly)
        #expect(nameOnly.cutoff(at: 10_000) == 10_000)
        #expect(nameOnly.path(at: 10_000) == LogPathTemplate("/logs/access_log-%H").path(at: 17_200))
    }

    @Test func aQuestionMarkThatIsNotOurParametersStaysInTheName() {
        #expect(LogPathTemplate("/logs/what?.log").pattern == "/logs/what?.log")
    }

    @Test func namesFollowTheLocalHour() {
        let template = LogPathTemplate("/logs/access_log-%Y-%m-%d-%H")
        let base: Int64 = 1_764_000_000 - 1_764_000_000 % 3600
        #expect(template.path(at: base) == template.path(at: base + 3599))
        #expect(template.path(at: base) != template.path(at: base + 3600))
        #expect(template.path(at: base).hasPrefix("/logs/access_log-20"))
    }
}

@Suite struct RoundClockTests {
    @Test func roundsStartAtMultiplesOfTheInterval() {
        let clock = RoundClock(interval: 300)
        #expect(clock.roundStart(atOrBefore: 1_764_000_123) == 1_764_000_000)
        #expect(clock.nextRoundStart(after: 1_764_000_000) == 1_764_000_300)
        #expect(clock.nextRoundStart(after: 1_764_000_299) == 1_764_000_300)
    }
}
