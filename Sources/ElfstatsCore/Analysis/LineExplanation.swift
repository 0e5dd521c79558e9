/// Everything elfstatsd makes of one line, step by step, for `elfstatsd explain`: how a user
/// checks a LogFormat copied from a web server and the regexes written for it.
///
/// It is made by the counting code itself (`LogAnalyzer.analyzeLine` with a `Recorder` as its
/// trace), so what `explain` says is what `once` counts, overflow method included.
public struct LineExplanation: Sendable {
    /// How the line was classified.
    public enum Outcome: Sendable, Equatable {
        case parsed(methodID: String)
        case skipped
        case error(reason: String)

        public var status: String {
            switch self {
            case .parsed: return "parsed"
            case .skipped: return "skipped"
            case .error: return "error"
            }
        }
    }

    /// Each field of the format with the text the line had for it (nil past the point where the
    /// line stopped fitting).
    public var fields: [(directive: String, role: FieldRole, value: String?)] = []
    public var fitsFormat = false
    public var time: Int64? = nil
    public var request: String? = nil
    public var status: Int? = nil
    public var latency: Latency.Reading? = nil
    public var latencyUnit: LatencyUnit = .microseconds
    /// Which rule decided, in words (`valid_requests[1] '^/(?P<group>...)'`).
    public var rule: String? = nil
    /// The outcome came from the memory of recent requests rather than from the regexes.
    public var remembered = false
    /// The group and method the call is counted under, as the report shows them.
    public var group: String? = nil
    public var method: String? = nil
    public var patterns: [(name: String, value: String)] = []
    /// Regex matches on this line that reached `regex_match_limit`/`regex_depth_limit`/the JIT stack.
    public var regexLimitHits = 0
    /// Why the line is an error record, when it is one.
    public var error: RecordError? = nil
    public var outcome: Outcome = .error(reason: "not analysed")

    /// Collects the steps of `analyzeLine`.
    struct Recorder: AnalysisTrace {
        var time: Int64? = nil
        var request: Range<Int>? = nil
        var status: Int? = nil
        var latency: Latency.Reading? = nil
        var decision: RequestClassifier.Decision? = nil
        var wasRemembered = false
        var patterns: [(index: Int, range: Range<Int>)] = []
        var undecidedPatterns = 0
        var verdict: LineVerdict? = nil

        mutating func time(_ epochSeconds: Int64) { time = epochSeconds }
        mutating func request(_ range: Range<Int>) { request = range }
        mutating func status(_ code: Int) { status = code }
        mutating func latency(_ reading: Latency.Reading) { latency = reading }
        mutating func decision(_ decision: RequestClassifier.Decision) { self.decision = decision }
        mutating func remembered() { wasRemembered = true }
        mutating func pattern(_ index: Int, _ range: Range<Int>) { patterns.append((index, range)) }
        mutating func undecidedPatterns(_ count: Int) { undecidedPatterns = count }
        mutating func verdict(_ verdict: LineVerdict) { self.verdict = verdict }
    }
}

extension LogAnalyzer {
    /// Explains one line by counting it in this analyzer's round, exactly as `consume` would
    /// (so use an analyzer whose report does not matter, or one fed the lines before this one
    /// to see what `once` made of it there). `line` ends at its first newline; one carriage
    /// return before it is dropped, as in a log file.
    public func explain(_ line: String, configuration: Configuration) -> LineExplanation {
        var bytes = Array(line.utf8.prefix { $0 != 0x0A })
        if bytes.last == 0x0D { bytes.removeLast() }
        return bytes.withUnsafeBufferPointer { explain($0, configuration: configuration) }
    }

    /// Explains the bytes of one line (without its newline); see `explain(_:configuration:)`.
    public func explain(_ buffer: UnsafeBufferPointer<UInt8>, configuration: Configuration) -> LineExplanation {
        var explanation = LineExplanation()
        explanation.latencyUnit = latencyUnit
        let base = buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!
        // Shown on a terminal: control characters from the log are replaced (see LineSafeText).
        let text: (Range<Int>) -> String = {
            LineSafeText.cleaned(String(decoding: UnsafeBufferPointer(rebasing: buffer[$0]), as: UTF8.self))
        }

        // The fields, for the user to compare with the format (display only).
        let (fits, fields, ranges) = splitter.splitAll(base, count: buffer.count)
        var values: [Int: String] = [:]
        for (index, range) in ranges { values[index] = text(range) }
        explanation.fields = format.fields.map { ($0.directive, $0.role, values[$0.index]) }
        explanation.fitsFormat = fits

        // The verdict: the counting code itself.
        var recorder = LineExplanation.Recorder()
        _ = analyzeLine(base, count: buffer.count, before: Int64.max, trace: &recorder)

        explanation.time = recorder.time
        explanation.request = recorder.request.map(text)
        explanation.status = recorder.status
        explanation.latency = recorder.latency
        explanation.remembered = recorder.wasRemembered
        explanation.regexLimitHits = recorder.undecidedPatterns
        if let decision = recorder.decision {
            explanation.rule = describe(decision, configuration)
            if case .regexLimit = decision { explanation.regexLimitHits += 1 }
        } else if recorder.wasRemembered {
            explanation.rule = "decided by the regexes for the same request earlier (remembered)"
        }
        for pattern in recorder.patterns {
            explanation.patterns.append((extractor.names[pattern.index], text(pattern.range)))
        }
        switch recorder.verdict {
        case .parsed(let slot)?:
            let named = registry.id(ofSlot: slot)
            explanation.group = named.group
            explanation.method = named.method
            explanation.outcome = .parsed(methodID: named.id)
        case .skipped?:
            explanation.outcome = .skipped
        case .error(let reason)?:
            explanation.error = reason
            explanation.outcome = .error(reason: wording(of: reason, fields: fields, reached: Set(values.keys),
                                                         decision: recorder.decision, text: text))
        case .nextRound?, nil:
            explanation.outcome = .error(reason: "not analysed")
        }
        return explanation
    }

    private func describe(_ decision: RequestClassifier.Decision, _ configuration: Configuration) -> String {
        switch decision {
        case .valid(let rule, let aggregation?):
            return "valid_requests[\(rule)] '\(configuration.validRequests[rule])', then requests_aggregation[\(aggregation)] '\(aggregationRules[aggregation].regex)'"
        case .valid(let rule, nil), .missingMethod(let rule):
            return "valid_requests[\(rule)] '\(configuration.validRequests[rule])'"
        case .skipped(let rule):
            return "requests_to_skip[\(rule)] '\(configuration.requestsToSkip[rule])'"
        case .unmatched:
            return "none of valid_requests and requests_to_skip"
        case .regexLimit(let list, let rule):
            return "\(list.rawValue)[\(rule)] '\(pattern(of: list, rule, configuration))' reached its limit"
        }
    }

    private func pattern(of list: RequestClassifier.RegexList, _ rule: Int, _ configuration: Configuration) -> String {
        switch list {
        case .validRequests: return configuration.validRequests[rule]
        case .requestsToSkip: return configuration.requestsToSkip[rule]
        case .requestsAggregation: return aggregationRules[rule].regex
        }
    }

    private func wording(of reason: RecordError, fields: RecordFields, reached: Set<Int>,
                         decision: RequestClassifier.Decision?, text: (Range<Int>) -> String) -> String {
        switch reason {
        case .lineTooLong(let length):
            return "the line is \(length) bytes long, more than max_line_length (\(maxLineLength))"
        case .doesNotFitFormat:
            let stop = format.fields.first { !reached.contains($0.index) }
            return stop.map { "the line does not fit the format at field \($0.directive) (or the literal text around it)" }
                ?? "the line has text left over after the last field of the format"
        case .badTime:
            return "the time '\(text(fields.timeStart..<fields.timeEnd))' is not dd/Mon/yyyy:HH:MM:SS ±hhmm"
        case .noRequestField:
            return "the format has no request field (%r, %U, $request or $request_uri)"
        case .noStatusField:
            return "the format has no status field (%>s, %s or $status)"
        case .noRequestTarget:
            return "the request line '\(text(fields.requestStart..<fields.requestEnd))' has no path (fewer than two words)"
        case .emptyRequest:
            return "the request field is empty"
        case .badStatus:
            return "the status '\(text(fields.statusStart..<fields.statusEnd))' is not a number from 0 to 999"
        case .badLatency:
            return "the latency '\(text(fields.latencyStart..<fields.latencyEnd))' is not a number"
        case .latencyOutOfRange:
            return "the latency '\(text(fields.latencyStart..<fields.latencyEnd))' is more than \(Latency.maximumMilliseconds) ms (24.8 days)"
        case .requestNotClassified:
            switch decision {
            case .missingMethod(let rule)?:
                return "valid_requests[\(rule)] matched, but its 'method' group took no part in the match"
            case .unmatched?:
                return "no regex of valid_requests or requests_to_skip matches the request"
            default:
                return "the regexes made this same request an error earlier (no regex matched, or no 'method' group)"
            }
        case .regexLimit:
            if case .regexLimit(let list, let rule)? = decision {
                return "\(list.rawValue)[\(rule)] reached regex_match_limit (\(budget.matchLimit)), regex_depth_limit (\(budget.depthLimit)) or the JIT stack before the regexes decided; the record is an error, not skipped"
            }
            return "a regex reached its limit"
        }
    }
}
