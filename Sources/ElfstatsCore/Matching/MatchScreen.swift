import CPCRE2

/// What PCRE2 reports about a compiled pattern (`pcre2_pattern_info`) that every match needs:
/// a shortest subject, a first byte (at the start, for an anchored pattern, or anywhere), a byte
/// the match must contain. A subject that lacks one cannot match, and is answered without calling
/// `pcre2_jit_match`, whose entry alone costs about a hundred instructions (callgrind) before
/// PCRE2's own start-up checks reject such a subject.
///
/// The screen only ever says "cannot match" where PCRE2 would: PCRE2 applies the same facts
/// itself at the start of a match. It stays out of the way where that is not so:
/// - a pattern with `(*NO_START_OPT)`, where PCRE2 skips those checks (which can change what
///   `(*COMMIT)` and friends do), is never screened;
/// - PCRE2 does not report whether a first or required byte is caseless (`(?i)`), so only bytes
///   that have no other case (not ASCII letters; the default tables fold nothing else) are used.
struct MatchScreen {
    /// Subjects shorter than this cannot match.
    let minimumLength: Int
    /// A byte that every match starts with, or -1.
    let firstByte: Int32
    /// `firstByte` must be the subject's first byte (the pattern is anchored).
    let anchored: Bool
    /// A byte every match contains, or -1.
    let requiredByte: Int32

    init(_ code: OpaquePointer) {
        func info(_ what: Int32) -> UInt32 {
            var value: UInt32 = 0
            return pcre2_pattern_info_8(code, UInt32(what), &value) == 0 ? value : 0
        }
        func caseFree(_ unit: UInt32) -> Int32 {
            let isLetter = (unit >= 0x41 && unit <= 0x5A) || (unit >= 0x61 && unit <= 0x7A)
            return unit < 0x80 && !isLetter ? Int32(unit) : -1
        }
        let options = info(PCRE2_INFO_ALLOPTIONS)
        guard options & PCRE2_NO_START_OPTIMIZE == 0 else {
            (minimumLength, firstByte, anchored, requiredByte) = (0, -1, false, -1)
            return
        }
        minimumLength = Int(info(PCRE2_INFO_MINLENGTH))
        // Type 1: a fixed first code unit (2 is "at the start of a line", no byte to check).
        firstByte = info(PCRE2_INFO_FIRSTCODETYPE) == 1 ? caseFree(info(PCRE2_INFO_FIRSTCODEUNIT)) : -1
        anchored = options & PCRE2_ANCHORED != 0
        requiredByte = info(PCRE2_INFO_LASTCODETYPE) == 1 ? caseFree(info(PCRE2_INFO_LASTCODEUNIT)) : -1
    }

    /// False when the subject cannot match; true when PCRE2 must decide.
    ///
    /// An anchored pattern (`^...`, all the sample's) gets the checks that cost nothing: its
    /// subjects mostly pass them, and a search for a required byte in each (a `memchr`) raised
    /// the benchmark from 2,805 to 2,959 instructions per line (callgrind) for no call saved.
    /// An unanchored pattern (`\.php$`) is also searched for its first and required bytes, which
    /// PCRE2 itself does first; a subject without them costs a `memchr`, not a PCRE2 call.
    @inline(__always)
    func mayMatch(_ start: UnsafePointer<UInt8>, count length: Int) -> Bool {
        if length < minimumLength { return false }
        if anchored {
            // in bounds: length > 0 before start[0] is read.
            return firstByte < 0 || (length > 0 && Int32(start[0]) == firstByte)
        }
        return containsNeededBytes(start, count: length)
    }

    /// Out of line, so that the inlined part stays small enough for the regex loops that inline
    /// it (`Matchers.firstMatch` was no longer inlined with the searches in line: +55
    /// instructions per line).
    @inline(never)
    private func containsNeededBytes(_ start: UnsafePointer<UInt8>, count length: Int) -> Bool {
        if firstByte >= 0, memchr(start, firstByte, length) == nil { return false }
        if requiredByte >= 0, memchr(start, requiredByte, length) == nil { return false }
        return true
    }
}
