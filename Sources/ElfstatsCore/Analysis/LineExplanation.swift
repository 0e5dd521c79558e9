/// Everything elfstatsd makes of one line, step by step, for `elfstatsd explain`: how a user
/// checks a LogFormat copied from a web server and the regexes written for it.
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
    public var group: String? = nil
    public var method: String? = nil
    public var patterns: [(name: String, value: String)] = []
    public var outcome: Outcome = .error(reason: "not analysed")
}

extension LogAnalyzer {
    /// Explains one line without counting it.
    public func explain(_ line: String, configuration: Configuration) -> LineExplanation {
        var explanation = LineExplanation()
        explanation.latencyUnit = latencyUnit
        let bytes = Array(line.utf8.prefix { $0 != 0x0A && $0 != 0x0D })
        return bytes.withUnsafeBufferPointer { buffer -> LineExplanation in
            let base = buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!
            let text: (Range<Int>) -> String = { String(decoding: buffer[$0], as: UTF8.self) }
            let (fits, fields, ranges) = splitter.splitAll(base, count: buffer.count)
            var values: [Int: String] = [:]
            for (index, range) in ranges { values[index] = text(range) }
            explanation.fields = format.fields.map { ($0.directive, $0.role, values[$0.index]) }
            explanation.fitsFormat = fits
            func error(_ reason: String) -> LineExplanation {
                explanation.outcome = .error(reason: reason)
                return explanation
            }
            guard fits else {
                let reached = format.fields.first { values[$0.index] == nil }
                return error(reached.map { "the line does not fit the format at field \($0.directive) (or the literal text around it)" }
                             ?? "the line has text left over after the last field of the format")
            }
            if fields.timeStart >= 0 {
                guard let time = Timestamp.parse(base + fields.timeStart, count: fields.timeEnd - fields.timeStart) else {
                    return error("the time '\(text(fields.timeStart..<fields.timeEnd))' is not dd/Mon/yyyy:HH:MM:SS ±hhmm")
                }
                explanation.time = time
            }
            guard fields.requestStart >= 0 else { return error("the format has no request field (%r, %U, $request or $request_uri)") }
            guard fields.statusStart >= 0 else { return error("the format has no status field (%>s, %s or $status)") }
            var target = fields.requestStart..<fields.requestEnd
            if requestIsLine {
                guard let found = RequestTarget.find(in: base, start: fields.requestStart, end: fields.requestEnd) else {
                    return error("the request line '\(text(fields.requestStart..<fields.requestEnd))' has no path (fewer than two words)")
                }
                target = found
            }
            explanation.request = text(target)
            guard let status = StatusCode.parse(base + fields.statusStart, count: fields.statusEnd - fields.statusStart) else {
                return error("the status '\(text(fields.statusStart..<fields.statusEnd))' is not an integer")
            }
            explanation.status = status
            if fields.latencyStart >= 0 {
                let reading = Latency.milliseconds(base + fields.latencyStart, count: fields.latencyEnd - fields.latencyStart, unit: latencyUnit)
                explanation.latency = reading
                if reading == .invalid { return error("the latency '\(text(fields.latencyStart..<fields.latencyEnd))' is not a number") }
            }
            let request = base + target.lowerBound
            switch classifier.classify(request, count: target.count) {
            case .valid(let rule, let aggregation?):
                let applied = aggregationRules[aggregation]
                explanation.rule = "valid_requests[\(rule)] '\(configuration.validRequests[rule])', then requests_aggregation[\(aggregation)] '\(applied.regex)'"
                explanation.group = applied.group
                explanation.method = applied.method
            case .valid(let rule, nil):
                explanation.rule = "valid_requests[\(rule)] '\(configuration.validRequests[rule])'"
                let requestText = explanation.request!
                let utf8 = Array(requestText.utf8)
                explanation.group = classifier.groupRange.map { String(decoding: utf8[$0], as: UTF8.self) } ?? "nogroup"
                explanation.method = String(decoding: utf8[classifier.methodRange], as: UTF8.self)
            case .missingMethod(let rule):
                explanation.rule = "valid_requests[\(rule)] '\(configuration.validRequests[rule])'"
                return error("valid_requests[\(rule)] matched, but its 'method' group took no part in the match")
            case .skipped(let rule):
                explanation.rule = "requests_to_skip[\(rule)] '\(configuration.requestsToSkip[rule])'"
                explanation.outcome = .skipped
                return explanation
            case .unmatched:
                return error("no regex of valid_requests or requests_to_skip matches the request '\(explanation.request!)'")
            }
            let forbidden = try? PCRE2Regex(configuration.forbiddenSymbols)
            let id = explanation.group! + "_" + explanation.method!
            explanation.outcome = .parsed(methodID: forbidden?.removingMatches(from: id) ?? id)
            extractor.extract(request, count: target.count) { index, range in
                let value = String(decoding: UnsafeBufferPointer(start: request + range.lowerBound, count: range.count), as: UTF8.self)
                explanation.patterns.append((extractor.names[index], value))
            }
            return explanation
        }
    }
}
