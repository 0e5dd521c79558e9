import ElfstatsCore
import ElfstatsRuntime
import Logging

/// `elfstatsd once`: one round now, for cron or for trying a configuration out.
struct OnceCommand {
    static let description = CommandDescription(
        name: "once",
        abstract: "Run one round now: read every log from its saved offset, write the reports, save the offsets.",
        discussion: """
            Each log is read from the offset saved in state_dir by the previous run (from its start \
            when there is none) up to its current end; an unterminated last line waits for its \
            newline. So every record is counted in exactly one run, however many runs follow. \
            Rotations are followed as by the daemon (set previous_log for copytruncate). Prints one \
            line per data file: name, records, parsed, skipped, errors, milliseconds taken, \
            regex_limit (regex matches that reached regex_match_limit or regex_depth_limit; their \
            records are errors) and too_long (lines longer than max_line_length, each one error).

            A missing or unreadable log is reported on stderr and in its report (metadata key \
            `error`, zero counts); the other data files go on.

            With --jobs N, a backlog of at least 8 MB per job is cut at line boundaries into N \
            parts, read on N threads, and their statistics merged in file order: counts, \
            histograms and pattern sets add, so the report and the saved offsets are the ones a \
            single thread gives, byte for byte. Where that cannot be guaranteed (a part alone has \
            more than max_methods methods, or a latency histogram's switch to buckets would \
            depend on the order of the lines) the later parts are read again on one thread: \
            correct, only slower. A thread done early takes over half the rest of the slowest \
            part. When the process may run on N CPUs or more, each thread is bound to a CPU of its \
            own while it reads (the calling thread to the one it runs on), and all are let go as \
            soon as one has nothing left to read. Each job has its own analyzer and read buffer, \
            and each part taken over one more analyzer, so N jobs take up to about N times the \
            memory of one (the benchmark: 16 MB with one job, 19 MB with two). It pays for large backlogs (a first run on a \
            big log, a catch-up after downtime) on a machine with idle cores.

            EXIT STATUS
              0 when every report was written (even for a missing log); 1 when a report or the saved \
            offsets could not be written, a state file is unusable, the configuration is invalid, or \
            the daemon is running with the same state_dir.
            """,
        options: [ConfigurationOption.description, JobCount.description]
    )

    var options: ConfigurationOption
    var jobs: JobCount

    init(_ arguments: ParsedArguments) throws(CommandLineError) {
        options = ConfigurationOption(arguments)
        jobs = try JobCount(arguments)
    }

    func run() throws {
        var options = options
        // Saved positions name their files; keep those names independent of the working directory.
        options.config = absolutePath(options.config)
        let configuration = try options.load()
        if let pid = PidFile.runningDaemon(directory: configuration.pidDirectory) {
            printError("elfstatsd: the daemon is running (pid \(pid)) and reports these logs already; `once` would count their records twice. Stop it first.")
            throw ExitStatus(1)
        }
        let lock: StateDirectoryLock
        do { lock = try StateDirectoryLock(directory: configuration.stateDirectory) } catch {
            printError("elfstatsd: \(error)")
            throw ExitStatus(1)
        }
        var logger = Logger(label: "elfstatsd") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .notice

        let now = SystemClock.now()
        let reader = ChunkedLogReader()
        var failed = false
        for dataFile in configuration.dataFiles {
            let processor: DataFileProcessor
            do {
                processor = try DataFileProcessor(dataFile: dataFile, configuration: configuration, logger: logger)
                if jobs.value > 1 {
                    processor.follower.backlog = ParallelBacklog(jobs: jobs.value, logger: logger) { () throws(ConfigurationError) in
                        try LogAnalyzer(configuration: configuration, dataFile: dataFile)
                    }
                }
                _ = try processor.restoreState()
            } catch {
                printError("elfstatsd: \(dataFile.name): \(error)")
                failed = true
                continue
            }
            let summary = processor.runRound(roundStart: now, cutoff: nil, bounded: true, reader: reader)
            processor.follower.close()
            // A missing or unreadable log has been logged (stderr) by the processor.
            print(summary.line)
            if let failure = summary.writeFailure {
                printError("elfstatsd: \(dataFile.name): \(failure)")
                failed = true
            }
        }
        withExtendedLifetime(lock) {}
        if failed { throw ExitStatus(1) }
    }
}
