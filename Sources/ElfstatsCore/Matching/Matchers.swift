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

    /// The index of the first regex that matches, or nil.
    @inline(__always)
    func firstMatch(_ subject: UnsafePointer<UInt8>, count length: Int) -> Int? {
        for index in 0..<count where storage[index].matches(subject, count: length) { return index }
        return nil
    }

    /// Frees the list (not the regexes).
    func deallocate() { storage.deallocate() }
}
