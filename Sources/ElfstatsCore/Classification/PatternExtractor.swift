/// Finds the values of the user's named patterns in a request: for each pattern, the `pattern`
/// capture of the first of its regexes that matches.
public final class PatternExtractor {
    let rules: [[(regex: PCRE2Regex, group: Int)]]
    public let names: [String]

    public init(_ rules: [PatternRule], budget: RegexBudget = RegexBudget()) throws(RegexError) {
        var compiled: [[(regex: PCRE2Regex, group: Int)]] = []
        for rule in rules {
            var regexes: [(regex: PCRE2Regex, group: Int)] = []
            for pattern in rule.patterns {
                let regex = try PCRE2Regex(pattern, budget: budget)
                regexes.append((regex, regex.groupNumbers["pattern"] ?? 0))
            }
            compiled.append(regexes)
        }
        self.rules = compiled
        names = rules.map(\.name)
        var flat: [(matcher: PCRE2Regex.Matcher, group: Int, rule: Int)] = []
        for (index, regexes) in compiled.enumerated() {
            for candidate in regexes { flat.append((candidate.regex.matcher, candidate.group, index)) }
        }
        candidates = .allocate(capacity: max(1, flat.count))
        _ = candidates.initialize(from: flat)
    }

    /// Every rule's regexes in order as plain matchers (valid while `rules` holds the regexes),
    /// so the hot path builds no `Matcher` and touches no array.
    private let candidates: UnsafeMutableBufferPointer<(matcher: PCRE2Regex.Matcher, group: Int, rule: Int)>

    deinit { candidates.deallocate() }

    public var isEmpty: Bool { rules.isEmpty }

    /// Calls `found(patternIndex, valueRange)` once per pattern that has a value in the request,
    /// and returns how many patterns could not be decided because a regex reached its budget
    /// (such a pattern is not counted; the record stays parsed: its method was decided).
    @inline(__always)
    @discardableResult
    public func extract(_ request: UnsafePointer<UInt8>, count: Int, _ found: (Int, Range<Int>) -> Void) -> Int {
        var undecided = 0
        // The rule whose value was found or left undecided: its later regexes are not tried.
        var decidedRule = -1
        for position in 0..<candidates.count {
            let candidate = candidates[position]
            if candidate.rule == decidedRule { continue }
            let result = candidate.matcher.match(request, count: count)
            if result == .limitReached {
                undecided += 1
                decidedRule = candidate.rule
            } else if result == .matched, let range = candidate.matcher.range(ofGroup: candidate.group) {
                found(candidate.rule, range)
                decidedRule = candidate.rule
            }
        }
        return undecided
    }
}
