import Testing
import CPCRE2
@testable import ElfstatsCore

/// `QueryBlindness` may let classification read a request only up to its first `?`: every pattern
/// it accepts must give PCRE2's answer and captures on the whole request and on that part alike.
@Suite("Query blindness")
struct QueryBlindnessTests {
    @Test func acceptsPathRulesAndRefusesWhatCanSeeTheQuery() {
        let accepted = [
            #"^/content/(?P<group>[\w.-]+)/(?P<method>[\w.-]+)"#, #"^/content/(?P<method>[\w.-]+)"#,
            #"^/(?P<group>user)/\d+/(?P<method>\w+)"#, #"^/static/"#, #"^/$"#, #"^/content/search/"#,
            #"^/a(?:bc)?"#, #"^/x\b"#, #"^/v\d{1,3}/[a-z_0-9]+$"#,
            #"^/(?<name>[A-Z]+)\.html\z"#, #"^/[-a]+[a-]*\/\-"#,
        ]
        let refused = [
            #"/content/"#, #"^/a|^/b"#, #"^/(a|b)"#, #"^/.*"#, #"^/\W"#, #"^/\?"#, #"^/[^/]+"#, #"^/[!-~]"#,
            #"^/[?]"#, #"^/\x3f"#, #"^/\Q?\E"#, #"(?m)^/a"#, #"^(?i)/a"#, #"^/(?=a)"#, #"^/(?<=a)b"#,
            #"^/(?<!a)b"#, #"^/(?>a)"#, #"^/(*COMMIT)a"#, #"^/(a)\1"#, #"^/(?P=x)"#, #"^/[[:alpha:]]"#,
            #"^/[]a]"#, #"^/[\w-z]"#, #"^/\N"#, #"^/\pL"#, #"^/\C"#, #"^/(a"#, #"^/a)"#, #"^/[a"#, #"^/x^"#,
            #"^/\"#, #"^/\S"#, #"^/\D"#, #"^/[a-\d]"#,
        ]
        for pattern in accepted { #expect(QueryBlindness.holds(for: pattern), "\(pattern)") }
        for pattern in refused { #expect(!QueryBlindness.holds(for: pattern), "\(pattern)") }
    }

    @Test func classifiedLengthEndsAfterTheFirstQuestionMark() {
        for (text, expected) in [("/a?b?c", 3), ("/a", 2), ("?", 1), ("", 0), ("/p?", 3)] {
            let bytes = Array(text.utf8) + [0x3F]   // a `?` past the end is never seen
            let length = bytes.withUnsafeBufferPointer { QueryBlindness.classifiedLength($0.baseAddress!, count: text.utf8.count) }
            #expect(length == expected, "\(text)")
        }
    }

    /// PCRE2's own answer and every group's offsets (no screen, no literal shortcut).
    static func answer(_ code: OpaquePointer, _ subject: [UInt8]) -> [Int]? {
        let data = pcre2_match_data_create_from_pattern_8(code, nil)
        defer { pcre2_match_data_free_8(data) }
        let result = subject.withUnsafeBufferPointer {
            pcre2_match_8(code, $0.baseAddress ?? UnsafePointer(bitPattern: 1)!, subject.count, 0, 0, data, nil)
        }
        guard result > 0 else { return result == -1 ? nil : [Int(result)] }
        let pairs = Int(pcre2_get_ovector_count_8(data))
        let ovector = pcre2_get_ovector_pointer_8(data)!
        return (0..<(2 * pairs)).map { ovector[$0] }
    }

    /// Random patterns from pieces both sides of the line and random requests with queries: for
    /// every pattern the check accepts, the whole request and its part up to `?` get the same
    /// answer and captures. Both kinds of pattern must occur, and some accepted ones must match.
    @Test func acceptedPatternsAnswerAlikeOnTheWholeRequestAndOnItsPath() {
        let pieces = [
            "/", "a", "b", "x", "1", "\\w", "\\d", "\\s", "[\\w.-]", "[a-z]", "[0-9]", "[!-~]", "[^/]", ".", "\\W", "\\?",
            "+", "*", "?", "{1,2}", "+?", "(", ")", "(?:", "(?P<g>", "$", "\\b", "\\B", "\\z", "\\Z", "=", "&", "(?=", "|",
            "\\.", "-",
        ]
        let alphabet = Array("/ab x1=&.-?_?".utf8)
        var generator = SplitMix(seed: 15)
        var accepted = 0, refused = 0, matched = 0
        for _ in 0..<3000 {
            var pattern = "^"
            for _ in 0..<Int(generator.next() % 7 + 1) { pattern += pieces[Int(generator.next() % UInt64(pieces.count))] }
            let bytes = Array(pattern.utf8)
            var errorCode: Int32 = 0
            var errorOffset = 0
            guard let code = bytes.withUnsafeBufferPointer({ pcre2_compile_8($0.baseAddress, bytes.count, 0, &errorCode, &errorOffset, nil) }) else {
                continue
            }
            defer { pcre2_code_free_8(code) }
            guard QueryBlindness.holds(for: pattern) else { refused += 1; continue }
            accepted += 1
            for _ in 0..<40 {
                let subject = (0..<Int(generator.next() % 12)).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }
                let cut = subject.firstIndex(of: 0x3F).map { $0 + 1 } ?? subject.count
                let whole = Self.answer(code, subject)
                #expect(whole == Self.answer(code, Array(subject[..<cut])), "'\(pattern)' on '\(String(decoding: subject, as: UTF8.self))'")
                if whole != nil { matched += 1 }
            }
        }
        #expect(accepted > 200 && refused > 200 && matched > 1000, "\(accepted) accepted, \(refused) refused, \(matched) matched")
    }

    /// The analyzer classifies by path and `?` only when every classification regex allows it.
    @Test func theClassifierIgnoresQueriesOnlyWhenEveryRegexIsBlindToThem() throws {
        let blind = try RequestClassifier(validRequests: [#"^/(?P<method>\w+)"#], requestsToSkip: [#"^/$"#], aggregation: [])
        #expect(blind.ignoresQuery)
        let seeing = try RequestClassifier(validRequests: [#"^/(?P<method>\w+)"#], requestsToSkip: [#"\?debug"#], aggregation: [])
        #expect(!seeing.ignoresQuery)
    }
}

/// `PatternExtractor.mayFind` may pass over a request only when `extract` finds and decides nothing.
@Suite("Pattern extractor screen")
struct PatternExtractorScreenTests {
    @Test func mayFindIsFalseOnlyWhereExtractFindsNothing() throws {
        let rules = [PatternRule(name: "uid", patterns: [#"^/user/(?P<pattern>\d+)/"#, #"^/u/(?P<pattern>\d+)"#]),
                     PatternRule(name: "long", patterns: [#"^/content/search/(?P<pattern>\w+)"#])]
        let extractor = try PatternExtractor(rules)
        let unanchored = try PatternExtractor([PatternRule(name: "id", patterns: [#"id=(?P<pattern>\d+)"#])])
        var generator = SplitMix(seed: 3)
        let pieces = ["/user/", "/u/", "/content/search/", "/content/", "/usr/", "12", "x", "/", "id=7", "?"]
        var skipped = 0, found = 0
        for _ in 0..<4000 {
            let text = (0..<Int(generator.next() % 4 + 1)).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined()
            let bytes = Array(text.utf8)
            for candidate in [extractor, unanchored] {
                bytes.withUnsafeBufferPointer { buffer in
                    var values = 0
                    let undecided = candidate.extract(buffer.baseAddress!, count: buffer.count) { _, _ in values += 1 }
                    if !candidate.mayFind(in: buffer.baseAddress!, count: buffer.count) {
                        skipped += 1
                        #expect(values == 0 && undecided == 0, "\(text)")
                    }
                    found += values
                }
            }
        }
        #expect(skipped > 500 && found > 500, "\(skipped) passed over, \(found) values")
        let empty = try PatternExtractor([])
        #expect(Array("/user/12345/".utf8).withUnsafeBufferPointer { empty.mayFind(in: $0.baseAddress!, count: $0.count) } == false)
    }
}

/// A small deterministic generator (SplitMix64), so a failure reproduces.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
