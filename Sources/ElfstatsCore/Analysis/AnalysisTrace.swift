/// What `LogAnalyzer.analyzeLine` found out about one line, step by step, for whoever watches:
/// `elfstatsd explain` watches with `LineExplanation.Recorder`; counting watches with `NoTrace`,
/// whose empty methods the compiler removes from the specialised hot path. So `explain` and
/// `once` run one and the same code and cannot disagree.
///
/// Ranges are byte offsets within the line.
public protocol AnalysisTrace {
    mutating func time(_ epochSeconds: Int64)
    mutating func request(_ range: Range<Int>)
    mutating func status(_ code: Int)
    mutating func latency(_ reading: Latency.Reading)
    /// The regexes ran on the request and decided this.
    mutating func decision(_ decision: RequestClassifier.Decision)
    /// The outcome came from the memory of recent requests (the regexes decided it before).
    mutating func remembered()
    mutating func pattern(_ index: Int, _ range: Range<Int>)
    /// Pattern regexes that reached their budget on this line.
    mutating func undecidedPatterns(_ count: Int)
    mutating func verdict(_ verdict: LineVerdict)
}

extension AnalysisTrace {
    @inline(__always) public mutating func time(_ epochSeconds: Int64) {}
    @inline(__always) public mutating func request(_ range: Range<Int>) {}
    @inline(__always) public mutating func status(_ code: Int) {}
    @inline(__always) public mutating func latency(_ reading: Latency.Reading) {}
    @inline(__always) public mutating func decision(_ decision: RequestClassifier.Decision) {}
    @inline(__always) public mutating func remembered() {}
    @inline(__always) public mutating func pattern(_ index: Int, _ range: Range<Int>) {}
    @inline(__always) public mutating func undecidedPatterns(_ count: Int) {}
    @inline(__always) public mutating func verdict(_ verdict: LineVerdict) {}
}

/// The trace of counting: nothing.
public struct NoTrace: AnalysisTrace {
    @inline(__always) public init() {}
}

/// What became of a line.
public enum LineVerdict: Sendable, Equatable {
    /// Counted as a call of the method in this statistics slot.
    case parsed(slot: Int)
    case skipped
    case error(RecordError)
    /// Its time is at or after the round's cutoff: left for the next round, not counted.
    case nextRound
}

/// Why a line is an error record (the wording is `explain`'s).
public enum RecordError: Sendable, Equatable {
    /// Longer than `max_line_length`.
    case lineTooLong(length: Int)
    /// The line does not fit the log format.
    case doesNotFitFormat
    case badTime
    case noRequestField
    case noStatusField
    /// A request line (`%r`) without a path.
    case noRequestTarget
    case emptyRequest
    case badStatus
    case badLatency
    /// A latency above `Latency.maximumMilliseconds`.
    case latencyOutOfRange
    /// No valid or skip regex matched, or a valid one without its `method` group (the decision
    /// says which, when the regexes ran for this line).
    case requestNotClassified
    /// A regex reached its budget before the regexes decided (the decision says which).
    case regexLimit
}
