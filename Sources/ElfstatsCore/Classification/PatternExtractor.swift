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
    }

    public var isEmpty: Bool { rules.isEmpty }

    /// Calls `found(patternIndex, valueRange)` once per pattern that has a value in the request,
    /// and returns how many patterns could not be decided because a regex reached its budget
    /// (such a pattern is not counted; the record stays parsed: its method was decided).
    @inline(__always)
    @discardableResult
    public func extract(_ request: UnsafePointer<UInt8>, count: Int, _ found: (Int, Range<Int>) -> Void) -> Int {
        var undecided = 0
        for (index, regexes) in rules.enumerated() {
            for candidate in regexes {
                let result = candidate.regex.matcher.match(request, count: count)
                if result == .limitReached {
                    undecided += 1
                    break
                }
                if result == .matched, let range = candidate.regex.range(ofGroup: candidate.group) {
                    found(index, range)
                    break
                }
            }
        }
        return undecided
    }
}
