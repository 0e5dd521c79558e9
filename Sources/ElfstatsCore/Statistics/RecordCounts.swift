/// How the records of a round were classified: each one counts in `total` and in exactly one of
/// `parsed`, `skipped` and `error`.
public struct RecordCounts: Sendable, Equatable {
    public var parsed = 0
    public var skipped = 0
    public var error = 0

    public init(parsed: Int = 0, skipped: Int = 0, error: Int = 0) {
        self.parsed = parsed
        self.skipped = skipped
        self.error = error
    }

    public var total: Int { parsed + skipped + error }
}
