/// Munin's rule for graph and field names: letters, digits and `_`, not starting with a digit.
/// Anything else in a group, method, code or pattern name is changed here, before it reaches
/// Munin, which would otherwise drop the field (or the whole graph) with a warning in its log.
enum MuninName {
    /// `name` with `.` and `-` removed (as the daemon's default `forbidden_symbols` removes them
    /// from method ids, so `v2.query` keeps the name `v2query` that the original plugins gave it
    /// and its RRD history), every other character but an ASCII letter, digit or `_` replaced by
    /// `_`, and `_` put in front of a leading digit. Never empty.
    static func sanitised(_ name: String) -> String {
        var out = ""
        for scalar in name.unicodeScalars where scalar != "." && scalar != "-" {
            let isLetter = (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z")
            let isDigit = scalar >= "0" && scalar <= "9"
            out.unicodeScalars.append(isLetter || isDigit || scalar == "_" ? scalar : "_")
        }
        if out.isEmpty { return "_" }
        if let first = out.unicodeScalars.first, first >= "0" && first <= "9" { out = "_" + out }
        return out
    }

    /// Like `sanitised`, for a part inside a name that starts with a letter (`404` in
    /// `elfstats_response_code_404`): a leading digit is fine there.
    static func sanitisedPart(_ name: String) -> String {
        let whole = sanitised(name)
        if whole.hasPrefix("_"), let second = whole.unicodeScalars.dropFirst().first, second >= "0" && second <= "9",
           !name.hasPrefix("_") {
            return String(whole.dropFirst())
        }
        return whole
    }
}

/// Hands out names that stay distinct after sanitising: `a.b` and `a-b` both sanitise to `a_b`;
/// the second one becomes `a_b_2`. The same original name always gets the same answer.
struct UniqueNames {
    private var taken: Set<String> = []
    private var given: [String: String] = [:]

    init(reserved: [String] = []) {
        taken = Set(reserved)
    }

    /// The unique name for `original`, made from `candidate` (already valid for Munin).
    mutating func name(for original: String, candidate: String) -> String {
        if let known = given[original] { return known }
        var name = candidate
        var counter = 2
        while taken.contains(name) {
            name = "\(candidate)_\(counter)"
            counter += 1
        }
        taken.insert(name)
        given[original] = name
        return name
    }

    /// The unique, sanitised name for `original`.
    mutating func name(for original: String) -> String {
        name(for: original, candidate: MuninName.sanitised(original))
    }

    /// The unique, sanitised name for `original` as a part inside a longer name.
    mutating func part(for original: String) -> String {
        name(for: original, candidate: MuninName.sanitisedPart(original))
    }
}
