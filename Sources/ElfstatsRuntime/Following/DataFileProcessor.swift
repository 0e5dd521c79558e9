import ElfstatsCore
import Logging

/// One data file's round, from the log's bytes to the report and the saved offsets, in the
/// order that keeps them consistent if the process dies at any point (see `StateStore`).
public final class DataFileProcessor {
    public let dataFile: DataFileConfiguration
    public let follower: LogFollower
    let analyzer: LogAnalyzer
    let store: StateStore
    let logger: Logger
    /// The problem of the last round, so that it is logged when it starts and when it ends.
    private var lastProblem: String?

    /// `follower` carries the position over from an earlier configuration, if any.
    public init(dataFile: DataFileConfiguration, configuration: Configuration, follower: LogFollower? = nil,
                logger: Logger) throws(ConfigurationError) {
        self.dataFile = dataFile
        analyzer = try LogAnalyzer(configuration: configuration, dataFile: dataFile)
        store = StateStore(directory: configuration.stateDirectory)
        self.logger = logger
        self.follower = follower ?? LogFollower(name: dataFile.name, log: dataFile.log, previousLog: dataFile.previousLog, logger: logger)
    }

    /// Start-up: a pending state left by a crash is adopted or dropped; then reading resumes at
    /// the saved position. Returns false when there is no usable saved state (the caller then
    /// decides where to start); throws when the state file is there but unusable.
    public func restoreState() throws(StateError) -> Bool {
        switch store.recoverPending(for: dataFile.name, reportPath: dataFile.report) {
        case .nothingPending: break
        case .adopted(let round):
            logger.notice("\(dataFile.name): the report of round \(LocalTime.format(round)) was written but its offsets were not saved (elfstatsd stopped in between); saved them now")
        case .discarded(let round):
            logger.notice("\(dataFile.name): the report of round \(LocalTime.format(round)) was never written (elfstatsd stopped first); its records will be read again")
        }
        guard let state = try store.load(dataFile.name) else { return false }
        follower.restore(state.position, retired: state.retired)
        return true
    }

    /// Start-up without state: begin at the first record at or after `time`.
    public func seekToFirstRecord(atOrAfter time: Int64, now: Int64) {
        do {
            let bytes = try follower.seekToFirstRecord(atOrAfter: time, now: now, analyzer: analyzer)
            if let position = follower.position {
                logger.info("\(dataFile.name): no saved position; starting \(position.path) at offset \(position.offset), the first record since \(LocalTime.format(time)) (found reading \(bytes) bytes)")
            }
        } catch {
            logger.error("\(dataFile.name): \(error); it will be read from its start when it can be opened")
        }
    }

    /// What a round did with this data file.
    public struct Summary: Sendable {
        public var name: String
        public var round: Int64
        public var records: RecordCounts
        public var seconds: Double
        /// The error written into the report's metadata, if any.
        public var problem: String?
        /// Nil when the report and state were written.
        public var writeFailure: String?
        public var methodOverflow: Bool
        /// The report, and the latencies per method id it holds only rounded (for Prometheus);
        /// kept when `runRound` is asked to keep it, and at debug level.
        public var report: ReportDocument? = nil
        var latencyTotalList: [(id: String, total: LatencyTotal)] = []

        /// Per method id, for Prometheus (empty unless the report is kept). Kept as a list and
        /// hashed only when asked: the dictionary cost 0.27 million instructions per round on
        /// the 100,000-line benchmark, the list 0.1 million (callgrind).
        public var latencyTotals: [String: LatencyTotal] { LatencyTotal.byID(latencyTotalList) }

        /// `method id = calls` of the report, for the debug log (at debug level the summary holds
        /// the report); read from it only when asked (0.17 million instructions per round on the
        /// benchmark otherwise).
        public var calls: [(String, String)] {
            (report?.sections ?? []).compactMap { section -> (String, String)? in
                guard section.name.hasPrefix("method_"), let calls = section["calls"] else { return nil }
                return (String(section.name.dropFirst("method_".count)), calls)
            }
        }

        /// `name records=N parsed=N skipped=N errors=N ms=N regex_limit=N too_long=N`.
        public var line: String {
            var text = "\(name) records=\(records.total) parsed=\(records.parsed) skipped=\(records.skipped) errors=\(records.error) ms=\(Int((seconds * 1000).rounded()))"
            text += " regex_limit=\(records.regexLimit) too_long=\(records.tooLong)"
            if let problem { text += " problem=\"\(problem)\"" }
            return text
        }
    }

    /// Reads the round starting at `roundStart` and writes its report and state.
    /// - `cutoff`: records at or after it wait for the next round (nil: read all complete lines).
    /// - `bounded`: read no further than the log's size at the start (one-shot runs).
    /// - `keepingReport`: the summary holds the report as a document, and the latency totals
    ///   (for Prometheus); without it only the text is made (and the document at debug level,
    ///   which logs the calls of every method).
    public func runRound(roundStart: Int64, cutoff: Int64?, bounded: Bool, reader: ChunkedLogReader,
                         keepingReport: Bool = false) -> Summary {
        let started = SystemClock.monotonic()
        // Records that belong to the next round are stamped between the cutoff and now; one
        // stamped more than a minute past now has a wrong time, and is not waited for.
        let waitLimit = cutoff.map { $0 + max(0, SystemClock.now() - roundStart) + 60 }
        let outcome = follower.readRound(roundStart: roundStart, cutoff: cutoff, waitLimit: waitLimit, bounded: bounded,
                                         analyzer: analyzer, reader: reader)
        let records = analyzer.records
        let overflow = analyzer.overflowedThisRound
        let seconds = SystemClock.monotonic() - started
        var extra: [(key: String, value: String)] = []
        if let problem = outcome.problem { extra.append((key: "error", value: problem)) }
        let metadata = RoundMetadata(invoked: roundStart, worked: seconds, extra: extra, timeZone: .system)
        var summary = Summary(name: dataFile.name, round: roundStart, records: records, seconds: seconds,
                              problem: outcome.problem, writeFailure: nil, methodOverflow: overflow)
        let text: String
        if keepingReport || logger.logLevel <= .debug {
            summary.latencyTotalList = analyzer.latencyTotalList
            let report = analyzer.finishRound(metadata)
            summary.report = report
            text = report.rendered()
        } else {
            text = analyzer.finishRoundAsText(metadata)
        }
        do {
            try save(text, round: roundStart) { logRound(summary) }
        } catch {
            summary.writeFailure = error.description
            logger.error("\(dataFile.name): \(error); the report of round \(LocalTime.format(roundStart)) is lost. Make the directory writable by the user elfstatsd runs as.")
        }
        if outcome.problem != lastProblem {
            if let problem = outcome.problem {
                logger.error("\(dataFile.name): \(problem). Its reports say so (metadata key `error`) until this is fixed; check the `log` setting and that the user elfstatsd runs as may read the file. The other logs go on.")
            } else if let lastProblem {
                logger.notice("\(dataFile.name): readable again (was: \(lastProblem))")
            }
            lastProblem = outcome.problem
        }
        if outcome.futureRecords > 0 {
            logger.warning("\(dataFile.name): \(outcome.futureRecords) record(s) stamped more than a minute ahead of the clock were counted in this round rather than held back; check the web server's clock and the time zone in its log format")
        }
        if overflow {
            logger.warning("\(dataFile.name): more than max_methods distinct methods this round; calls of the others were counted under the overflow method. Aggregate them with requests_aggregation or raise max_methods.")
        }
        return summary
    }

    /// One line per data file and round; at debug level, also the calls of every method.
    private func logRound(_ summary: Summary) {
        logger.info("round=\(summary.round) \(summary.line)")
        if logger.logLevel <= .debug {
            logger.debug("round=\(summary.round) \(summary.name) calls \(summary.calls.map { "\($0.0)=\($0.1)" }.joined(separator: " "))")
        }
    }

    /// Pending state, report, state: in this order (see `StateStore`). `reportWritten` runs
    /// between the report and the state, so that a round logged is a round reported.
    private func save(_ text: String, round: Int64, reportWritten: () -> Void) throws(SystemError) {
        try Directories.create(store.directory, purpose: "state_dir")
        try store.writePending(SavedState(round: round, position: follower.position, retired: follower.retiredPosition,
                                        reportHash: ReportHash.of(text)), for: dataFile.name)
        CrashPoint.afterPending.reached()
        do {
            try Directories.create(Directories.parent(of: dataFile.report), purpose: "report")
            try AtomicFileWriter.write(text, to: dataFile.report, mode: 0o644)
        } catch {
            store.discardPending(for: dataFile.name)
            throw error
        }
        reportWritten()
        CrashPoint.afterReport.reached()
        try store.commitPending(for: dataFile.name)
    }
}

