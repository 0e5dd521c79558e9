/// How the records of a round were classified: each one counts in `total` and in exactly one of
/// `parsed`, `skipped` and `error`.
public struct RecordCounts: Sendable, Equatable {
    public var parsed = 0
    public var skipped = 0
    public var error = 0
    /// Regex matches that reached their budget (`regex_match_limit`, `regex_depth_limit`, the JIT
    /// stack) this round. A record whose valid, skip or aggregation regex reached it is an error
    /// (and counted in `error` too); an extracted pattern that reached it is not counted, and its
    /// record stays parsed.
    public var regexLimit = 0
    /// Records longer than `max_line_length` (each also one `error`).
    public var tooLong = 0

    public init(parsed: Int = 0, skipped: Int = 0, error: Int = 0, regexLimit: Int = 0, tooLong: Int = 0) {
        self.parsed = parsed
        self.skipped = skipped
        self.error = error
        self.regexLimit = regexLimit
        self.tooLong = tooLong
    }

    public var total: Int { parsed + skipped + error }
}
