import ElfstatsCore

/// What one round wrote for one data file: its report, and the latency totals the report does
/// not hold exactly. The metrics are made from the report itself, so that a counter's increase
/// over a round is what that round's report says, by construction.
public struct RoundObservation: Sendable {
    /// The data file's name (`[[data_files]] name`).
    public var dataFile: String
    /// The round's start, seconds since the epoch (the report's `daemon_invoked`).
    public var roundStart: Int64
    public var report: ReportDocument
    /// Per method id, from `LogAnalyzer.latencyTotals`; a method missing here counted none.
    public var latencyTotals: [String: LatencyTotal]

    public init(dataFile: String, roundStart: Int64, report: ReportDocument, latencyTotals: [String: LatencyTotal]) {
        self.dataFile = dataFile
        self.roundStart = roundStart
        self.report = report
        self.latencyTotals = latencyTotals
    }
}
