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
        ignoresDigits = rules.count <= PatternCache.maximumRules
            && rules.allSatisfy { $0.patterns.allSatisfy { DigitBlindness.holds(for: $0) } }
        var flat: [(matcher: PCRE2Regex.Matcher, group: Int, rule: Int)] = []
        for (index, regexes) in compiled.enumerated() {
            for candidate in regexes { flat.append((candidate.regex.matcher, candidate.group, index)) }
        }
        candidates = .allocate(capacity: max(1, flat.count))
        _ = candidates.initialize(from: flat)
        var screenList: [(word: UInt64, mask: UInt64)] = []
        for (regex, _) in compiled.joined() {
            let prefix = regex.requiredPrefix.prefix(8)
            var word: UInt64 = 0
            for (index, byte) in prefix.enumerated() { word |= UInt64(byte) << UInt64(8 * index) }
            screenList.append((word, prefix.count == 8 ? .max : (UInt64(1) << UInt64(8 * prefix.count)) - 1))
        }
        // Without regexes, one screen that nothing passes (word 1 under mask 0).
        if screenList.isEmpty { screenList = [(1, 0)] }
        screens = .allocate(capacity: screenList.count)
        _ = screens.initialize(from: screenList)
    }

    /// Every rule's regexes in order as plain matchers (valid while `rules` holds the regexes),
    /// so the hot path builds no `Matcher` and touches no array.
    private let candidates: UnsafeMutableBufferPointer<(matcher: PCRE2Regex.Matcher, group: Int, rule: Int)>

    /// Per candidate, the first (up to) 8 bytes of its regex's literal prefix as a little-endian
    /// word and the mask of those bytes (0 and 0 without a prefix): a request of 8 bytes or more
    /// that starts with none of them cannot match any regex here (`mayFind`).
    private let screens: UnsafeMutableBufferPointer<(word: UInt64, mask: UInt64)>

    deinit {
        candidates.deallocate()
        screens.deallocate()
    }

    public var isEmpty: Bool { rules.isEmpty }

    /// Every regex here treats all digits alike (`DigitBlindness`), and there are at most
    /// `PatternCache.maximumRules` rules: what `extract` finds may be remembered by request shape.
    let ignoresDigits: Bool

    /// False when no regex can match the request because it does not start with any of their
    /// literal prefixes (then `extract` would find nothing and decide nothing); true otherwise.
    @inline(__always)
    public func mayFind(in request: UnsafePointer<UInt8>, count: Int) -> Bool {
        // A request shorter than 8 bytes is left to `extract`.
        guard count >= 8 else { return true }
        // in bounds: count >= 8 bytes are readable at `request`.
        let head = UInt64(littleEndian: UnsafeRawPointer(request).loadUnaligned(as: UInt64.self))
        for position in 0..<screens.count where head & screens[position].mask == screens[position].word { return true }
        return false
    }

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
