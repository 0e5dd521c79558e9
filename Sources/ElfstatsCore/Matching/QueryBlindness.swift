/// Whether a regex's answer on a request is decided by the request up to its first `?` (the path
/// and that `?`), whatever query string follows. When every classification regex is so, a request
/// is classified, and its outcome remembered, by that part alone: `/content/get?id=533` and
/// `/content/get?id=534` are one cache entry, not two runs of PCRE2 (on the benchmark's log the
/// classification cache then misses 47 % of lines instead of 69 %, callgrind).
///
/// The check is a conservative reading of the pattern text: a pattern qualifies only if
/// - it starts with `^` and has no `|` (no alternation) and no other `^` outside a class, so every
///   match attempt starts at offset 0 (PCRE2 options can only be set with `(?` or `(*`, which are
///   refused, so there is no multiline mode);
/// - none of its atoms can match the byte `?`: literals other than `?` (outside a class, a bare
///   `?` is always a quantifier), `\w` `\d` `\s`, escaped punctuation other than `\?`, and
///   classes `[...]` (not negated) made of such literals, `\w` `\d` `\s` and ranges that do not
///   span `?`. Refused: `.`, `\W` `\D` `\S` and every other letter escape (`\x3f`, `\Q?\E`,
///   `\N`, `\p`, `\C`, back references...), POSIX classes, `(*VERB)`s and `(?` groups other than
///   `(?:`, `(?<name>` and `(?P<name>` (no lookarounds, atomic groups, options, recursion);
/// - its only assertions are `$`, `\b`, `\B`, `\z` and `\Z`, which look at most one byte past the
///   current offset.
///
/// Proof that the answer is the same on a request `s` and on `t`, `s` up to and including its
/// first `?` at offset k (or all of `s` without one): matching starts at offset 0 and no atom
/// consumes byte k (`?`), so every offset a match reaches is at most k, and every byte it
/// examines (atoms at offsets below k, assertions at offsets up to k and the one byte after) lies
/// in `t`, where it is the same byte as in `s`, or is past `t`'s end exactly where it is past
/// `s`'s end (when `s` has no `?`, `t` is `s`). Both subjects thus give the same search, the same
/// first match and the same captures.
///
/// One thing can still differ, and only for a regex that reaches `regex_match_limit`: PCRE2 skips
/// the search when a subject lacks a byte every match needs or is shorter than every match, and
/// `s` may have that byte (or length) in its query where `t` does not. Matching `t` then says "no
/// match" (correctly: no match exists) where matching `s` may have run into the limit. How PCRE2
/// counts the limit already depends on whether its JIT is in use, so limit outcomes were never a
/// function of the request's bytes alone. What follows from it: a regex that reached the limit
/// makes its line an error (`Matchers.firstMatch` stops there), while "no match" lets the next
/// regex of the list decide. With `valid_requests = ['^/(?P<method>(a+)+x)', '^/(?P<method>a+)']`
/// the request `/` + 40 × `a` + `?x` was an error (`regex_limit`) read whole; read up to its `?`,
/// the first regex finds no `x` at once and the second makes it a call of `nogroup_aaa…`, which
/// is the regexes' true answer, and one strangers can no longer turn into limit errors (and
/// their CPU time) through the query string.
enum QueryBlindness {
    /// Whether `pattern` qualifies (see above); false for anything it does not fully understand.
    static func holds(for pattern: String) -> Bool {
        let bytes = Array(pattern.utf8)
        guard bytes.first == UInt8(ascii: "^") else { return false }
        var index = 1
        var depth = 0
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\\"):
                guard index + 1 < bytes.count, isAllowedEscape(bytes[index + 1], inClass: false) else { return false }
                index += 2
            case UInt8(ascii: "["):
                guard let end = endOfClass(bytes, openingAt: index) else { return false }
                index = end + 1
            case UInt8(ascii: "("):
                guard let body = startOfGroupBody(bytes, openingAt: index) else { return false }
                depth += 1
                index = body
            case UInt8(ascii: ")"):
                depth -= 1
                guard depth >= 0 else { return false }
                index += 1
            case UInt8(ascii: "|"), UInt8(ascii: "."), UInt8(ascii: "^"):
                return false
            default:
                // A literal byte (never `?`: outside a class `?` is a quantifier, like `*`, `+`
                // and `{n,m}`), a quantifier, or `$`.
                index += 1
            }
        }
        return depth == 0
    }

    private static func isPunctuation(_ byte: UInt8) -> Bool {
        let isAlphanumeric = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
        return byte >= 0x21 && byte <= 0x7E && !isAlphanumeric
    }

    /// `\` followed by `byte`: an escaped punctuation byte other than `?`, a class that lacks `?`,
    /// or (outside a class) an assertion that looks at most one byte ahead.
    private static func isAllowedEscape(_ byte: UInt8, inClass: Bool) -> Bool {
        if isPunctuation(byte) { return byte != UInt8(ascii: "?") }
        if Array("wds".utf8).contains(byte) { return true }
        return !inClass && Array("bBzZ".utf8).contains(byte)
    }

    /// The offset of the `]` that closes the class opening at `start`, or nil when the class is
    /// not one this check understands or may contain `?`.
    private static func endOfClass(_ bytes: [UInt8], openingAt start: Int) -> Int? {
        var index = start + 1
        // `[^...]` matches `?` unless it lists it; `[]...]` starts with a literal `]`: refused.
        guard index < bytes.count, bytes[index] != UInt8(ascii: "^"), bytes[index] != UInt8(ascii: "]") else { return nil }
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "]"):
                return index
            case UInt8(ascii: "["), UInt8(ascii: "?"):
                return nil
            case UInt8(ascii: "\\"):
                guard index + 1 < bytes.count, isAllowedEscape(bytes[index + 1], inClass: true) else { return nil }
                index += 2
                // An escape as a range's end (`[\w-z]`, `[!-\~]`): refused.
                if index + 1 < bytes.count, bytes[index] == UInt8(ascii: "-"), bytes[index + 1] != UInt8(ascii: "]") { return nil }
            default:
                if index + 2 < bytes.count, bytes[index + 1] == UInt8(ascii: "-"), bytes[index + 2] != UInt8(ascii: "]") {
                    let last = bytes[index + 2]
                    guard last != UInt8(ascii: "\\"), last != UInt8(ascii: "["),
                          !(byte <= UInt8(ascii: "?") && UInt8(ascii: "?") <= last) else { return nil }
                    index += 3
                } else {
                    index += 1
                }
            }
        }
        return nil
    }

    /// Where the body of the group opening at `start` begins: after `(`, `(?:`, `(?<name>` or
    /// `(?P<name>`; nil for any other `(?` or `(*` construct.
    private static func startOfGroupBody(_ bytes: [UInt8], openingAt start: Int) -> Int? {
        let next = start + 1
        guard next < bytes.count else { return nil }
        if bytes[next] == UInt8(ascii: "*") { return nil }
        guard bytes[next] == UInt8(ascii: "?") else { return next }
        var index = next + 1
        guard index < bytes.count else { return nil }
        if bytes[index] == UInt8(ascii: ":") { return index + 1 }
        if bytes[index] == UInt8(ascii: "P") { index += 1 }
        guard index < bytes.count, bytes[index] == UInt8(ascii: "<") else { return nil }
        index += 1
        // A name starts with a letter or `_` (`(?<=` and `(?<!` are lookbehinds).
        func isNameByte(_ byte: UInt8, first: Bool) -> Bool {
            let letter = (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == UInt8(ascii: "_")
            return letter || (!first && byte >= 0x30 && byte <= 0x39)
        }
        guard index < bytes.count, isNameByte(bytes[index], first: true) else { return nil }
        while index < bytes.count, isNameByte(bytes[index], first: false) { index += 1 }
        guard index < bytes.count, bytes[index] == UInt8(ascii: ">") else { return nil }
        return index + 1
    }
}
