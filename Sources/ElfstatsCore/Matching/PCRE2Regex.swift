import CPCRE2
/// A user's regular expression compiled by PCRE2 and, where the platform allows, by its JIT.
///
/// Matching works on bytes (no UTF mode, so any byte sequence from a log is a valid subject) and
/// reuses one match-data block, so a match allocates nothing. That makes an instance cheap to
/// run millions of times, and not safe to share between threads: every `LogAnalyzer` owns its own.
public final class PCRE2Regex {
    /// The pattern as the user wrote it.
    public let pattern: String
    /// Capture group numbers by name, for `(?P<name>...)` and `(?<name>...)` groups.
    public let groupNumbers: [String: Int]
    /// Whether the JIT compiled the pattern (it falls back to the interpreter otherwise). False
    /// also for a pattern that is only `^` and literal text: its prefix decides every match.
    public let isJITCompiled: Bool

    /// Bytes every match must start the subject with, when the pattern begins with `^` and
    /// literal text: checked before calling PCRE2, which saves most calls of anchored regexes
    /// that cannot match (a /content/ request tried against '^/user/...').
    public let requiredPrefix: [UInt8]

    /// `requiredPrefix` in memory of its own, so the hot path touches no array.
    private let prefixBytes: UnsafeMutablePointer<UInt8>
    private let prefixLength: Int
    /// What the prefix alone decides, for patterns that are nothing but `^` and literal text
    /// (`'^/static/'`), optionally ending in `$` (`'^/$'`): those never need PCRE2 to run.
    private let literalMatch: LiteralMatch

    private let code: OpaquePointer
    private let matchData: OpaquePointer
    private let ovector: UnsafeMutablePointer<Int>
    /// What PCRE2 says every match needs, checked before calling it.
    let screen: MatchScreen
    /// The limits every match runs under (kept alive here: the matchers hold its context).
    public let budget: RegexBudget

    /// What one match found.
    public enum MatchResult: Sendable, Equatable {
        case matched
        case noMatch
        /// The match reached the budget's match or depth limit, or the JIT stack's size: the
        /// regex could not decide, which is not the same as "no match".
        case limitReached
    }

    /// Compiles `pattern`; a syntax error carries PCRE2's own message and the offset in the pattern.
    /// Every match runs within `budget` (PCRE2's defaults, 10 million, would let one hostile
    /// request take 24 ms). `justInTime: false` skips PCRE2's JIT compilation, for a regex that
    /// is only checked and never matched (the JIT is an optimisation: a pattern it cannot compile
    /// still matches through the interpreter, so skipping it hides no configuration error).
    public init(_ pattern: String, budget: RegexBudget = RegexBudget(), justInTime: Bool = true) throws(RegexError) {
        self.pattern = pattern
        self.budget = budget
        var errorCode: Int32 = 0
        var errorOffset: Int = 0
        let compiled: OpaquePointer? = pattern.withCString { cString in
            cString.withMemoryRebound(to: UInt8.self, capacity: pattern.utf8.count) { bytes in
                pcre2_compile_8(bytes, pattern.utf8.count, 0, &errorCode, &errorOffset, nil)
            }
        }
        guard let compiled else {
            throw RegexError(pattern: pattern, message: PCRE2Regex.message(forErrorCode: errorCode), offset: errorOffset)
        }
        code = compiled
        (requiredPrefix, literalMatch) = PCRE2Regex.anchoredLiteral(of: pattern)
        // A pattern its literal prefix decides (`'^/static/'`) never runs PCRE2 (see `Matcher`),
        // so its JIT compilation (24,000 instructions for such a regex, callgrind) is skipped.
        isJITCompiled = justInTime && literalMatch == .partial && pcre2_jit_compile_8(compiled, cpcre2_jit_complete) == 0
        matchData = pcre2_match_data_create_from_pattern_8(compiled, nil)
        ovector = pcre2_get_ovector_pointer_8(matchData)
        groupNumbers = PCRE2Regex.readNameTable(of: compiled)
        screen = MatchScreen(compiled)
        prefixLength = requiredPrefix.count
        // At least 8 bytes, zero after the prefix: `Matcher.hasPrefix` loads its first word.
        let capacity = max(8, prefixLength)
        prefixBytes = .allocate(capacity: capacity)
        prefixBytes.initialize(repeating: 0, count: capacity)
        prefixBytes.update(from: requiredPrefix, count: prefixLength)
    }

    /// How much of a match the literal prefix decides.
    enum LiteralMatch {
        /// The rest of the pattern must be matched by PCRE2.
        case partial
        /// The pattern is `^` and the prefix: a subject starting with it matches.
        case prefix
        /// The pattern is `^`, the prefix and `$`: only the prefix itself (or with a final
        /// newline, as `$` allows) matches.
        case whole
    }

    /// The literal text right after a leading `^`, conservatively: nothing for patterns with an
    /// alternation anywhere, and a character followed by a quantifier is left out; and whether
    /// that text is the whole pattern (optionally with a final `$`).
    static func anchoredLiteral(of pattern: String) -> (prefix: [UInt8], match: LiteralMatch) {
        let bytes = Array(pattern.utf8)
        guard bytes.first == UInt8(ascii: "^"), !bytes.contains(UInt8(ascii: "|")) else { return ([], .partial) }
        var prefix: [UInt8] = []
        var index = 1
        func isAlphanumeric(_ b: UInt8) -> Bool { (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) }
        // Switches, not a Set and array literals made per call: with those, this took 6,300
        // instructions per regex, and each regex is compiled twice at every start (callgrind).
        func isSpecial(_ b: UInt8) -> Bool {
            switch b {
            case UInt8(ascii: "."), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "("), UInt8(ascii: ")"),
                 UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "?"), UInt8(ascii: "{"), UInt8(ascii: "}"),
                 UInt8(ascii: "|"), UInt8(ascii: "^"), UInt8(ascii: "$"), UInt8(ascii: "\\"): return true
            default: return false
            }
        }
        func isQuantifier(_ b: UInt8) -> Bool {
            b == UInt8(ascii: "*") || b == UInt8(ascii: "?") || b == UInt8(ascii: "+") || b == UInt8(ascii: "{")
        }
        while index < bytes.count {
            var literal: UInt8
            var width = 1
            if bytes[index] == UInt8(ascii: "\\") {
                guard index + 1 < bytes.count, !isAlphanumeric(bytes[index + 1]), bytes[index + 1] < 0x80 else { break }
                literal = bytes[index + 1]
                width = 2
            } else if isSpecial(bytes[index]) || bytes[index] >= 0x80 || bytes[index] == UInt8(ascii: "#") {
                break
            } else {
                literal = bytes[index]
            }
            let next = index + width
            if next < bytes.count, isQuantifier(bytes[next]) { break }
            prefix.append(literal)
            index = next
        }
        if prefix.isEmpty { return (prefix, .partial) }
        if index == bytes.count { return (prefix, .prefix) }
        if index == bytes.count - 1, bytes[index] == UInt8(ascii: "$") { return (prefix, .whole) }
        return (prefix, .partial)
    }

    deinit {
        prefixBytes.deallocate()
        pcre2_match_data_free_8(matchData)
        pcre2_code_free_8(code)
    }

    /// Searches `length` bytes at `start`; on a match, `range(ofGroup:)` tells the captures.
    @inline(__always)
    public func matches(_ start: UnsafePointer<UInt8>, count length: Int) -> Bool {
        matcher.matches(start, count: length)
    }

    /// The regex as plain pointers, for loops over many regexes per line: copying it involves no
    /// reference counting. Valid while its `PCRE2Regex` lives.
    public var matcher: Matcher {
        Matcher(code: code, matchData: matchData, ovector: ovector, prefixBytes: prefixBytes,
                prefixLength: prefixLength, literalMatch: literalMatch, isJITCompiled: isJITCompiled,
                context: budget.context, screen: screen)
    }

    public struct Matcher {
        let code: OpaquePointer
        let matchData: OpaquePointer
        let ovector: UnsafeMutablePointer<Int>
        let prefixBytes: UnsafeMutablePointer<UInt8>
        let prefixLength: Int
        let literalMatch: LiteralMatch
        let isJITCompiled: Bool
        let context: OpaquePointer
        let screen: MatchScreen

        @inline(__always)
        public func matches(_ start: UnsafePointer<UInt8>, count length: Int) -> Bool {
            match(start, count: length) == .matched
        }

        /// Matches, telling "no match" from "could not decide within the budget".
        @inline(__always)
        public func match(_ start: UnsafePointer<UInt8>, count length: Int) -> MatchResult {
            if prefixLength > 0 {
                guard length >= prefixLength, hasPrefix(start, count: length) else { return .noMatch }
                switch literalMatch {
                case .partial:
                    break
                case .prefix:
                    return matchedPrefix()
                case .whole:
                    guard length == prefixLength || (length == prefixLength + 1 && start[prefixLength] == 0x0A) else { return .noMatch }
                    return matchedPrefix()
                }
            }
            if !screen.mayMatch(start, count: length) { return .noMatch }
            return runPCRE2(start, count: length)
        }

        /// The call into PCRE2, out of line: the checks above are inlined into the loops over
        /// regexes (`Matchers.firstMatch`, `PatternExtractor.extract`), which the compiler stopped
        /// inlining when they grew with this call in line too. A PCRE2 call costs some 200
        /// instructions, so the extra call level is noise (measured: 2,307 -> 2,303 per line).
        @inline(never)
        private func runPCRE2(_ start: UnsafePointer<UInt8>, count length: Int) -> MatchResult {
            let result: Int32
            if isJITCompiled {
                result = pcre2_jit_match_8(code, start, length, 0, 0, matchData, context)
            } else {
                result = pcre2_match_8(code, start, length, 0, 0, matchData, context)
            }
            if result > 0 { return .matched }
            // NOMATCH (-1) and PARTIAL (-2, never asked for) are answers; every other negative
            // code is a limit (match, depth, heap, JIT stack) or an internal failure: undecided.
            return result >= -2 ? .noMatch : .limitReached
        }

        /// Whether the subject (at least `prefixLength` bytes) starts with the prefix: by one
        /// load of its first word when the subject has 8 bytes (which decides most subjects, and
        /// all of them for a prefix of at most 8 bytes), otherwise byte by byte.
        @inline(__always)
        private func hasPrefix(_ start: UnsafePointer<UInt8>, count length: Int) -> Bool {
            if length >= 8 {
                // in bounds: the subject has length >= 8 bytes; `prefixBytes` has at least 8 (init).
                let difference = UInt64(littleEndian: UnsafeRawPointer(start).loadUnaligned(as: UInt64.self))
                    ^ UInt64(littleEndian: UnsafeRawPointer(prefixBytes).loadUnaligned(as: UInt64.self))
                // Only the prefix's bytes (the low ones, little-endian) count: the others are
                // shifted out. 0 <= shift <= 56.
                let shift = (8 &- min(prefixLength, 8)) &* 8
                if difference &<< UInt64(shift) != 0 { return false }
                if prefixLength <= 8 { return true }
            }
            return bytesEqual(prefixBytes, start, count: prefixLength)
        }

        /// Records the match the prefix decided, as PCRE2 would have: group 0 is the prefix.
        @inline(__always)
        private func matchedPrefix() -> MatchResult {
            ovector[0] = 0
            ovector[1] = prefixLength
            return .matched
        }

        @inline(__always)
        public func range(ofGroup number: Int) -> Range<Int>? {
            let start = ovector[2 * number]
            guard start != PCRE2Regex.unset else { return nil }
            return start..<ovector[2 * number + 1]
        }
    }

    /// Searches from byte `offset` on (lookbehinds still see the bytes before it).
    public func matches(_ start: UnsafePointer<UInt8>, count length: Int, from offset: Int) -> Bool {
        pcre2_match_8(code, start, length, offset, 0, matchData, budget.context) > 0
    }

    /// The text with every match of this regex removed (how forbidden symbols leave method ids).
    public func removingMatches(from text: String) -> String {
        let bytes = Array(text.utf8)
        var kept: [UInt8] = []
        var position = 0
        bytes.withUnsafeBufferPointer { buffer in
            let base = buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!
            while position <= bytes.count, matches(base, count: bytes.count, from: position), let whole = range(ofGroup: 0) {
                kept.append(contentsOf: bytes[position..<whole.lowerBound])
                if whole.isEmpty {
                    if whole.lowerBound < bytes.count { kept.append(bytes[whole.lowerBound]) }
                    position = whole.lowerBound + 1
                } else {
                    position = whole.upperBound
                }
            }
        }
        if position < bytes.count { kept.append(contentsOf: bytes[position...]) }
        return String(decoding: kept, as: UTF8.self)
    }

    /// Searches a byte buffer.
    public func matches(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? UnsafePointer(bitPattern: 1)!
        return matches(base, count: bytes.count)
    }

    /// Searches a string's UTF-8 bytes (for tools and tests; the hot path passes bytes).
    public func matches(_ text: String) -> Bool {
        var copy = text
        return copy.withUTF8 { matches(UnsafeRawBufferPointer($0)) }
    }

    /// Matches a string's UTF-8 bytes, telling a limit from no match (for tools and tests).
    public func match(_ text: String) -> MatchResult {
        var copy = text
        return copy.withUTF8 { buffer in
            matcher.match(buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!, count: buffer.count)
        }
    }

    /// The byte offsets of capture group `number` in the last successful match, nil when the
    /// group did not take part in it.
    @inline(__always)
    public func range(ofGroup number: Int) -> Range<Int>? {
        let start = ovector[2 * number]
        guard start != PCRE2Regex.unset else { return nil }
        return start..<ovector[2 * number + 1]
    }

    /// The named captures of the last match as strings (for `explain` and tests).
    public func captures(in text: String) -> [String: String] {
        var result: [String: String] = [:]
        let utf8 = Array(text.utf8)
        for (name, number) in groupNumbers {
            if let range = range(ofGroup: number) { result[name] = String(decoding: utf8[range], as: UTF8.self) }
        }
        return result
    }

    /// PCRE2_UNSET (SIZE_MAX) as Swift sees a size_t.
    static let unset = Int(bitPattern: UInt.max)

    private static func message(forErrorCode code: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let length = pcre2_get_error_message_8(code, &buffer, buffer.count)
        return length > 0 ? String(decoding: buffer[0..<Int(length)], as: UTF8.self) : "error \(code)"
    }

    private static func readNameTable(of code: OpaquePointer) -> [String: Int] {
        var count: UInt32 = 0
        var entrySize: UInt32 = 0
        var table: UnsafePointer<UInt8>? = nil
        pcre2_pattern_info_8(code, cpcre2_info_namecount, &count)
        pcre2_pattern_info_8(code, cpcre2_info_nameentrysize, &entrySize)
        pcre2_pattern_info_8(code, cpcre2_info_nametable, &table)
        guard count > 0, let table else { return [:] }
        var names: [String: Int] = [:]
        for entry in 0..<Int(count) {
            let base = table + entry * Int(entrySize)
            let number = Int(base[0]) << 8 | Int(base[1])
            var end = 2
            while end < Int(entrySize), base[end] != 0 { end += 1 }
            names[String(decoding: UnsafeBufferPointer(start: base + 2, count: end - 2), as: UTF8.self)] = number
        }
        return names
    }
}

/// A pattern PCRE2 would not compile.
public struct RegexError: Error, Sendable, Equatable, CustomStringConvertible {
    public var pattern: String
    /// PCRE2's message, e.g. "missing closing parenthesis".
    public var message: String
    /// Offset in the pattern where PCRE2 stopped.
    public var offset: Int

    public var description: String { "invalid regex '\(pattern)': \(message) at offset \(offset)" }
}
