import Testing
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

    /// Without a bound on `/` (`PathDepth`), classification reads up to the first `?`.
    @Test func classifiedLengthEndsAfterTheFirstQuestionMark() {
        for (text, expected) in [("/a?b?c", 3), ("/a", 2), ("?", 1), ("", 0), ("/p?", 3)] {
            let bytes = Array(text.utf8) + [0x3F]   // a `?` past the end is never seen
            let length = bytes.withUnsafeBufferPointer {
                PathDepth.classifiedLength($0.baseAddress!, start: 0, end: text.utf8.count, readable: bytes.count, slashes: .max)
            }
            #expect(length == expected, "\(text)")
        }
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
        RandomPatterns.forEachCompiled(3000, from: pieces, mostPieces: 7, generator: &generator) { pattern, code, generator in
            guard QueryBlindness.holds(for: pattern) else { refused += 1; return }
            accepted += 1
            for _ in 0..<40 {
                let subject = RandomPatterns.subject(of: alphabet, shorterThan: 12, generator: &generator)
                let cut = subject.firstIndex(of: 0x3F).map { $0 + 1 } ?? subject.count
                let whole = RandomPatterns.answer(code, subject)
                #expect(whole == RandomPatterns.answer(code, Array(subject[..<cut])), "'\(pattern)' on '\(String(decoding: subject, as: UTF8.self))'")
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
