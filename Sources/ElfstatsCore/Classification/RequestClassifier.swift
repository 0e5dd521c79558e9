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
    }

    let valid: [PCRE2Regex]
    let groupNumbers: [Int?]
    let methodNumbers: [Int]
    let aggregation: [PCRE2Regex]
    let skip: [PCRE2Regex]

    /// Byte ranges, within the request, of the captures of the valid regex that matched last.
    public private(set) var groupRange: Range<Int>? = nil
    public private(set) var methodRange: Range<Int> = 0..<0

    public init(validRequests: [String], requestsToSkip: [String], aggregation rules: [AggregationRule]) throws(RegexError) {
        var valid: [PCRE2Regex] = []
        for pattern in validRequests { valid.append(try PCRE2Regex(pattern)) }
        var skip: [PCRE2Regex] = []
        for pattern in requestsToSkip { skip.append(try PCRE2Regex(pattern)) }
        var aggregation: [PCRE2Regex] = []
        for rule in rules { aggregation.append(try PCRE2Regex(rule.regex)) }
        self.valid = valid
        self.skip = skip
        self.aggregation = aggregation
        groupNumbers = valid.map { $0.groupNumbers["group"] }
        methodNumbers = valid.map { $0.groupNumbers["method"] ?? -1 }
    }

    @inline(__always)
    public func classify(_ request: UnsafePointer<UInt8>, count: Int) -> Decision {
        for rule in valid.indices where valid[rule].matches(request, count: count) {
            let regex = valid[rule]
            for index in aggregation.indices where aggregation[index].matches(request, count: count) {
                return .valid(rule: rule, aggregation: index)
            }
            guard methodNumbers[rule] >= 0, let method = regex.range(ofGroup: methodNumbers[rule]) else {
                return .missingMethod(rule: rule)
            }
            methodRange = method
            groupRange = groupNumbers[rule].flatMap { regex.range(ofGroup: $0) }
            return .valid(rule: rule, aggregation: nil)
        }
        for rule in skip.indices where skip[rule].matches(request, count: count) {
            return .skipped(rule: rule)
        }
        return .unmatched
    }
}
