/// How many `/` a regex can read: when no match of any classification regex can consume more
/// than `k` of them, a request is classified, and its outcome remembered, by its part up to and
/// including its (`k` + 1)-th `/` (or its first `?`, whichever comes first; see
/// `QueryBlindness`). With the benchmark's rules (at most three `/` each),
/// `/content/search/batch/442621` and `/content/search/batch/442622` are both classified as
/// `/content/search/batch/`: one cache entry instead of one PCRE2 run per id. The
/// classification cache then misses ~4 % of the benchmark's lines instead of 47 % (callgrind:
/// 50,161 -> 8,900 PCRE2 calls in 100,000 lines).
///
/// A pattern has a bound only if `QueryBlindness.holds` for it (anchored at offset 0, no
/// alternation, no back references, recursion, lookarounds or option settings, assertions that
/// look at most one byte ahead) and, beyond that:
/// - no class can match `/` (neither `/`, `\/` nor a range spanning it inside `[...]`; negated
///   classes, `.`, `\W`, `\D`, `\S` are refused by `QueryBlindness` already);
/// - no `/` or `\/` atom is followed by a quantifier (`*`, `+`, `?`, `{`), nor is any group that
///   contains one.
/// The bound is then the number of `/` and `\/` atoms in the pattern.
///
/// Proof that the answer is the same on a request `s` and on `t`, `s` up to and including its
/// (`k` + 1)-th `/` at offset m (when `s` has that many): every match attempt starts at offset 0;
/// the only atoms that consume a `/` are the pattern's `k` unquantified `/` atoms, each used at
/// most once along any path of the search (nothing repeats them: no quantifier, back reference
/// or recursion), so any offset a path reaches has at most `k` slashes before it, i.e. is at
/// most m. Atoms there read bytes below m; the assertions (`$`, `\b`, `\B`, `\z`, `\Z`) read at
/// most the byte at the offset and whether the next offset is the end: at offset m that byte is
/// `/` in both subjects (so `$` and `\Z` fail in both, and neither is at its end), below m every
/// byte read lies in `t` and neither subject ends there. Both subjects thus give the same search,
/// the same first match and the same captures. The one difference left is the one
/// `QueryBlindness` describes: a regex that reaches `regex_match_limit` on `s` because a byte
/// every match needs lies only past the cut answers "no match" on `t`, at once and correctly.
enum PathDepth {
    /// The most `/` bytes a match of `pattern` can consume, or nil when there is no bound this
    /// check can prove (see above).
    static func slashesRead(by pattern: String) -> Int? {
        guard QueryBlindness.holds(for: pattern) else { return nil }
        let bytes = Array(pattern.utf8)
        let slash = UInt8(ascii: "/")
        // Per open group (and the whole pattern): whether it contains a `/` atom.
        var groups = [false]
        var slashes = 0
        // Whether the atom just before `index` (a byte, an escape or a closed group) reads `/`.
        var previousReadsSlash = false
        var index = 1
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\\"):
                // `QueryBlindness.holds` saw a complete escape here.
                previousReadsSlash = bytes[index + 1] == slash
                index += 2
            case UInt8(ascii: "["):
                guard let end = endOfSlashFreeClass(bytes, openingAt: index) else { return nil }
                previousReadsSlash = false
                index = end + 1
            case UInt8(ascii: "("):
                // `(`, `(?:`, `(?<name>` or `(?P<name>` (what `QueryBlindness.holds` accepts).
                if bytes[index + 1] == UInt8(ascii: "?") {
                    index = bytes[index + 2] == UInt8(ascii: ":") ? index + 3 : bytes[index...].firstIndex(of: UInt8(ascii: ">"))! + 1
                } else {
                    index += 1
                }
                groups.append(false)
                previousReadsSlash = false
                continue
            case UInt8(ascii: ")"):
                previousReadsSlash = groups.removeLast()
                index += 1
            case UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "?"), UInt8(ascii: "{"):
                if previousReadsSlash { return nil }
                index += 1
                continue
            default:
                previousReadsSlash = byte == slash
                index += 1
            }
            if previousReadsSlash {
                groups[groups.count - 1] = true
                if byte != UInt8(ascii: ")") { slashes += 1 }
            }
        }
        return slashes
    }

    /// The offset of the `]` closing the class at `start` (which `QueryBlindness.holds` accepted),
    /// or nil when the class can match `/`.
    private static func endOfSlashFreeClass(_ bytes: [UInt8], openingAt start: Int) -> Int? {
        let slash = UInt8(ascii: "/")
        var index = start + 1
        while bytes[index] != UInt8(ascii: "]") {
            if bytes[index] == UInt8(ascii: "\\") {
                if bytes[index + 1] == slash { return nil }
                index += 2
            } else if bytes[index + 1] == UInt8(ascii: "-"), bytes[index + 2] != UInt8(ascii: "]") {
                if bytes[index] <= slash, slash <= bytes[index + 2] { return nil }
                index += 3
            } else {
                if bytes[index] == slash { return nil }
                index += 1
            }
        }
        return index
    }

    /// The length of what classification reads of the request `line[start..<end]`: up to and
    /// including its first `?` or its (`slashes` + 1)-th `/`, whichever comes first, or all of
    /// it. `line[0..<readable]` must be readable (`0 <= start <= end <= readable`), `slashes >= 0`.
    ///
    /// Thirty-two bytes at a time (two loads, four compares), read from the line even past the
    /// request's end, whose bits are then masked off: most requests take one round. Within 32
    /// bytes of the line's end, byte by byte (at most 31 bytes).
    @inline(__always)
    static func classifiedLength(_ line: UnsafePointer<UInt8>, start: Int, end: Int, readable: Int, slashes: Int) -> Int {
        let question = SIMD16<UInt8>(repeating: UInt8(ascii: "?"))
        let slash = SIMD16<UInt8>(repeating: UInt8(ascii: "/"))
        var position = start
        var remaining = slashes
        while position < end {
            guard position &+ 32 <= readable else { return slowClassifiedLength(line, start: start, from: position, end: end, remaining: remaining) }
            // in bounds: the loads cover position..<position + 32 <= readable.
            let low = UnsafeRawPointer(line + position).loadUnaligned(as: SIMD16<UInt8>.self)
            let high = UnsafeRawPointer(line + position).loadUnaligned(fromByteOffset: 16, as: SIMD16<UInt8>.self)
            var marks = UInt32(StructuralScan.movemask(low .== question)) | UInt32(StructuralScan.movemask(high .== question)) &<< 16
            var separators = UInt32(StructuralScan.movemask(low .== slash)) | UInt32(StructuralScan.movemask(high .== slash)) &<< 16
            // 0 < left; only bits below `left` stand for bytes of the request.
            let left = end &- position
            if left < 32 {
                let inside = (UInt32(1) &<< UInt32(truncatingIfNeeded: left)) &- 1
                marks &= inside
                separators &= inside
            }
            // Only the slashes before the first `?` count (all of them without one).
            var found = marks == 0 ? separators : separators & ((marks & (0 &- marks)) &- 1)
            while found != 0 {
                // position - start + offset + 1 <= end - start: within the request.
                if remaining == 0 { return position &- start &+ found.trailingZeroBitCount &+ 1 }
                found &= found &- 1
                remaining &-= 1
            }
            if marks != 0 { return position &- start &+ marks.trailingZeroBitCount &+ 1 }
            position &+= 32
        }
        return end &- start
    }

    /// `classifiedLength` byte by byte from `from` on, for the last (at most 31) bytes of a line.
    @inline(never)
    static func slowClassifiedLength(_ line: UnsafePointer<UInt8>, start: Int, from: Int, end: Int, remaining: Int) -> Int {
        var remaining = remaining
        for index in from..<end {
            if line[index] == UInt8(ascii: "?") { return index - start + 1 }
            if line[index] == UInt8(ascii: "/") {
                if remaining == 0 { return index - start + 1 }
                remaining -= 1
            }
        }
        return end - start
    }
}
