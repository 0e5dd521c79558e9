import Testing
@testable import ElfstatsCore

/// `PathDepth` may let classification read a request only up to its (k + 1)-th `/`: every pattern
/// it bounds by k must give PCRE2's answer and captures on the whole request and on that part.
@Suite("Path depth")
struct PathDepthTests {
    @Test func boundsUnquantifiedSlashesAndRefusesTheRest() {
        let bounded: [(String, Int)] = [
            (#"^/content/(?P<group>[\w.-]+)/(?P<method>[\w.-]+)"#, 3), (#"^/content/(?P<method>[\w.-]+)"#, 2),
            (#"^/(?P<group>user)/\d+/(?P<method>\w+)"#, 3), (#"^/static/"#, 2), (#"^/$"#, 1), (#"^/content/search/"#, 3),
            (#"^\/a\/b"#, 2), (#"^/(a/(b/))c"#, 3), (#"^/a+b*c?d{1,2}"#, 1), (#"^/[a-z.-]+/x"#, 2), (#"^[0-9]"#, 0),
            (#"^/(?:ab)+/"#, 2), (#"^/[0-9]/"#, 2), (#"^/[.-]"#, 1),
        ]
        let refused = [
            #"^/+"#, #"^/*"#, #"^/?"#, #"^/{2}"#, #"^\/+"#, #"^(/a)+"#, #"^(?:/a)*"#, #"^(?P<x>/a)?"#, #"^((/)b)+"#,
            #"^(/){1,3}"#, #"^/[/]"#, #"^/[\/]"#, #"^/[.-0]"#, #"^/[!-~]"#, #"^/[a/]"#, #"^/.*"#, #"^/[^a]"#,
            #"/a"#, #"^/a|^/b"#, #"^/\?"#, #"^/\W"#, #"^/\x2f"#,
        ]
        for (pattern, slashes) in bounded { #expect(PathDepth.slashesRead(by: pattern) == slashes, "\(pattern)") }
        for pattern in refused { #expect(PathDepth.slashesRead(by: pattern) == nil, "\(pattern)") }
    }

    /// The plain definition: up to and including the first `?` or the (slashes + 1)-th `/`.
    static func expectedLength(_ request: ArraySlice<UInt8>, slashes: Int) -> Int {
        var seen = 0
        for (offset, byte) in request.enumerated() {
            if byte == UInt8(ascii: "?") { return offset + 1 }
            if byte == UInt8(ascii: "/") {
                if seen == slashes { return offset + 1 }
                seen += 1
            }
        }
        return request.count
    }

    /// Requests of 0 to 100 bytes at every offset of lines of 0 to 100 bytes, with 0 to 40 more
    /// readable bytes of the line after the request (`/` and `?` among them, which must not be
    /// taken), so every block boundary and every tail (the masked round, the shifted last block,
    /// the short line) is crossed.
    @Test func classifiedLengthEndsAfterTheFirstQuestionMarkOrTheSlashPastTheBound() {
        var generator = SplitMix(seed: 21)
        let alphabet = Array("//?ab1.".utf8)
        var cutAtSlash = 0, cutAtMark = 0, whole = 0
        for _ in 0..<30_000 {
            let end = Int(generator.next() % 101)
            let start = end == 0 ? 0 : Int(generator.next() % UInt64(end + 1))
            let readable = end + Int(generator.next() % 41)
            let line = (0..<readable).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }
            let slashes = [0, 1, 2, 3, 5, 20, Int.max][Int(generator.next() % 7)]
            let expected = Self.expectedLength(line[start..<end], slashes: slashes)
            let length = line.withUnsafeBufferPointer {
                PathDepth.classifiedLength($0.baseAddress!, start: start, end: end, readable: readable, slashes: slashes)
            }
            #expect(length == expected, "\(String(decoding: line, as: UTF8.self)) [\(start)..<\(end)] of \(readable), slashes \(slashes)")
            if expected == end - start { whole += 1 } else if line[start + expected - 1] == UInt8(ascii: "/") { cutAtSlash += 1 } else { cutAtMark += 1 }
        }
        #expect(cutAtSlash > 3000 && cutAtMark > 3000 && whole > 3000, "\(cutAtSlash) \(cutAtMark) \(whole)")
    }

    /// Random patterns from pieces and random requests with many `/`: for every pattern bounded by
    /// k, the whole request and its part up to the (k + 1)-th `/` (or first `?`) get the same
    /// answer and captures from PCRE2. Both kinds of pattern must occur, some must match, and
    /// some requests must be cut by a `/`.
    @Test func boundedPatternsAnswerAlikeOnTheWholeRequestAndOnItsCutPath() {
        let pieces = [
            "/", "/", "/", "\\/", "a", "b", "1", "\\w", "\\d", "[\\w.-]", "[a-z]", "[.-0]", "[/a]", "[^a]", ".",
            "+", "*", "?", "{1,2}", "+?", "(", ")", "(?:", "(?P<g>", "$", "\\b", "\\B", "\\z", "\\Z", "-",
        ]
        let alphabet = Array("///ab1.-?".utf8)
        var generator = SplitMix(seed: 16)
        var bounded = 0, refused = 0, matched = 0, cutBySlash = 0
        RandomPatterns.forEachCompiled(4000, from: pieces, mostPieces: 8, generator: &generator) { pattern, code, generator in
            guard let slashes = PathDepth.slashesRead(by: pattern) else { refused += 1; return }
            bounded += 1
            for _ in 0..<40 {
                let subject = RandomPatterns.subject(of: alphabet, shorterThan: 14, generator: &generator)
                let cut = Self.expectedLength(subject[...], slashes: slashes)
                if cut < subject.count, subject[cut - 1] == UInt8(ascii: "/") { cutBySlash += 1 }
                let whole = RandomPatterns.answer(code, subject)
                #expect(whole == RandomPatterns.answer(code, Array(subject[..<cut])),
                        "'\(pattern)' (\(slashes)) on '\(String(decoding: subject, as: UTF8.self))'")
                if whole != nil { matched += 1 }
            }
        }
        #expect(bounded > 300 && refused > 300 && matched > 2000 && cutBySlash > 2000,
                "\(bounded) bounded, \(refused) refused, \(matched) matched, \(cutBySlash) cut by a slash")
    }

    /// The classifier's bound is the largest of its regexes', and none when one has none.
    @Test func theClassifierReadsAsManySlashesAsItsDeepestRegex() throws {
        let bounded = try RequestClassifier(validRequests: [#"^/a/(?P<method>\w+)"#], requestsToSkip: [#"^/$"#],
                                            aggregation: [AggregationRule(group: "g", method: "m", regex: #"^/a/b/c/"#)])
        #expect(bounded.ignoresQuery && bounded.slashesRead == 4)
        let unbounded = try RequestClassifier(validRequests: [#"^/a/(?P<method>\w+)"#], requestsToSkip: [#"^(/\w+)+$"#], aggregation: [])
        #expect(unbounded.ignoresQuery && unbounded.slashesRead == Int.max)
    }
}
