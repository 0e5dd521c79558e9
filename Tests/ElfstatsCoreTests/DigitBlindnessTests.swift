import Testing
@testable import ElfstatsCore

/// `DigitBlindness` lets a request be classified by its shape (every digit `0`): every pattern it
/// accepts must give PCRE2's answer and captures alike on requests that differ only in their
/// digits, and the analyzer must count what the regexes say, also when a method holds digits.
@Suite("Digit blindness")
struct DigitBlindnessTests {
    @Test func acceptsRegexesThatTreatDigitsAlike() {
        let accepted = [
            #"^/content/(?P<group>[\w.-]+)/(?P<method>[\w.-]+)"#, #"^/content/(?P<method>[\w.-]+)"#,
            #"^/(?P<group>user)/\d+/(?P<method>\w+)"#, #"^/static/"#, #"^/$"#, #"^/content/search/"#,
            #"^/v\d{1,3}/[a-z_0-9]+$"#, #"^/[0-9]+x"#, #"^/[a-z]{2}/"#, #"^/a{3,}"#, #"^/(?P<n1>\w+)"#,
            #"^/a{x"#, #"^/[\s.]"#, #"^/(ab){2}"#, #"^/[a-z0-9]"#,
        ]
        let refused = [
            #"^/v1/"#, #"^/[0-5]"#, #"^/[a1]"#, #"^/[5-z]"#, #"^/a{,3}"#, #"^/a{1, 2}"#, #"^/(?:{2})"#, #"^/.*"#,
            #"^/\D"#, #"^/a|^/b"#, #"/content/"#, #"^/(a)\1"#, #"^/a{2"#,
        ]
        for pattern in accepted { #expect(DigitBlindness.holds(for: pattern), "\(pattern)") }
        for pattern in refused { #expect(!DigitBlindness.holds(for: pattern), "\(pattern)") }
    }

    /// Random patterns from pieces and random requests: for every accepted pattern, a request and
    /// the same request with other digits get the same answer and capture offsets from PCRE2.
    /// Both kinds of pattern must occur, and some accepted ones must match.
    @Test func acceptedPatternsAnswerAlikeWhateverTheDigits() {
        let pieces = [
            "/", "a", "b", "1", "0", "\\w", "\\d", "\\s", "[\\w.-]", "[a-z]", "[0-9]", "[0-5]", "[a1]", "[!-~]", "[5-z]",
            "+", "*", "?", "{1,2}", "{2}", "{1,}", "+?", "(", ")", "(?:", "(?P<g>", "$", "\\b", "\\B", "\\z", "\\Z", "-", ".",
        ]
        let alphabet = Array("/ab-x0123456789".utf8)
        var generator = SplitMix(seed: 17)
        var accepted = 0, refused = 0, matched = 0
        RandomPatterns.forEachCompiled(4000, from: pieces, mostPieces: 7, generator: &generator) { pattern, code, generator in
            guard DigitBlindness.holds(for: pattern) else { refused += 1; return }
            accepted += 1
            for _ in 0..<40 {
                let subject = RandomPatterns.subject(of: alphabet, shorterThan: 12, generator: &generator)
                let other = subject.map { $0 >= 0x30 && $0 <= 0x39 ? UInt8(0x30 + generator.next() % 10) : $0 }
                let answer = RandomPatterns.answer(code, subject)
                #expect(answer == RandomPatterns.answer(code, other),
                        "'\(pattern)' on '\(String(decoding: subject, as: UTF8.self))' and '\(String(decoding: other, as: UTF8.self))'")
                if answer != nil { matched += 1 }
            }
        }
        #expect(accepted > 300 && refused > 300 && matched > 2000, "\(accepted) accepted, \(refused) refused, \(matched) matched")
    }

    /// `normalize` against a plain copy with digits as `0`, for requests of 0 to 80 bytes with 0
    /// to 40 readable bytes after them (digits among them, which must not count).
    @Test func normalizeWritesEveryDigitAsZeroAndTellsWhetherThereWasOne() {
        var generator = SplitMix(seed: 23)
        let alphabet = Array("/a09?5.".utf8)
        var withDigits = 0, without = 0
        for _ in 0..<20_000 {
            let count = Int(generator.next() % 81)
            let readable = count + Int(generator.next() % 41)
            let digitFree = generator.next() % 3 == 0
            let source = (0..<readable).map { index -> UInt8 in
                let byte = alphabet[Int(generator.next() % UInt64(alphabet.count))]
                return digitFree && index < count && byte >= 0x30 && byte <= 0x39 ? UInt8(ascii: "x") : byte
            }
            let expected = source[..<count].map { $0 >= 0x30 && $0 <= 0x39 ? UInt8(ascii: "0") : $0 }
            let hadDigit = source[..<count].contains { $0 >= 0x30 && $0 <= 0x39 }
            var target = [UInt8](repeating: 0xEE, count: count + 16)
            let found = source.withUnsafeBufferPointer { from in
                target.withUnsafeMutableBufferPointer { DigitBlindness.normalize(from.baseAddress!, count: count, readable: readable, into: $0.baseAddress!) }
            }
            #expect(Array(target[..<count]) == expected && found == hadDigit, "\(String(decoding: source, as: UTF8.self)) count \(count) of \(readable)")
            #expect(found == source.withUnsafeBufferPointer { DigitBlindness.containsDigit($0.baseAddress!, count: count) })
            if hadDigit { withDigits += 1 } else { without += 1 }
        }
        #expect(withDigits > 5000 && without > 5000)
    }

    /// Requests of one shape are counted under the method their own digits make: one shape
    /// serves every id below `/user/` (group and method without digits), not `/api/v1` and
    /// `/api/v2` (methods with digits), which stay apart.
    @Test func theAnalyzerCountsEveryRequestUnderItsOwnMethod() throws {
        let valid = [#"^/(?P<group>user)/\d+/(?P<method>\w+)"#, #"^/api/(?P<method>v\d+)/"#, #"^/(?P<method>[a-z]+\d?)/\d+$"#]
        let (configuration, dataFile) = makeConfiguration(validRequests: valid)
        let analyzer = try LogAnalyzer(configuration: configuration, dataFile: dataFile)
        #expect(analyzer.classifier.ignoresDigits)
        var generator = SplitMix(seed: 9)
        var expected: [String: Int] = [:]
        var lines: [String] = []
        for _ in 0..<3000 {
            let id = String(generator.next() % 1000)
            let version = String(generator.next() % 4)
            let (path, method) = [
                ("/user/\(id)/profile", "user_profile"), ("/user/\(id)/p\(version)x", "user_p\(version)x"),
                ("/api/v\(version)/items/\(id)", "nogroup_v\(version)"), ("/g\(version)/\(id)", "nogroup_g\(version)"),
                ("/odd/\(id)", "nogroup_odd"),
            ][Int(generator.next() % 5)]
            lines.append(elfLine(request: "GET \(path) HTTP/1.1"))
            expected[method, default: 0] += 1
        }
        feed(analyzer, lines)
        let document = report(of: analyzer)
        for (method, calls) in expected {
            #expect(document.value("method_" + method, "calls") == String(calls), "\(method)")
        }
        #expect(document.value("records", "parsed") == String(lines.count))
    }
}

/// Pattern values read at the offsets remembered for a request's shape (`PatternCache`) must be
/// the values PCRE2 finds in that request, line by line, whatever the ids.
@Suite("Pattern values by shape")
struct PatternCacheTests {
    @Test func everyLineGetsTheValuesPCRE2FindsInIt() throws {
        let rules = [PatternRule(name: "uid", patterns: [#"^/user/(?P<pattern>\d+)/"#, #"^/u/(?P<pattern>\d+)"#]),
                     PatternRule(name: "word", patterns: [#"^/content/search/(?P<pattern>\w+)"#]),
                     PatternRule(name: "top", patterns: [#"^/(?P<pattern>[a-z]+)/"#])]
        let (configuration, dataFile) = makeConfiguration(validRequests: [#"^/(?P<method>\w+)"#], patterns: rules)
        let analyzer = try LogAnalyzer(configuration: configuration, dataFile: dataFile)
        #expect(analyzer.extractor.ignoresDigits)
        let regexes = try rules.map { try $0.patterns.map { try PCRE2Regex($0) } }
        var generator = SplitMix(seed: 31)
        var remembered = 0, values = 0
        for _ in 0..<3000 {
            let id = String(generator.next() % 100_000)
            let word = ["abc", "a1", "x22y", "search"][Int(generator.next() % 4)] + String(generator.next() % 10)
            let request = ["/user/\(id)/profile", "/user/\(id)", "/u/\(id)x", "/content/search/\(word)", "/user/\(id)/\(id)/"][Int(generator.next() % 5)]
            // PCRE2 on the whole request: per rule, the `pattern` group of its first regex that matches.
            var expected: [String] = []
            for (rule, patterns) in regexes.enumerated() {
                for regex in patterns where regex.matches(request) {
                    let utf8 = Array(request.utf8)
                    if let range = regex.range(ofGroup: regex.groupNumbers["pattern"]!) {
                        expected.append(rules[rule].name + "=" + String(decoding: utf8[range], as: UTF8.self))
                    }
                    break
                }
            }
            let explanation = analyzer.explain(elfLine(request: "GET \(request) HTTP/1.1"), configuration: configuration)
            #expect(explanation.patterns.map { $0.name + "=" + $0.value } == expected, "\(request)")
            values += expected.count
            if explanation.remembered { remembered += 1 }
        }
        #expect(values > 4000 && remembered > 2000, "\(values) values, \(remembered) remembered")
    }
}
