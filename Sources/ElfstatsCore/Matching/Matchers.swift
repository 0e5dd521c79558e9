/// An ordered list of regexes as plain matchers, tried in turn on the same subject.
///
/// It does not own the regexes: whoever builds it keeps their `PCRE2Regex`es alive for as long.
struct Matchers {
    private let storage: UnsafeMutableBufferPointer<PCRE2Regex.Matcher>

    init(_ regexes: [PCRE2Regex]) {
        storage = .allocate(capacity: max(1, regexes.count))
        for (index, regex) in regexes.enumerated() { (storage.baseAddress! + index).initialize(to: regex.matcher) }
        count = regexes.count
    }

    let count: Int

    subscript(index: Int) -> PCRE2Regex.Matcher { storage[index] }

    /// `firstMatch` found no regex that matches.
    static let none = -1

    /// The index of the first regex that matches, `none`, or `-2 - index` when regex `index`
    /// reached its budget first (then no later regex may decide: the first match wins, and that
    /// one might have been it).
    @inline(__always)
    func firstMatch(_ subject: UnsafePointer<UInt8>, count length: Int) -> Int {
        for index in 0..<count {
            switch storage[index].match(subject, count: length) {
            case .matched: return index
            case .noMatch: continue
            case .limitReached: return -2 - index
            }
        }
        return Self.none
    }

    /// Frees the list (not the regexes).
    func deallocate() { storage.deallocate() }
}
