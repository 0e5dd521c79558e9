/// Whether a regex treats all ten digits alike: then requests that differ only in which digits
/// they hold (`/user/123/profile`, `/user/457/profile`) get the same search, the same answer and
/// the same capture offsets. When every classification regex is so, an outcome whose group and
/// method hold no digit is remembered for the request and also for its shape, every digit read
/// as `0` (`/user/000/profile`), which serves every request of that shape: a new id in a path is
/// no longer a run of the regexes (`LogAnalyzer.classify`; benchmark: PCRE2 calls of the
/// classification in 100,000 lines 4,720 -> about 350, 1,403 -> 1,388 instructions per line).
///
/// The check is a conservative reading of the pattern text: a pattern qualifies only if
/// `QueryBlindness.holds` for it (anchored, no alternation, no back references, recursion,
/// lookarounds or option settings, only `\w` `\d` `\s`, escaped punctuation and `\b` `\B` `\z`
/// `\Z` as escapes, classes that are not negated) and, beyond that:
/// - it has no digit outside the braces of a quantifier (`{2}`, `{1,}`, `{1,3}`, each right after
///   a literal, an escape, a class or a group): no literal digit;
/// - each class `[...]` holds either all ten digits or none (`[0-9]`, `[\w.-]`, `[a-z]`; not
///   `[0-5]` or `[a1]`).
///
/// Proof that requests `s` and `t` with digits at the same offsets and the same bytes elsewhere
/// get the same answer and captures: every atom is a literal that is not a digit (it fails on
/// a digit in both), `\w`/`\d` (match every digit), `\s` (none), escaped punctuation (none) or a
/// class holding all or none of them; every assertion (`^`, `$`, `\b`, `\B`, `\z`, `\Z`) asks
/// whether a byte is a word character, a newline or past the end, the same for every digit. So
/// at every offset every atom and assertion answers alike on `s` and `t`, the searches take the
/// same steps (also those PCRE2 counts against `regex_match_limit`), and end with the same
/// outcome and the same capture offsets. A group or method captured without a digit is then the
/// same text in both, so it is the same method.
enum DigitBlindness {
    /// Whether `pattern` qualifies (see above); false for anything it does not fully understand.
    static func holds(for pattern: String) -> Bool {
        guard QueryBlindness.holds(for: pattern) else { return false }
        let bytes = Array(pattern.utf8)
        // Whether the token before `index` can take a quantifier (a literal, an escape, a class
        // or a group's end), so that braces after it are a quantifier, not literal text.
        var repeatable = false
        var index = 1
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\\"):
                // `QueryBlindness.holds` saw a complete escape (never a digit: no back references).
                index += 2
                repeatable = true
            case UInt8(ascii: "["):
                guard let end = endOfUniformClass(bytes, openingAt: index) else { return false }
                index = end + 1
                repeatable = true
            case UInt8(ascii: "("):
                // `(`, `(?:`, `(?<name>` or `(?P<name>` (a name may hold digits).
                if bytes[index + 1] == UInt8(ascii: "?") {
                    index = bytes[index + 2] == UInt8(ascii: ":") ? index + 3 : bytes[index...].firstIndex(of: UInt8(ascii: ">"))! + 1
                } else {
                    index += 1
                }
                repeatable = false
            case UInt8(ascii: ")"):
                index += 1
                repeatable = true
            case UInt8(ascii: "{"):
                if let end = endOfQuantifier(bytes, openingAt: index) {
                    guard repeatable else { return false }
                    index = end + 1
                } else {
                    index += 1  // a literal `{`
                }
                repeatable = false
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                return false
            case UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "?"), UInt8(ascii: "$"):
                index += 1
                repeatable = false
            default:
                index += 1
                repeatable = true
            }
        }
        return true
    }

    /// The offset of the `}` of a quantifier `{n}`, `{n,}` or `{n,m}` opening at `start`, or nil
    /// when the braces are not exactly that.
    private static func endOfQuantifier(_ bytes: [UInt8], openingAt start: Int) -> Int? {
        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        var index = start + 1
        let first = index
        while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        guard index > first, index < bytes.count else { return nil }
        if bytes[index] == UInt8(ascii: ",") {
            index += 1
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        guard index < bytes.count, bytes[index] == UInt8(ascii: "}") else { return nil }
        return index
    }

    /// The offset of the `]` closing the class at `start` (which `QueryBlindness.holds`
    /// accepted), or nil when the class holds some digits but not all.
    private static func endOfUniformClass(_ bytes: [UInt8], openingAt start: Int) -> Int? {
        var digits: UInt16 = 0
        func add(_ low: UInt8, _ high: UInt8) {
            for digit in UInt8(ascii: "0")...UInt8(ascii: "9") where low <= digit && digit <= high {
                digits |= 1 << UInt16(digit - UInt8(ascii: "0"))
            }
        }
        var index = start + 1
        while bytes[index] != UInt8(ascii: "]") {
            if bytes[index] == UInt8(ascii: "\\") {
                // `\w`, `\d` hold every digit; `\s` and escaped punctuation none.
                if bytes[index + 1] == UInt8(ascii: "w") || bytes[index + 1] == UInt8(ascii: "d") { digits = 0x3FF }
                index += 2
            } else if bytes[index + 1] == UInt8(ascii: "-"), bytes[index + 2] != UInt8(ascii: "]") {
                add(bytes[index], bytes[index + 2])
                index += 3
            } else {
                add(bytes[index], bytes[index])
                index += 1
            }
        }
        return digits == 0 || digits == 0x3FF ? index : nil
    }

    /// Copies `count` bytes from `source` to `target` with every digit as `0`: the request all
    /// requests of its shape are remembered as. Returns whether those bytes held a digit (when
    /// not, `target` holds the same bytes).
    ///
    /// Sixteen bytes at a time, also past `count` while `source[0..<readable]` has them (the
    /// request's line goes on after it; `readable >= count`), so a short request takes one or
    /// two blocks and no byte loop; `target` takes those blocks whole, so it must have room for
    /// `count` rounded up to sixteen bytes.
    @inline(__always)
    static func normalize(_ source: UnsafePointer<UInt8>, count: Int, readable: Int, into target: UnsafeMutablePointer<UInt8>) -> Bool {
        let zero = SIMD16<UInt8>(repeating: UInt8(ascii: "0"))
        let ten = SIMD16<UInt8>(repeating: 10)
        var index = 0
        var found: UInt32 = 0
        while index < count {
            guard index &+ 16 <= readable else {
                // The line's last bytes: one at a time. in bounds: index < count <= readable.
                while index < count {
                    let byte = source[index]
                    if byte &- 0x30 < 10 {
                        found = 1
                        target[index] = 0x30
                    } else {
                        target[index] = byte
                    }
                    index &+= 1
                }
                break
            }
            // in bounds: the load covers index..<index + 16 <= readable; the store lies within
            // `count` rounded up to sixteen.
            let block = UnsafeRawPointer(source + index).loadUnaligned(as: SIMD16<UInt8>.self)
            let digits = (block &- zero) .< ten
            var mask = UInt32(StructuralScan.movemask(digits))
            // Only bits below count - index (> 0) stand for bytes of the request.
            let left = count &- index
            if left < 16 { mask &= (UInt32(1) &<< UInt32(truncatingIfNeeded: left)) &- 1 }
            found |= mask
            UnsafeMutableRawPointer(target + index).storeBytes(of: block.replacing(with: zero, where: digits), as: SIMD16<UInt8>.self)
            index &+= 16
        }
        return found != 0
    }

    /// Whether `count` bytes at `bytes` hold a digit.
    static func containsDigit(_ bytes: UnsafePointer<UInt8>, count: Int) -> Bool {
        for index in 0..<count where bytes[index] &- 0x30 < 10 { return true }
        return false
    }
}
