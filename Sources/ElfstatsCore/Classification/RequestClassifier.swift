/// Sorts a raw request (path and query) into valid, skipped or unmatched, by the user's regexes
/// in the order behaviour users rely on: valid regexes first (first match wins), then, for a
/// valid request, the aggregation rules (first match replaces group and method); only requests
/// no valid regex matched are tried against the skip regexes.
public final class RequestClassifier {
    /// What the regexes made of a request.
    public enum Decision: Sendable, Equatable {
        /// `validRequests[rule]` matched; `aggregation` is the aggregation rule that matched, if any.
        /// The group and method captures are then available from `groupRange`/`methodRange`.
        case valid(rule: Int, aggregation: Int?)
        /// A valid regex matched but its `method` group took no part in the match: an error.
        case missingMethod(rule: Int)
        /// No valid regex matched, `requestsToSkip[rule]` did.
        case skipped(rule: Int)
        /// Nothing matched: an error ("request not parsed").
        case unmatched
        /// `rule` of `list` reached its match budget before the regexes decided: an error of its
        /// own kind. The skip list never claims a request a valid regex could not decide.
        case regexLimit(list: RegexList, rule: Int)
    }

    /// Which setting a regex comes from.
    public enum RegexList: String, Sendable, Equatable {
        case validRequests = "valid_requests"
        case requestsToSkip = "requests_to_skip"
        case requestsAggregation = "requests_aggregation"
    }

    /// The compiled regexes, kept alive here; the loops run over their `Matcher`s.
    let regexes: [PCRE2Regex]
    let valid: Matchers
    let aggregation: Matchers
    let skip: Matchers
    /// Per valid regex: the `group` group's number or -1, the `method` group's number or -1.
    let groupNumbers: UnsafeMutableBufferPointer<Int>
    let methodNumbers: UnsafeMutableBufferPointer<Int>

    /// Byte ranges, within the request, of the captures of the valid regex that matched last.
    /// Exclusivity unchecked (proven): only `classify` writes them, with plain stores.
    @exclusivity(unchecked) public private(set) var groupRange: Range<Int>? = nil
    @exclusivity(unchecked) public private(set) var methodRange: Range<Int> = 0..<0

    /// Every regex here answers the same on a request and on the request up to its first `?`
    /// (see `QueryBlindness`), so requests may be classified by that part alone.
    public let ignoresQuery: Bool

    /// When `ignoresQuery`: the most `/` bytes a match of any of these regexes can consume
    /// (`PathDepth`), so requests may be classified by their part up to the next `/` after
    /// that many; `Int.max` when some regex has no such bound.
    public let slashesRead: Int

    /// Every regex here treats all digits alike (`DigitBlindness`), so an outcome whose group
    /// and method hold no digit holds for every request of the same shape.
    public let ignoresDigits: Bool

    public init(validRequests: [String], requestsToSkip: [String], aggregation rules: [AggregationRule],
                budget: RegexBudget = RegexBudget()) throws(RegexError) {
        var valid: [PCRE2Regex] = []
        for pattern in validRequests { valid.append(try PCRE2Regex(pattern, budget: budget)) }
        var skip: [PCRE2Regex] = []
        for pattern in requestsToSkip { skip.append(try PCRE2Regex(pattern, budget: budget)) }
        var aggregation: [PCRE2Regex] = []
        for rule in rules { aggregation.append(try PCRE2Regex(rule.regex, budget: budget)) }
        regexes = valid + skip + aggregation
        let patterns = validRequests + requestsToSkip + rules.map(\.regex)
        ignoresQuery = patterns.allSatisfy { QueryBlindness.holds(for: $0) }
        let bounds = patterns.compactMap { PathDepth.slashesRead(by: $0) }
        slashesRead = ignoresQuery && bounds.count == patterns.count ? bounds.max() ?? 0 : Int.max
        ignoresDigits = patterns.allSatisfy { DigitBlindness.holds(for: $0) }
        self.valid = Matchers(valid)
        self.skip = Matchers(skip)
        self.aggregation = Matchers(aggregation)
        groupNumbers = .allocate(capacity: max(1, valid.count))
        methodNumbers = .allocate(capacity: max(1, valid.count))
        for (index, regex) in valid.enumerated() {
            groupNumbers[index] = regex.groupNumbers["group"] ?? -1
            methodNumbers[index] = regex.groupNumbers["method"] ?? -1
        }
    }

    deinit {
        valid.deallocate()
        skip.deallocate()
        aggregation.deallocate()
        groupNumbers.deallocate()
        methodNumbers.deallocate()
    }

    @inline(__always)
    public func classify(_ request: UnsafePointer<UInt8>, count: Int) -> Decision {
        let rule = valid.firstMatch(request, count: count)
        if rule < 0 {
            if rule != Matchers.none { return .regexLimit(list: .validRequests, rule: -2 - rule) }
            let skipped = skip.firstMatch(request, count: count)
            if skipped >= 0 { return .skipped(rule: skipped) }
            if skipped != Matchers.none { return .regexLimit(list: .requestsToSkip, rule: -2 - skipped) }
            return .unmatched
        }
        let regex = valid[rule]
        if aggregation.count > 0 {
            let index = aggregation.firstMatch(request, count: count)
            if index >= 0 { return .valid(rule: rule, aggregation: index) }
            if index != Matchers.none { return .regexLimit(list: .requestsAggregation, rule: -2 - index) }
        }
        guard methodNumbers[rule] >= 0, let method = regex.range(ofGroup: methodNumbers[rule]) else {
            return .missingMethod(rule: rule)
        }
        methodRange = method
        groupRange = groupNumbers[rule] >= 0 ? regex.range(ofGroup: groupNumbers[rule]) : nil
        return .valid(rule: rule, aggregation: nil)
    }
}
