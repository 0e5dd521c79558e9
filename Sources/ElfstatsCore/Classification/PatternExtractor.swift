/// Finds the values of the user's named patterns in a request: for each pattern, the `pattern`
/// capture of the first of its regexes that matches.
public final class PatternExtractor {
    let rules: [[(regex: PCRE2Regex, group: Int)]]
    public let names: [String]

    public init(_ rules: [PatternRule]) throws(RegexError) {
        var compiled: [[(regex: PCRE2Regex, group: Int)]] = []
        for rule in rules {
            var regexes: [(regex: PCRE2Regex, group: Int)] = []
            for pattern in rule.patterns {
                let regex = try PCRE2Regex(pattern)
                regexes.append((regex, regex.groupNumbers["pattern"] ?? 0))
            }
            compiled.append(regexes)
        }
        self.rules = compiled
        names = rules.map(\.name)
    }

    public var isEmpty: Bool { rules.isEmpty }

    /// Calls `found(patternIndex, valueRange)` once per pattern that has a value in the request.
    @inline(__always)
    public func extract(_ request: UnsafePointer<UInt8>, count: Int, _ found: (Int, Range<Int>) -> Void) {
        for (index, regexes) in rules.enumerated() {
            for candidate in regexes where candidate.regex.matches(request, count: count) {
                if let range = candidate.regex.range(ofGroup: candidate.group) {
                    found(index, range)
                    break
                }
            }
        }
    }
}
