import ElfstatsCore
import Logging

/// The daemon's life once it has started: rounds on the clock, one report per data file each,
/// configuration reloads on SIGHUP, and a clean stop on SIGTERM/SIGINT.
public final class Daemon {
    private(set) var configuration: Configuration
    private var processors: [DataFileProcessor]
    private var clock: RoundClock
    private let logFile: DaemonLogFile
    private let logger: Logger
    private let signals: SignalMonitor
    private let reader = ChunkedLogReader()
    private var stopRequested = false
    private var reloadRequested = false
    /// systemd's readiness protocol; does nothing outside systemd.
    public var notifier = ServiceNotifier.fromEnvironment()
    /// Called after every round with what it did per data file (the Prometheus exporter).
    public var roundEnded: ((_ summaries: [DataFileProcessor.Summary], _ configuration: Configuration) -> Void)?

    public init(configuration: Configuration, logFile: DaemonLogFile, logger: Logger,
                signals: SignalMonitor) throws(ConfigurationError) {
        self.configuration = configuration
        self.logFile = logFile
        self.logger = logger
        self.signals = signals
        clock = RoundClock(interval: configuration.interval)
        reader.shouldStop = { [signals] in signals.stopIsPending() }
        processors = try configuration.dataFiles.map { dataFile throws(ConfigurationError) in
            try DataFileProcessor(dataFile: dataFile, configuration: configuration, logger: logger)
        }
    }

    /// Where each log is taken up: its saved position, else the first record of the last interval.
    public func start() {
        let now = SystemClock.now()
        for processor in processors { resume(processor, now: now) }
    }

    private func resume(_ processor: DataFileProcessor, now: Int64) {
        do {
            if try processor.restoreState() { return }
        } catch {
            logger.error("\(processor.dataFile.name): \(error)")
        }
        processor.seekToFirstRecord(atOrAfter: now - Int64(configuration.interval), now: now)
    }

    /// Runs rounds until told to stop; returns the exit status.
    public func run() -> Int32 {
        var next = clock.nextRoundStart(after: SystemClock.now())
        notifier.ready(status: "\(processors.count) data file(s), a round every \(configuration.interval) s")
        logger.notice("elfstatsd \(elfstatsVersion) running with \(configuration.path): \(processors.count) data file(s), a round every \(configuration.interval) s, the first at \(LocalTime.format(next))")
        while !stopRequested {
            let events = signals.wait(until: Double(next))
            note(events)
            if reloadRequested {
                reloadRequested = false
                notifier.reloading()
                reload()
                notifier.ready(status: "\(processors.count) data file(s), a round every \(configuration.interval) s")
                let now = SystemClock.now()
                if now < next { next = min(next, clock.nextRoundStart(after: now)) }
            }
            if stopRequested { break }
            guard events.isEmpty else { continue }
            runRound(next)
            let now = SystemClock.now()
            let following = clock.nextRoundStart(after: max(next, now))
            if following > next + clock.interval {
                logger.warning("the round of \(LocalTime.format(next)) ended at \(LocalTime.format(now)), after the next round start; the records of the rounds skipped go into the round of \(LocalTime.format(following))")
            }
            next = following
        }
        notifier.stopping()
        logger.notice("elfstatsd stopped (signal); offsets saved")
        return 0
    }

    private func note(_ events: [SignalMonitor.Event]) {
        if events.contains(.stop) { stopRequested = true }
        if events.contains(.reload) { reloadRequested = true }
    }

    /// One round: every data file in turn; a stop request ends it after the file in hand.
    private func runRound(_ roundStart: Int64) {
        var summaries: [DataFileProcessor.Summary] = []
        defer { roundEnded?(summaries, configuration) }
        for processor in processors {
            let cutoff = processor.follower.template.cutoff(at: roundStart)
            summaries.append(processor.runRound(roundStart: roundStart, cutoff: cutoff, bounded: false, reader: reader,
                                                keepingReport: roundEnded != nil))
            note(signals.pending())
            if stopRequested {
                logger.notice("stop requested during the round of \(LocalTime.format(roundStart)); what was read is reported and its offsets saved, the rest is read at the next start")
                return
            }
        }
    }

    /// SIGHUP: a valid configuration applies from the next round; an invalid one is logged and
    /// the running one stays. Logs still configured the same way keep their positions.
    private func reload() {
        let fresh: Configuration
        var built: [DataFileProcessor] = []
        var added: [DataFileProcessor] = []
        do {
            fresh = try ConfigurationFile.load(path: configuration.path)
            for dataFile in fresh.dataFiles {
                let old = processors.first { $0.dataFile.name == dataFile.name && $0.follower.follows(dataFile) }
                let processor = try DataFileProcessor(dataFile: dataFile, configuration: fresh, follower: old?.follower, logger: logger)
                built.append(processor)
                if old == nil { added.append(processor) }
            }
        } catch {
            logger.error("reload: \(error); the configuration is unchanged. Fix the file and send SIGHUP again.")
            return
        }
        for (key, old, new) in [("pid_dir", configuration.pidDirectory, fresh.pidDirectory), ("log_dir", configuration.logDirectory, fresh.logDirectory)] where old != new {
            logger.warning("reload: \(key) changed from \(old) to \(new); this takes effect at the next start")
        }
        configuration = fresh
        processors = built
        clock = RoundClock(interval: fresh.interval)
        logFile.update(DaemonLogFile.Settings(level: Logger.Level(fresh.logLevel), maximumSize: Int64(fresh.maxLogFileSize),
                                              keptFiles: fresh.maxLogFiles, alsoToStandardError: logFile.settingsNow.alsoToStandardError))
        let now = SystemClock.now()
        for processor in added { resume(processor, now: now) }
        logger.notice("reloaded \(fresh.path): \(built.count) data file(s), a round every \(fresh.interval) s")
    }
}
