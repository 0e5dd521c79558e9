import ElfstatsCore
import ElfstatsPrometheus
import Logging

/// The Prometheus side of the daemon: adds each round's reports to the counters, renders them
/// once, and hands the result to the listener thread.
///
/// It runs on the round loop's thread after the reports are written; rendering is linear in
/// the number of series (bounded by `max_methods` per data file) and the hand-over is one
/// reference swap, so the listener never holds up a round.
public final class MetricsExporter {
    public let settings: PrometheusSettings
    private var metrics: ElfstatsMetrics
    private let listener: MetricsListener
    private let logger: Logger
    /// The `[prometheus]` setting of the last configuration seen, to warn once per change.
    private var configured: PrometheusSettings?

    /// Binds the listening socket (so that a taken port fails the start) and starts serving.
    public init(settings: PrometheusSettings, configuration: Configuration, logger: Logger) throws(MetricsListener.ListenError) {
        self.settings = settings
        self.logger = logger
        configured = settings
        metrics = ElfstatsMetrics(version: elfstatsVersion, startTime: SystemClock.now(), dataFiles: configuration.dataFiles.map(\.name))
        listener = try MetricsListener(address: settings.listen, board: MetricsBoard(MetricsSnapshot(metrics)))
        try listener.start()
        logger.notice("serving Prometheus metrics at http://\(settings.listen)/metrics")
    }

    /// After a round: the reports written are added, data files no longer configured are
    /// forgotten, and the new snapshot replaces the old one.
    public func roundEnded(_ summaries: [DataFileProcessor.Summary], configuration: Configuration) {
        if configuration.prometheus != configured {
            configured = configuration.prometheus
            logger.warning("reload: [prometheus] changed; the listener stays at \(settings.listen) until the next start")
        }
        metrics.keepOnly(dataFiles: configuration.dataFiles.map(\.name))
        for summary in summaries where summary.writeFailure == nil {
            guard let report = summary.report else { continue }
            metrics.add(RoundObservation(dataFile: summary.name, roundStart: summary.round, report: report, latencyTotals: summary.latencyTotals))
        }
        listener.board.publish(MetricsSnapshot(metrics))
    }

    /// Stops serving (the daemon's end).
    public func stop() { listener.stop() }

    /// For a daemon started without `[prometheus]`: says once that a reload which added the
    /// table does not open a listener until the next start.
    public static func noteListenerAddedByReload(logger: Logger) -> ([DataFileProcessor.Summary], Configuration) -> Void {
        var told = false
        return { _, configuration in
            guard let settings = configuration.prometheus, !told else { return }
            told = true
            logger.warning("reload: [prometheus] was added; nothing listens at \(settings.listen) until the next start")
        }
    }
}
