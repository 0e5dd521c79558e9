import ElfstatsCore
@testable import ElfstatsRuntime
import Testing

/// `once --jobs N`: a backlog read on several threads gives the offsets and the report of one
/// thread, byte for byte.
@Suite struct ParallelBacklogTests {
    let start: Int64 = 1_764_000_000

    /// `count` lines over `methods` methods, with latencies that vary, and bad lines between.
    func log(lines count: Int, methods: Int, seed: Int = 1) -> String {
        var text = ""
        for index in 0..<count {
            let mixed = (index &* 2_654_435_761 &+ seed) & 0xFFFF
            if mixed % 97 == 0 {
                text += "not a log line \(index)\n"
                continue
            }
            let line = logLine(at: start + Int64(index / 10), group: "g\(mixed % 7)", method: "m\(mixed % methods)")
            // The line ends in " 4466\n" (microseconds): other latencies.
            text += String(line.dropLast(6)) + " \(1000 * (1 + mixed % 900))\n"
        }
        return text
    }

    /// One thread's outcome and report, and `jobs` threads' (with parts of `smallestPart` bytes
    /// at least, and tails taken over when both their halves have as many).
    func compare(_ text: String, jobs: Int, smallestPart: Int64, step: Int64 = 4 << 20, maxMethods: Int = 1000,
                 sourceLocation: SourceLocation = #_sourceLocation) throws -> (one: ChunkedLogReader.Outcome, many: ChunkedLogReader.Outcome, backlog: ParallelBacklog) {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        var (configuration, dataFile) = makeConfiguration(in: directory)
        configuration.maxMethods = maxMethods
        append(text, to: dataFile.log)
        let file = try OpenFile(path: dataFile.log)
        let size = try file.size()

        let single = try LogAnalyzer(configuration: configuration, dataFile: dataFile)
        let one = try ChunkedLogReader(bufferSize: 4096).read(file, from: 0, into: single, limit: size)
        let parallel = try LogAnalyzer(configuration: configuration, dataFile: dataFile)
        let backlog = ParallelBacklog(jobs: jobs, smallestPart: smallestPart, smallestTail: smallestPart, step: step, logger: quietLogger) { () throws(ConfigurationError) in
            try LogAnalyzer(configuration: configuration, dataFile: dataFile)
        }
        let allowed = elfstatsd_allowed_cpus()
        let many = try backlog.read(file, from: 0, limit: size, into: parallel, reader: ChunkedLogReader(bufferSize: 4096))
        // The calling thread may run where it could before, whatever the threads were bound to.
        #expect(elfstatsd_allowed_cpus() == allowed, sourceLocation: sourceLocation)
        let metadata = RoundMetadata(invoked: start, worked: 0, timeZone: .utc)
        #expect(many == one, sourceLocation: sourceLocation)
        #expect(parallel.finishRound(metadata).rendered() == single.finishRound(metadata).rendered(), sourceLocation: sourceLocation)
        return (one, many, backlog)
    }

    @Test func manyThreadsGiveTheOffsetAndReportOfOne() throws {
        let text = log(lines: 3000, methods: 40)
        for jobs in 2...5 {
            let (one, _, backlog) = try compare(text, jobs: jobs, smallestPart: 10_000)
            #expect(one.offset == Int64(text.utf8.count))
            #expect(backlog.splitReads == 1 && backlog.refusedMerges == 0)
        }
    }

    /// An unterminated last line stays unread, as with one thread.
    @Test func anUnterminatedLastLineStaysUnread() throws {
        let text = log(lines: 2000, methods: 30)
        let tail = String(logLine(at: start, method: "late").dropLast(10))
        let (one, _, backlog) = try compare(text + tail, jobs: 3, smallestPart: 10_000)
        #expect(one.offset == Int64(text.utf8.count))
        #expect(backlog.splitReads == 1 && backlog.refusedMerges == 0)
    }

    /// A part alone with more than max_methods methods: the merge refuses, the rest is read on
    /// one thread, and the report is still one thread's (with the overflow method).
    @Test func overflowInAPartFallsBackToOneThread() throws {
        let (one, many, backlog) = try compare(log(lines: 3000, methods: 200), jobs: 2, smallestPart: 10_000, maxMethods: 50)
        #expect(many.offset == one.offset)
        #expect(backlog.splitReads == 1 && backlog.refusedMerges == 1)
    }

    /// A thread done early takes over the tail of a slower one: the first half of this log is
    /// few long lines (cheap per byte), the second many short ones with requests too long to be
    /// remembered (each runs the regexes). The tails taken over merge like the other parts.
    @Test func aThreadDoneEarlyTakesOverATail() throws {
        let agent = String(repeating: "a", count: 3000)
        var text = ""
        for index in 0..<500 {
            text += #"10.0.0.1 - - [\#(logTime(start + Int64(index), offsetMinutes: 120))] "GET /content/g/m?id=1 HTTP/1.1" 200 512 "-" "\#(agent)" community1 community1 OK 300 812 4466"# + "\n"
        }
        let half = text.utf8.count
        var index = 0
        while text.utf8.count < 2 * half {
            let query = String(repeating: "q", count: 60) + "\(index)"
            text += #"10.0.0.1 - - [\#(logTime(start + Int64(index / 20), offsetMinutes: 120))] "GET /content/g\#(index % 9)/m\#(index % 13)?\#(query) HTTP/1.1" 200 512 "-" "c" community1 community1 OK 300 812 \#(1000 * (index % 700))"# + "\n"
            index += 1
        }
        let (one, many, backlog) = try compare(text, jobs: 2, smallestPart: 20_000, step: 4096)
        #expect(one.offset == Int64(text.utf8.count) && many == one)
        #expect(backlog.steals >= 1 && backlog.refusedMerges == 0)
        // Many threads, many small steps: whoever takes what, the report is one thread's.
        for jobs in [3, 5, 8] { _ = try compare(text, jobs: jobs, smallestPart: 5000, step: 1000) }
    }

    /// With as many CPUs as threads, the calling thread is bound to its CPU and a thread it
    /// starts to another one, from its first instruction; a release gives both every CPU the
    /// caller was allowed. With more threads than CPUs nothing is bound.
    @Test func threadsAreBoundToCPUsOfTheirOwnUntilReleased() throws {
        let allowed = elfstatsd_allowed_cpus()
        #expect(allowed >= 1)
        do {
            let crowded = try #require(ThreadPlacement(threads: Int(allowed) + 1))
            #expect(!crowded.isBound && elfstatsd_allowed_cpus() == allowed)
        }
        guard allowed >= 2 else { return }
        let placement = try #require(ThreadPlacement(threads: 2))
        #expect(placement.isBound && elfstatsd_allowed_cpus() == 1)
        let callerCPU = elfstatsd_current_cpu()

        // The thread says where it runs, waits until the placement is released, and says what
        // it may run on then.
        let seen = SeenByThread()
        var ready: [Int32] = [0, 0], go: [Int32] = [0, 0]
        #expect(pipe(&ready) == 0 && pipe(&go) == 0)
        defer { for descriptor in ready + go { close(descriptor) } }
        let (readyIn, readyOut, goIn, goOut) = (ready[0], ready[1], go[0], go[1])
        var byte: UInt8 = 1
        let thread = try #require(placement.startThread {
            seen.cpuAtStart = elfstatsd_current_cpu()
            seen.allowedAtStart = elfstatsd_allowed_cpus()
            var signal: UInt8 = 1
            _ = write(readyOut, &signal, 1)
            _ = read(goIn, &signal, 1)
            seen.allowedAfterRelease = elfstatsd_allowed_cpus()
        })
        #expect(read(readyIn, &byte, 1) == 1)
        #expect(seen.allowedAtStart == 1 && seen.cpuAtStart >= 0 && seen.cpuAtStart != callerCPU)
        placement.release()
        #expect(!placement.isBound && elfstatsd_allowed_cpus() == allowed)
        #expect(write(goOut, &byte, 1) == 1)
        pthread_join(thread, nil)
        #expect(seen.allowedAfterRelease == allowed)
    }

    /// Small backlogs are read on the calling thread; long lines make parts empty.
    @Test func oddBacklogs() throws {
        #expect(try compare(log(lines: 50, methods: 5), jobs: 4, smallestPart: 1 << 20).backlog.splitReads == 0)
        let long = "x" + String(repeating: "y", count: 60_000) + "\n"
        _ = try compare(log(lines: 10, methods: 3) + long + log(lines: 10, methods: 3), jobs: 5, smallestPart: 1000)
        _ = try compare(String(repeating: "z", count: 50_000), jobs: 3, smallestPart: 1000)
    }

    @Test func cutsAreLineStarts() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("log")
        let text = log(lines: 500, methods: 10) + String(repeating: "w", count: 30_000) + "\n" + log(lines: 10, methods: 3)
        append(text, to: path)
        let bytes = Array(text.utf8)
        let file = try OpenFile(path: path)
        for parts in [2, 3, 7, 16] {
            let cuts = try ParallelBacklog.lineStarts(in: file, from: 100, limit: Int64(bytes.count), parts: parts)
            #expect(cuts.count == parts + 1)
            #expect(cuts.first == 100 && cuts.last == Int64(bytes.count))
            #expect(cuts == cuts.sorted())
            for cut in cuts.dropFirst().dropLast() where cut < Int64(bytes.count) {
                #expect(bytes[Int(cut) - 1] == 0x0A, "cut \(cut) of \(parts) parts follows a newline")
            }
        }
        // No newline after the share: the rest is one part.
        let cuts = try ParallelBacklog.lineStarts(in: file, from: Int64(bytes.count) - 100, limit: Int64(bytes.count) - 1, parts: 2)
        #expect(cuts == [Int64(bytes.count) - 100, Int64(bytes.count) - 1, Int64(bytes.count) - 1])
    }

    /// The follower reads the current file's backlog through it, to the same position.
    @Test func theFollowerReadsItsBacklogThroughIt() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let (configuration, dataFile) = makeConfiguration(in: directory)
        append(log(lines: 3000, methods: 20) + "partial", to: dataFile.log)
        let plain = try FollowedLog(configuration, dataFile)
        let threaded = try FollowedLog(configuration, dataFile)
        threaded.follower.backlog = ParallelBacklog(jobs: 3, smallestPart: 10_000, logger: quietLogger) { () throws(ConfigurationError) in
            try LogAnalyzer(configuration: configuration, dataFile: dataFile)
        }
        #expect(plain.round(at: start).records == threaded.round(at: start).records)
        #expect(plain.follower.position == threaded.follower.position)
        #expect(threaded.follower.position?.offset == Int64(log(lines: 3000, methods: 20).utf8.count))
    }
}

/// What the thread of `threadsAreBoundToCPUsOfTheirOwnUntilReleased` saw: written by it before
/// each of its writes to a pipe, read by the test after the matching read.
private final class SeenByThread: @unchecked Sendable {
    var cpuAtStart: Int32 = -1
    var allowedAtStart: Int32 = -1
    var allowedAfterRelease: Int32 = -1
}
