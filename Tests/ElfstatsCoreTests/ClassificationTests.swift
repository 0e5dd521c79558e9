import Testing
@testable import ElfstatsCore

@Suite("Classification of requests")
struct ClassificationTests {
    func request(_ path: String) -> String { elfLine(request: "GET \(path) HTTP/1.1") }

    @Test func theFirstMatchingValidRegexWins() throws {
        let analyzer = try analyze([request("/api/v1/users")], validRequests: [
            #"^/api/(?P<group>\w+)/(?P<method>\w+)"#,
            #"^/(?P<group>\w+)/(?P<method>\w+)"#,
        ])
        let report = report(of: analyzer)
        #expect(report.value("method_v1_users", "calls") == "1")
        #expect(report[section: "method_api_v1"] == nil)
    }

    @Test func aggregationOverridesGroupAndMethod() throws {
        let analyzer = try analyze([request("/content/search/get"), request("/content/search/list"), request("/content/route/get")],
                                   aggregation: [AggregationRule(group: "search", method: "all", regex: "^/content/search/")])
        let report = report(of: analyzer)
        #expect(report.value("method_search_all", "calls") == "2")
        #expect(report.value("method_search_all", "group") == "search")
        #expect(report.value("method_route_get", "calls") == "1")
        #expect(report[section: "method_search_get"] == nil)
    }

    @Test func aggregationIsOnlyTriedAfterAValidMatch() throws {
        let analyzer = try analyze([request("/other/search/")],
                                   aggregation: [AggregationRule(group: "search", method: "all", regex: "search")])
        #expect(analyzer.records == RecordCounts(error: 1))
    }

    @Test func noGroupCaptureMeansNogroup() throws {
        let analyzer = try analyze([request("/content/status?x=1")])
        let report = report(of: analyzer)
        #expect(report.value("method_nogroup_status", "calls") == "1")
        #expect(report.value("method_nogroup_status", "group") == "nogroup")
        #expect(report.value("method_nogroup_status", "method") == "status")
    }

    @Test func anUnsetOptionalGroupIsNogroupToo() throws {
        let analyzer = try analyze([request("/m/get")], validRequests: [#"^/(?:g/(?P<group>\w+)/)?m/(?P<method>\w+)"#])
        #expect(report(of: analyzer).value("method_nogroup_get", "calls") == "1")
    }

    @Test func aMethodGroupThatTookNoPartIsAnError() throws {
        let analyzer = try analyze([request("/x/")], validRequests: [#"^/x/(?P<method>\w+)?"#])
        #expect(analyzer.records == RecordCounts(error: 1))
    }

    @Test func skipOnlyWhenNoValidRegexMatched() throws {
        let analyzer = try analyze([request("/"), request("/static/app.js"), request("/content/a/b"), request("/odd/path")],
                                   skip: ["^/$", "^/static/", "^/content/"])
        #expect(analyzer.records == RecordCounts(parsed: 1, skipped: 2, error: 1))
        #expect(analyzer.records.total == 4)
    }

    @Test func onlyParsedRecordsFeedCodesAndLatencies() throws {
        let analyzer = try analyze([request("/"), elfLine(request: "GET /content/a/b HTTP/1.1", status: "500")])
        let report = report(of: analyzer)
        #expect(report.value("response_codes", "rc200") == "0")
        #expect(report.value("response_codes", "rc500") == "1")
    }

    @Test func patternsCountTotalAndDistinct() throws {
        let patterns = [PatternRule(name: "uid", patterns: [#"/male_user/(?P<pattern>\w+)"#, #"/(?:fe)?male_user/(?P<pattern>\w+)"#]),
                        PatternRule(name: "lang", patterns: [#"lang=(?P<pattern>\w+)"#])]
        let analyzer = try analyze([
            request("/content/a/b/male_user/7"), request("/content/a/b/female_user/7"), request("/content/a/b/male_user/8"),
            request("/content/a/b?lang=en"), request("/"),
        ], patterns: patterns)
        let report = report(of: analyzer)
        #expect(report.value("patterns", "uid.total") == "3")
        #expect(report.value("patterns", "uid.distinct") == "2")
        #expect(report.value("patterns", "lang.total") == "1")
        // The next round starts from zero and still lists every pattern.
        let next = analyzer.finishRound(RoundMetadata(invoked: 0, worked: 0))
        #expect(next.value("patterns", "uid.total") == "0")
        #expect(next.value("patterns", "lang.distinct") == "0")
    }

    @Test func forbiddenSymbolsLeaveMethodIDs() throws {
        let analyzer = try analyze([request("/content/map.tiles/v2.query"), request("/content/static-ish/x-export")])
        let report = report(of: analyzer)
        #expect(report.value("method_maptiles_v2query", "calls") == "1")
        #expect(report.value("method_maptiles_v2query", "group") == "map.tiles")
        #expect(report.value("method_maptiles_v2query", "method") == "v2.query")
        #expect(report.value("method_staticish_xexport", "calls") == "1")
    }

    @Test func methodsStayWithZeroCallsInLaterRounds() throws {
        let analyzer = try analyze([request("/content/a/b")])
        _ = report(of: analyzer)
        let next = analyzer.finishRound(RoundMetadata(invoked: 0, worked: 0))
        #expect(next.value("method_a_b", "calls") == "0")
        #expect(next.value("method_a_b", "stalled_calls") == "0")
        #expect(next.value("method_a_b", "shortest") == "U")
        #expect(next.value("method_a_b", "rc200") == "0")
        #expect(next.value("records", "total") == "0")
        #expect(next.value("metadata", "first_record") == "U")
    }

    @Test func methodsBeyondTheCapGoToOneOverflowMethod() throws {
        let analyzer = try analyze((1...5).map { request("/content/g/m\($0)") }, maxMethods: 3)
        #expect(analyzer.overflowedThisRound)
        let report = report(of: analyzer)
        #expect(report.value("method_elfstatsd_overflow", "calls") == "2")
        #expect(report.sections.filter { $0.name.hasPrefix("method_") }.count == 4)
    }

    @Test func aRepeatedRequestCountsAsItsFirstDidAndStillNotesTheOverflow() throws {
        // The second time round every request's outcome comes from the classification cache.
        let requests = ["/content/search/x", "/content/g/m1", "/content/g/m2", "/content/g/m3", "/content/g/m4",
                        "/", "/nothing", "/content/g/m1"]
        let lines = requests.map { request($0) }
        let analyzer = try analyze(lines + lines, validRequests: [#"^/content/(?P<group>\w+)/(?P<method>\w+)"#],
                                   aggregation: [AggregationRule(group: "search", method: "all", regex: "^/content/search/")],
                                   maxMethods: 3)
        #expect(analyzer.overflowedThisRound)
        let first = report(of: analyzer)
        #expect(first.value("method_g_m1", "calls") == "4")
        #expect(first.value("method_g_m2", "calls") == "2")
        #expect(first.value("method_search_all", "calls") == "2")
        #expect(first.value("method_elfstatsd_overflow", "calls") == "4")
        #expect(first.value("records", "skipped") == "2")
        #expect(first.value("records", "error") == "2")
        #expect(first.value("records", "parsed") == "12")
        // A new round: only remembered outcomes, and the overflow is noted again.
        #expect(!analyzer.overflowedThisRound)
        let bytes = Array(lines.map { $0 + "\n" }.joined().utf8)
        _ = bytes.withUnsafeBytes { analyzer.consume($0) }
        #expect(analyzer.overflowedThisRound)
        let second = report(of: analyzer)
        #expect(second.value("method_elfstatsd_overflow", "calls") == "2")
        #expect(second.value("method_g_m1", "calls") == "2")
        #expect(second.value("records", "error") == "1")
    }

    @Test func theClassificationCacheKeepsTwoRequestsPerPairAndNoLongOnes() {
        let cache = ClassificationCache()
        func outcome(_ text: String) -> ClassificationCache.Outcome? {
            var hash: UInt64 = 0
            let bytes = Array(text.utf8)
            return bytes.withUnsafeBufferPointer { cache.outcome(of: $0.baseAddress!, count: $0.count, hash: &hash) }
        }
        func remember(_ text: String, _ result: ClassificationCache.Outcome) {
            var hash: UInt64 = 0
            let bytes = Array(text.utf8)
            bytes.withUnsafeBufferPointer {
                #expect(cache.outcome(of: $0.baseAddress!, count: $0.count, hash: &hash) == nil)
                cache.remember(result, of: $0.baseAddress!, count: $0.count, hash: hash)
            }
        }
        remember("/a", .method(slot: 7))
        remember("/b", .skipped)
        remember("/c", .error)
        #expect(outcome("/a") == .method(slot: 7))
        #expect(outcome("/b") == .skipped)
        #expect(outcome("/c") == .error)
        #expect(outcome("/a/") == nil)
        let long = "/" + String(repeating: "x", count: ClassificationCache.longestKey)
        remember(long, .skipped)
        #expect(outcome(long) == nil)
        // Three requests in one pair of entries: the first two both stay.
        var requests: [Int: [String]] = [:]
        var trio: [String] = []
        for n in 0... {
            let candidate = "/p\(n)"
            let pair = Array(candidate.utf8).withUnsafeBufferPointer {
                Int(truncatingIfNeeded: ByteKeyTable.wordHash($0.baseAddress!, $0.count)) & (ClassificationCache.capacity - 2)
            }
            requests[pair, default: []].append(candidate)
            if requests[pair]!.count == 3 { trio = requests[pair]!; break }
        }
        let (first, second, third) = (trio[0], trio[1], trio[2])
        remember(first, .method(slot: 1))
        remember(second, .method(slot: 2))
        #expect(outcome(first) == .method(slot: 1))
        #expect(outcome(second) == .method(slot: 2))
        // Second chance: both were found again since they were written (just above), so the
        // first newcomer only takes their chances away; the next one takes the first entry.
        remember(third, .method(slot: 3))
        #expect(outcome(third) == nil)
        remember(third, .method(slot: 3))
        #expect(outcome(third) == .method(slot: 3))
        #expect(outcome(first) == nil)
        #expect(outcome(second) == .method(slot: 2))
        // Both were found again just above: `first` first takes their chances away, then the
        // first entry of the pair (`third`'s).
        remember(first, .method(slot: 1))
        #expect(outcome(first) == nil)
        remember(first, .method(slot: 1))
        #expect(outcome(first) == .method(slot: 1))
        #expect(outcome(third) == nil)
        #expect(outcome(second) == .method(slot: 2))
        cache.forgetAll()
        #expect(outcome(first) == nil)
    }

    /// The report's response codes are the methods' codes summed: they must equal a count of the
    /// parsed lines' codes, also when methods overflow and hand their slots on between rounds.
    @Test func responseCodesCountEveryParsedLineThroughOverflowAndSlotReuse() throws {
        let (configuration, dataFile) = makeConfiguration(maxMethods: 3)
        let analyzer = try LogAnalyzer(configuration: configuration, dataFile: dataFile)
        var generator = SplitMix(seed: 7)
        for round in 0..<4 {
            var expected: [String: Int] = [:]
            var lines: [String] = []
            for _ in 0..<200 {
                let status = ["200", "404", "500", "301", "999"][Int(generator.next() % 5)]
                let path = ["/content/g/m\(round)\(generator.next() % 6)", "/content/x", "/odd/y", "/"][Int(generator.next() % 4)]
                lines.append(elfLine(request: "GET \(path) HTTP/1.1", status: status))
                if path.hasPrefix("/content/") { expected["rc" + status, default: 0] += 1 }
            }
            _ = Array((lines.joined(separator: "\n") + "\n").utf8).withUnsafeBytes { analyzer.consume($0) }
            let section = report(of: analyzer)[section: "response_codes"]
            var reported: [String: Int] = [:]
            for entry in section?.entries ?? [] where entry.value != "0" { reported[entry.key] = Int(entry.value) }
            #expect(reported == expected, "round \(round)")
        }
    }

    @Test func stalledCallsAreStrictlyAboveTheThreshold() throws {
        var (configuration, dataFile) = makeConfiguration()
        configuration.stalledCallThreshold = 100
        let analyzer = try LogAnalyzer(configuration: configuration, dataFile: dataFile)
        let text = [elfLine(latency: "100000"), elfLine(latency: "100501"), elfLine(latency: "99000")].joined(separator: "\n") + "\n"
        _ = Array(text.utf8).withUnsafeBytes { analyzer.consume($0) }
        let report = report(of: analyzer)
        #expect(report.value("method_csl_get", "stalled_calls") == "1")
        #expect(report.value("method_csl_get", "calls") == "3")
        #expect(report.value("method_csl_get", "average") == "100")
    }

    /// A shape's entry answers a look-up by that shape and by its own bytes; an entry remembered
    /// for one request answers only a look-up by its bytes, never one by a shape.
    @Test func onlyEntriesRememberedForAShapeAnswerShapes() {
        let cache = ClassificationCache()
        func lookUp(_ text: String, shape: Bool) -> ClassificationCache.Outcome? {
            var hash: UInt64 = 0
            return Array(text.utf8).withUnsafeBufferPointer {
                shape ? cache.outcome(ofShape: $0.baseAddress!, count: $0.count, hash: &hash)
                      : cache.outcome(of: $0.baseAddress!, count: $0.count, hash: &hash)
            }
        }
        func remember(_ text: String, _ result: ClassificationCache.Outcome, shape: Bool) {
            var hash: UInt64 = 0
            Array(text.utf8).withUnsafeBufferPointer {
                _ = shape ? cache.outcome(ofShape: $0.baseAddress!, count: $0.count, hash: &hash)
                          : cache.outcome(of: $0.baseAddress!, count: $0.count, hash: &hash)
                cache.remember(result, of: $0.baseAddress!, count: $0.count, hash: hash, shape: shape)
            }
        }
        remember("/user/000/profile", .method(slot: 1), shape: true)
        remember("/api/v0/items", .method(slot: 2), shape: false)
        #expect(lookUp("/user/000/profile", shape: true) == .method(slot: 1))
        #expect(lookUp("/user/000/profile", shape: false) == .method(slot: 1))
        #expect(lookUp("/api/v0/items", shape: false) == .method(slot: 2))
        #expect(lookUp("/api/v0/items", shape: true) == nil)
        #expect(lookUp("/user/0000/profile", shape: true) == nil)
    }

    /// The cache's key compare sees every byte of keys of every length up to the longest, and
    /// nothing past `count`.
    @Test func cacheKeysAreEqualOnlyWhenEveryByteIs() {
        var generator = SplitMix(seed: 12)
        for count in 0...ClassificationCache.longestKey {
            let key = (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            // A different byte past `count` on one side: never read.
            let same = key + [1], other = key + [2]
            #expect(same.withUnsafeBufferPointer { a in other.withUnsafeBufferPointer { b in
                keyBytesEqual(a.baseAddress!, b.baseAddress!, count: count) } }, "length \(count)")
            for position in 0..<count {
                var changed = key + [1]
                changed[position] ^= UInt8(1) << UInt8(truncatingIfNeeded: generator.next() % 8)
                #expect(!same.withUnsafeBufferPointer { a in changed.withUnsafeBufferPointer { b in
                    keyBytesEqual(a.baseAddress!, b.baseAddress!, count: count) } }, "length \(count), byte \(position)")
            }
        }
    }
}

@Suite("PCRE2 regexes")
struct RegexTests {
    @Test(arguments: [
        (#"^/content/search/"#, "/content/search/"),
        (#"^\/user\/(?P<pattern>\d+)"#, "/user/"),
        (#"^/ab*c"#, "/a"),
        (#"^/a?"#, "/"),
        (#"^/a|^/b"#, ""),
        (#"^/$"#, "/"),
        (#"/content/"#, ""),
        (#"^\d+"#, ""),
        (#"^/x.y"#, "/x"),
        (#"^/(?P<m>\w+)"#, "/"),
    ])
    func anchoredLiteralPrefixes(pattern: String, prefix: String) throws {
        #expect(try PCRE2Regex(pattern).requiredPrefix == Array(prefix.utf8))
    }

    @Test func thePrefixShortcutAgreesWithPCRE2() throws {
        let regex = try PCRE2Regex(#"^/content/(?P<g>\w+)"#)
        #expect(regex.matches("/content/abc"))
        #expect(regex.captures(in: "/content/abc")["g"] == "abc")
        #expect(!regex.matches("/contend/abc"))
        #expect(!regex.matches("/con"))
        #expect(!regex.matches("x/content/abc"))
    }

    @Test(arguments: [#"^/static/"#, #"^/$"#, #"^/a\.b"#, #"^/x$"#, #"^/x\$"#, #"^/a b"#])
    func literalPatternsMatchWithoutPCRE2AsPCRE2Would(pattern: String) throws {
        let shortcut = try PCRE2Regex(pattern)
        // The same pattern behind a group has no literal prefix, so PCRE2 decides every match.
        let reference = try PCRE2Regex("(?:" + pattern + ")")
        #expect(reference.requiredPrefix.isEmpty)
        let subjects = ["", "/", "/\n", "/\n\n", "//", "/static/", "/static", "/static/x", "/a.b", "/aXb", "/a.bc",
                        "/x", "/x\n", "/xy", "/x$", "/a b", "x/static/"]
        for subject in subjects {
            let matched = shortcut.matches(subject)
            #expect(matched == reference.matches(subject), "\(pattern) on \(subject.debugDescription)")
            if matched { #expect(shortcut.range(ofGroup: 0) == reference.range(ofGroup: 0)) }
        }
    }

    /// Only `^` and literal text: the prefix decides every match, so the JIT is not asked to
    /// compile the pattern; one with anything more is JIT-compiled.
    @Test func literalPatternsAreDecidedWithoutTheJIT() throws {
        let prefix = try PCRE2Regex("^/static/")
        #expect(!prefix.isJITCompiled)
        #expect(prefix.matches("/static/a.css") && !prefix.matches("/statics/a.css") && !prefix.matches("/x/static/"))
        let whole = try PCRE2Regex("^/$")
        #expect(!whole.isJITCompiled)
        #expect(whole.matches("/") && whole.matches("/\n") && !whole.matches("/a"))
        #expect(try PCRE2Regex(#"^/static/\d"#).isJITCompiled)
    }

    @Test func namedGroupsInBothSyntaxes() throws {
        let regex = try PCRE2Regex(#"(?P<group>\w+)-(?<method>\w+)"#)
        #expect(regex.groupNumbers == ["group": 1, "method": 2])
        #expect(regex.isJITCompiled)
    }

    @Test func errorsQuotePCRE2AndTheOffset() {
        do {
            _ = try PCRE2Regex("^/(?P<method>\\w+")
            Issue.record("expected an error")
        } catch {
            #expect(error.message == "missing closing parenthesis")
            #expect(error.offset == 16)
        }
    }

    @Test func removingMatches() throws {
        #expect(try PCRE2Regex("[.-]").removingMatches(from: "map.tiles_x-export.") == "maptiles_xexport")
        #expect(try PCRE2Regex("x*").removingMatches(from: "axbxx") == "ab")
    }
}
