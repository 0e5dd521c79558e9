import Testing
@testable import ElfstatsCore

/// What strangers can put in a log must not grow memory past the configuration, take unbounded
/// time, overflow arithmetic or break a report line (issue 10).
@Suite("Hostile input")
struct HostileInputTests {
    /// A line whose request is `request` (in the default ELF format).
    func line(_ request: String, latency: String = "4466") -> String {
        elfLine(request: "GET \(request) HTTP/1.1", latency: latency)
    }

    func analyzer(_ configure: (inout Configuration) -> Void) throws -> LogAnalyzer {
        var (configuration, dataFile) = makeConfiguration()
        configure(&configuration)
        return try LogAnalyzer(configuration: configuration, dataFile: dataFile)
    }

    func methodSections(_ report: ReportDocument) -> [String] {
        report.sections.map(\.name).filter { $0.hasPrefix("method_") }
    }

    // MARK: max_methods bounds memory and the report; later methods are counted

    @Test func aMethodFirstSeenInALaterRoundIsCountedOnceARoundHasPassed() throws {
        let analyzer = try analyzer { $0.maxMethods = 3 }
        feed(analyzer, ["a", "b", "c", "d"].map { line("/content/g/\($0)") })
        let first = report(of: analyzer)
        #expect(methodSections(first) == ["method_elfstatsd_overflow", "method_g_a", "method_g_b", "method_g_c"])
        #expect(first.value("method_elfstatsd_overflow", "calls") == "1")
        // Round 2: b is used again; e is new and takes the slot of a method idle this round.
        feed(analyzer, [line("/content/g/b"), line("/content/g/e")])
        let second = report(of: analyzer)
        #expect(second.value("method_g_e", "calls") == "1")
        #expect(second.value("method_g_b", "calls") == "1")
        #expect(second.value("method_elfstatsd_overflow", "calls") == "0")
        #expect(methodSections(second).count == 4)
        #expect(analyzer.registry.slots.count <= 4)
    }

    @Test func aMethodThatOverflowedOnceFindsRoomInALaterRound() throws {
        let analyzer = try analyzer {
            $0.maxMethods = 1
            $0.requestsAggregation = [AggregationRule(group: "search", method: "all", regex: "^/content/search/")]
        }
        feed(analyzer, [line("/content/g/a"), line("/content/g/b"), line("/content/g/b"), line("/content/search/x")])
        let first = report(of: analyzer)
        #expect(first.value("method_elfstatsd_overflow", "calls") == "3")
        // b (a short request, the kind recent outcomes are remembered for) now takes a's idle slot.
        feed(analyzer, [line("/content/g/b"), line("/content/g/b")])
        let second = report(of: analyzer)
        #expect(second.value("method_g_b", "calls") == "2")
        #expect(second.value("method_elfstatsd_overflow", "calls") == "0")
        // And an aggregation rule that overflowed takes the next idle slot.
        feed(analyzer, [line("/content/search/y")])
        #expect(report(of: analyzer).value("method_search_all", "calls") == "1")
    }

    @Test func idleMethodsKeepTheirSectionForIdleMethodRoundsThenLeave() throws {
        let analyzer = try analyzer { $0.idleMethodRounds = 2 }
        feed(analyzer, [line("/content/g/a")])
        #expect(report(of: analyzer).value("method_g_a", "calls") == "1")
        #expect(report(of: analyzer).value("method_g_a", "calls") == "0")
        #expect(report(of: analyzer).value("method_g_a", "calls") == "0")
        #expect(report(of: analyzer)[section: "method_g_a"] == nil)
        feed(analyzer, [line("/content/g/a")])
        #expect(report(of: analyzer).value("method_g_a", "calls") == "1")
    }

    @Test func aFloodOfDistinctMethodsKeepsAtMostMaxMethodsAndJunkLeavesAgain() throws {
        let analyzer = try analyzer { $0.maxMethods = 50; $0.idleMethodRounds = 1 }
        for round in 0..<6 {
            feed(analyzer, (0..<500).map { line("/content/g/r\(round)m\($0)") })
            let report = report(of: analyzer)
            #expect(methodSections(report).count <= 51)
            #expect(analyzer.registry.slots.count <= 51)
            #expect(analyzer.registry.slotByPairCount <= 200)
        }
        // Two quiet rounds later, the junk is gone, and a real method is counted by name.
        _ = report(of: analyzer)
        _ = report(of: analyzer)
        feed(analyzer, [line("/content/shop/get")])
        let report = report(of: analyzer)
        #expect(methodSections(report) == ["method_shop_get"])
    }

    @Test func aRememberedRequestOfAFreedMethodIsNotCountedInTheSlotsNewOwner() throws {
        let analyzer = try analyzer { $0.maxMethods = 1; $0.idleMethodRounds = 5 }
        feed(analyzer, [line("/content/g/a"), line("/content/g/a")])   // the second from the cache
        _ = report(of: analyzer)
        feed(analyzer, [line("/content/g/b")])                         // takes a's slot
        feed(analyzer, [line("/content/g/a")])                         // no room: overflow, not b
        let report = report(of: analyzer)
        #expect(report.value("method_g_b", "calls") == "1")
        #expect(report.value("method_elfstatsd_overflow", "calls") == "1")
        #expect(report[section: "method_g_a"] == nil)
    }

    @Test func aggregationRulesFindTheirMethodAgainAfterItWasFreed() throws {
        let analyzer = try analyzer {
            $0.maxMethods = 1
            $0.idleMethodRounds = 1
            $0.requestsAggregation = [AggregationRule(group: "search", method: "all", regex: "^/content/search/")]
        }
        feed(analyzer, [line("/content/search/x")])
        _ = report(of: analyzer)
        feed(analyzer, [line("/content/g/b")])                         // takes search_all's idle slot
        _ = report(of: analyzer)
        _ = report(of: analyzer)
        _ = report(of: analyzer)                                       // g_b freed
        feed(analyzer, [line("/content/search/y")])
        let report = report(of: analyzer)
        #expect(report.value("method_search_all", "calls") == "1")
        #expect(report[section: "method_g_b"] == nil)
    }

    // MARK: Distinct pattern values: exact up to max_pattern_values, then estimated

    @Test func distinctPatternValuesAreExactUpToTheLimitThenAnEstimateSaysSo() throws {
        let patterns = [PatternRule(name: "uid", patterns: [#"^/content/u/(?P<pattern>\d+)"#])]
        let exact = try analyzer { $0.patternsToExtract = patterns; $0.maxPatternValues = 1000 }
        feed(exact, (0..<1000).map { line("/content/u/\($0)") } + [line("/content/u/7")])
        let exactReport = report(of: exact)
        #expect(exactReport.value("patterns", "uid.distinct") == "1000")
        #expect(exactReport.value("patterns", "uid.total") == "1001")
        #expect(exactReport.value("patterns", "uid.distinct_estimated") == nil)

        let estimated = try analyzer { $0.patternsToExtract = patterns; $0.maxPatternValues = 1000 }
        feed(estimated, (0..<20_000).map { line("/content/u/\($0)") })
        let estimatedReport = report(of: estimated)
        let distinct = Int(estimatedReport.value("patterns", "uid.distinct") ?? "") ?? 0
        // Standard error 0.81 %: ±5 % is more than six of them.
        #expect(abs(distinct - 20_000) < 1000, "estimate \(distinct)")
        #expect(estimatedReport.value("patterns", "uid.distinct_estimated") == "1")
        // The next round counts exactly again.
        feed(estimated, [line("/content/u/1"), line("/content/u/2")])
        let next = report(of: estimated)
        #expect(next.value("patterns", "uid.distinct") == "2")
        #expect(next.value("patterns", "uid.distinct_estimated") == nil)
    }

    @Test func hyperLogLogEstimatesWithinItsError() {
        var sketch = HyperLogLog()
        for value in 0..<200_000 { sketch.add(HyperLogLog.mix(UInt64(value) &* 0x9E37_79B9_7F4A_7C15)) }
        #expect(abs(sketch.estimate - 200_000) < 200_000 * 4 / 100, "estimate \(sketch.estimate)")
        var small = HyperLogLog()
        for value in 0..<100 { small.add(HyperLogLog.mix(UInt64(value))) }
        #expect(abs(small.estimate - 100) <= 3)
    }

    // MARK: Regex budget

    @Test func aRegexThatReachesItsLimitMakesAnErrorNeverASkip() throws {
        let analyzer = try analyzer {
            $0.validRequests = [#"^/x/(?P<method>(a+)+)$"#]
            $0.requestsToSkip = ["^/x/"]
        }
        let hostile = (0..<20).map { line("/x/" + String(repeating: "a", count: 30 + $0) + "b") }
        feed(analyzer, hostile + [line("/x/aaa"), line("/x/")])
        #expect(analyzer.records == RecordCounts(parsed: 1, skipped: 1, error: 20, regexLimit: 20))
        let report = report(of: analyzer)
        #expect(report.value("records", "skipped") == "1")
    }

    @Test func aSkipRegexThatReachesItsLimitIsAnErrorToo() throws {
        let analyzer = try analyzer {
            $0.validRequests = [#"^/content/(?P<method>\w+)$"#]
            $0.requestsToSkip = [#"^/y/(a+)+$"#]
        }
        feed(analyzer, [line("/y/" + String(repeating: "a", count: 40) + "b")])
        #expect(analyzer.records == RecordCounts(error: 1, regexLimit: 1))
    }

    @Test func aLongHonestURLDoesNotRunOutOfJITStack() throws {
        let regex = try PCRE2Regex("^/(?P<method>(a|b)*)$")
        #expect(regex.isJITCompiled)
        #expect(regex.match("/" + String(repeating: "ab", count: 1500)) == .matched)
        #expect(regex.match("/" + String(repeating: "ab", count: 32 << 10)) == .matched)
        #expect(regex.match("/" + String(repeating: "ab", count: 1500) + "c") == .noMatch)
    }

    @Test func theMatchLimitIsTheConfiguredOne() throws {
        let pattern = #"^(a+)+$"#
        let subject = String(repeating: "a", count: 22) + "b"
        #expect(try PCRE2Regex(pattern, budget: RegexBudget(matchLimit: 1000)).match(subject) == .limitReached)
        #expect(try PCRE2Regex(pattern, budget: RegexBudget(matchLimit: 100_000_000)).match(subject) == .noMatch)
    }

    @Test func anExtractedPatternThatReachesItsLimitIsCountedAsAHitAndTheRecordStaysParsed() throws {
        let analyzer = try analyzer {
            $0.patternsToExtract = [PatternRule(name: "p", patterns: [#"^/content/g/(?P<pattern>(a+)+)$"#])]
        }
        feed(analyzer, [line("/content/g/" + String(repeating: "a", count: 40) + "b")])
        #expect(analyzer.records == RecordCounts(parsed: 1, regexLimit: 1))
        #expect(report(of: analyzer).value("patterns", "p.total") == "0")
    }

    // MARK: Latency arithmetic

    @Test func hugeLatenciesAreErrorsAndNothingOverflows() throws {
        let nginx = #"$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" $request_time"#
        let big = #"1.2.3.4 - - [08/Aug/2013:10:59:59 +0200] "GET /content/a/b HTTP/1.1" 200 10 "-" "curl" 999999999999999.999"#
        let largest = #"1.2.3.4 - - [08/Aug/2013:10:59:59 +0200] "GET /content/a/b HTTP/1.1" 200 10 "-" "curl" 2147483.647"#
        let analyzer = try analyze(Array(repeating: big, count: 10) + Array(repeating: largest, count: 10), format: nginx)
        #expect(analyzer.records == RecordCounts(parsed: 10, error: 10))
        let report = report(of: analyzer)
        #expect(report.value("method_a_b", "average") == "2147483647")
        #expect(report.value("method_a_b", "p50") == "2147483647")
        #expect(report.value("method_a_b", "p99") == "2147483647")
        #expect(report.value("method_a_b", "longest") == "2147483647")
    }

    @Test func theLatencyIsExactlyTheFieldTheFormatDelimits() throws {
        let nginx = #"$remote_addr [$time_local] "$request" $status "$upstream_response_time" $request_time"#
        func nginxLine(upstream: String, request: String) -> String {
            #"1.2.3.4 [08/Aug/2013:10:59:59 +0200] "GET /content/a/b HTTP/1.1" 200 "\#(upstream)" \#(request)"#
        }
        // $request_time is last: "0.012 0.5" is not a number (it was read as 12 ms before).
        let own = try analyze([nginxLine(upstream: "0.3", request: "0.012 0.5"), nginxLine(upstream: "0.3", request: "0.012,5")], format: nginx)
        #expect(own.records == RecordCounts(error: 2))
        // The upstream list, quoted, is one field the format declares a list: its first value counts.
        var (configuration, dataFile) = makeConfiguration(format: nginx)
        dataFile.latencyField = "$upstream_response_time"
        configuration.dataFiles = [dataFile]
        let upstream = try LogAnalyzer(configuration: configuration, dataFile: dataFile)
        feed(upstream, [nginxLine(upstream: "0.012, 0.003 : 0.004", request: "0.5"), nginxLine(upstream: "0.020 : x", request: "0.5")])
        #expect(upstream.records == RecordCounts(parsed: 1, error: 1))
        #expect(report(of: upstream).value("method_a_b", "longest") == "12")
    }

    @Test func aHistogramOfMaximalValuesSumsWithoutOverflow() {
        var histogram = LatencyHistogram()
        for _ in 0..<10 { histogram.add(Latency.maximumMilliseconds) }
        histogram.add(0)
        #expect(histogram.wideSum == Int128(Latency.maximumMilliseconds) * 10)
        #expect(histogram.average == Latency.maximumMilliseconds * 10 / 11)
        #expect(histogram.percentiles([0, 50, 95, 100]) == [0, Latency.maximumMilliseconds, Latency.maximumMilliseconds, Latency.maximumMilliseconds])
    }

    @Test func manyDistinctSlowLatenciesAreBucketedWithinTheirError() {
        var histogram = LatencyHistogram()
        var values: [Int] = []
        for index in 0..<5000 {
            let value = index % 2 == 0 ? index % 900 : 16_384 + index * 997 % 2_000_000
            histogram.add(value)
            values.append(value)
        }
        values.sort()
        let ps = [10, 50, 75, 90, 99, 100]
        let exact = ps.map { Percentile.of($0, sorted: values)! }
        let estimated = histogram.percentiles(ps).map { $0 ?? -1 }
        for (truth, estimate) in zip(exact, estimated) {
            #expect(abs(estimate - truth) <= truth / 100, "\(estimate) for \(truth)")
        }
        #expect(estimated.last == values.last)
        #expect(estimated.first == exact.first)   // below 16,384 ms: exact
        // Memory: the dictionary gave way to 1,088 counters.
        #expect(LatencyHistogram.bucket(of: Latency.maximumMilliseconds) == 17 * 64 - 1)
        #expect(LatencyHistogram.bucket(of: 16_384) == 0)
        for value in [16_384, 20_000, 1 << 20, Latency.maximumMilliseconds] {
            let middle = LatencyHistogram.middle(ofBucket: LatencyHistogram.bucket(of: value))
            #expect(abs(middle - value) * 128 <= value, "\(middle) for \(value)")
        }
        // The next round is exact again.
        histogram.removeAll()
        for value in [20_001, 20_003] { histogram.add(value) }
        #expect(histogram.percentiles([0, 50, 100]) == [20_001, 20_002, 20_003])
    }

    @Test func percentileBlendsOfLargeValuesDoNotOverflow() {
        let large = Int.max / 2
        #expect(Percentile.of(50, sorted: [large, large]) == large)
        #expect(Percentile.of(50, sorted: [large - 1, large + 1]) == large)
    }

    @Test func aHistogramKeepsExactPercentilesWhenSlowValuesComeFirst() {
        var histogram = LatencyHistogram()
        var values: [Int] = [9000, 3, 15000, 70, 70, 12, 5000]
        for value in values { histogram.add(value) }
        for value in 0..<2000 { histogram.add(value % 300); values.append(value % 300) }
        histogram.add(20000); values.append(20000)
        values.sort()
        let ps = [0, 10, 50, 90, 99, 100]
        #expect(histogram.percentiles(ps) == ps.map { Percentile.of($0, sorted: values) })
    }

    @Test func statusCodesHaveAtMostThreeDigitsSoTheirListsStayShort() throws {
        let analyzer = try analyze((995..<1005).map { elfLine(status: String($0)) } + [elfLine(status: "999999")])
        #expect(analyzer.records == RecordCounts(parsed: 5, error: 6))
        #expect(report(of: analyzer).value("response_codes", "rc1000") == nil)
    }

    // MARK: Line-safe ids

    @Test func controlCharactersInAMethodAreReplacedWhereTheIdIsFormed() throws {
        let analyzer = try analyzer {
            $0.validRequests = [#"^/content/(?P<group>[^/]+)/(?P<method>[^/?]+)"#]
        }
        let requests = ["/content/g/ab\rcd", "/content/g/ab\u{0}cd", "/content/g/ab\tcd", "/content/g/a\u{2028}b\u{85}c",
                        "/content/g\u{1b}/x", "/content/g]x/a=b]"]
        feed(analyzer, requests.map { line($0) })
        let text = report(of: analyzer).rendered()
        #expect(text.contains("[method_g_ab?cd]"))
        #expect(text.contains("method = ab?cd"))
        #expect(text.contains("[method_g_a?b?c]"))
        #expect(text.contains("[method_g?_x]"))
        #expect(!text.unicodeScalars.contains { $0 != "\n" && LineSafeText.isLineBreaking($0) })
        // Every line of the report is a section header, a key = value pair or blank.
        let reread = ReportDocument(parsing: text)
        #expect(reread.malformedLineCount == 0)
        #expect(reread.value("method_g_ab?cd", "calls") == "3")   // CR, NUL and tab all became '?'
    }

    @Test func longGroupsAndMethodsAreCutToALengthAFileNameCanHold() throws {
        let analyzer = try analyzer { _ in }
        feed(analyzer, [line("/content/g/" + String(repeating: "m", count: 5000))])
        let report = report(of: analyzer)
        let section = methodSections(report).first ?? ""
        #expect(section == "method_g_" + String(repeating: "m", count: MethodRegistry.longestName))
    }

    // MARK: max_line_length

    @Test func aLineLongerThanMaxLineLengthIsOneErrorRecord() throws {
        let analyzer = try analyzer { $0.maxLineLength = 1024 }
        let long = elfLine(request: "GET /content/g/" + String(repeating: "x", count: 2000) + " HTTP/1.1")
        feed(analyzer, [line("/content/g/a"), long, line("/content/g/a")])
        #expect(analyzer.records == RecordCounts(parsed: 2, error: 1, tooLong: 1))
    }
}

extension MethodRegistry {
    /// Pairs remembered by their bytes (for tests: bounded too).
    var slotByPairCount: Int { pairCount }
}
