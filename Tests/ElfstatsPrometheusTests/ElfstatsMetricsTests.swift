import Testing
@testable import ElfstatsPrometheus
@testable import ElfstatsCore

@Suite("Metrics from reports")
struct ElfstatsMetricsTests {
    /// One round of lines through a real analyzer, as the daemon does it.
    func round(_ analyzer: LogAnalyzer, _ lines: [String], at start: Int64) -> RoundObservation {
        let bytes = Array(lines.map { $0 + "\n" }.joined().utf8)
        let consumed = bytes.withUnsafeBytes { analyzer.consume($0) }
        precondition(consumed == bytes.count)
        let totals = analyzer.latencyTotals
        let report = analyzer.finishRound(RoundMetadata(invoked: start, worked: 0.1))
        return RoundObservation(dataFile: "web", roundStart: start, report: report, latencyTotals: totals)
    }

    func line(_ target: String, status: Int = 200, microseconds: String = "1500") -> String {
        #"10.0.0.1 - - [08/Aug/2013:10:59:59 +0200] "GET \#(target) HTTP/1.1" \#(status) 512 "-" "curl" a b OK 300 812 \#(microseconds)"#
    }

    func analyzer(_ valid: [String] = [#"^/content/(?P<group>[^/]+)/(?P<method>[^/?]+)"#]) throws -> LogAnalyzer {
        var configuration = Configuration(path: "/test/elfstatsd.conf")
        configuration.validRequests = valid
        configuration.forbiddenSymbols = "[.-]"
        configuration.stalledCallThreshold = 100
        configuration.patternsToExtract = [PatternRule(name: "uid", patterns: [#"[?&]uid=(?P<pattern>\d+)"#])]
        let dataFile = DataFileConfiguration(name: "web", log: "/x", report: "/x.data", logFormat: Configuration.defaultLogFormat)
        return try LogAnalyzer(configuration: configuration, dataFile: dataFile)
    }

    func samples(_ metrics: ElfstatsMetrics, _ prefix: String) -> [String] {
        metrics.rendered(as: .text).split(separator: "\n").map(String.init).filter { $0.hasPrefix(prefix) }
    }

    @Test func countersAreTheSumOfTheReports() throws {
        let analyzer = try analyzer()
        var metrics = ElfstatsMetrics(version: "9.9", startTime: 100, dataFiles: ["web"])
        let first = round(analyzer, [line("/content/a/get?uid=1"), line("/content/a/get?uid=2", microseconds: "2500"),
                                     line("/content/a/put", status: 500, microseconds: "250000"), line("/nothing"), line("/content/b/x", microseconds: "-")], at: 1000)
        metrics.add(first)
        let second = round(analyzer, [line("/content/a/get?uid=1", status: 404, microseconds: "500"), line("/content/a/get")], at: 1300)
        metrics.add(second)

        #expect(samples(metrics, "elfstatsd_requests_total") == [
            #"elfstatsd_requests_total{data_file="web",group="a",method="get"} 4"#,
            #"elfstatsd_requests_total{data_file="web",group="a",method="put"} 1"#,
            #"elfstatsd_requests_total{data_file="web",group="b",method="x"} 1"#,
        ])
        #expect(samples(metrics, "elfstatsd_stalled_requests_total{data_file=\"web\",group=\"a\",method=\"put\"}") == [
            #"elfstatsd_stalled_requests_total{data_file="web",group="a",method="put"} 1"#])
        #expect(samples(metrics, "elfstatsd_responses_total{data_file=\"web\",group=\"a\",method=\"get\"") == [
            #"elfstatsd_responses_total{data_file="web",group="a",method="get",code="200"} 3"#,
            #"elfstatsd_responses_total{data_file="web",group="a",method="get",code="404"} 1"#,
            // response_codes (200, 404, 500 by default) are in every method's report section.
            #"elfstatsd_responses_total{data_file="web",group="a",method="get",code="500"} 0"#,
        ])
        #expect(samples(metrics, "elfstatsd_records_total") == [
            #"elfstatsd_records_total{data_file="web",status="error"} 1"#,
            #"elfstatsd_records_total{data_file="web",status="parsed"} 6"#,
            #"elfstatsd_records_total{data_file="web",status="skipped"} 0"#,
        ])
        // Latencies 2 + 3 (rounded from 1.5 and 2.5 ms), then 1 and 2 ms: _sum is exact, the
        // reports' averages (floor) would have lost the halves.
        #expect(samples(metrics, "elfstatsd_request_duration_seconds_sum{data_file=\"web\",group=\"a\",method=\"get\"}") == [
            #"elfstatsd_request_duration_seconds_sum{data_file="web",group="a",method="get"} 0.008"#])
        #expect(samples(metrics, "elfstatsd_request_duration_seconds_count{data_file=\"web\",group=\"a\",method=\"get\"}") == [
            #"elfstatsd_request_duration_seconds_count{data_file="web",group="a",method="get"} 4"#])
        // The call without a latency counts as a request, not as an observation.
        #expect(samples(metrics, "elfstatsd_request_duration_seconds_count{data_file=\"web\",group=\"b\"") == [
            #"elfstatsd_request_duration_seconds_count{data_file="web",group="b",method="x"} 0"#])
        // Quantiles are the last round's: latencies 1 and 2 ms; and NaN for a method without calls.
        #expect(samples(metrics, "elfstatsd_request_duration_seconds{data_file=\"web\",group=\"a\",method=\"get\"") == [
            #"elfstatsd_request_duration_seconds{data_file="web",group="a",method="get",quantile="0.5"} 0.002"#,
            #"elfstatsd_request_duration_seconds{data_file="web",group="a",method="get",quantile="0.9"} 0.002"#,
            #"elfstatsd_request_duration_seconds{data_file="web",group="a",method="get",quantile="0.99"} 0.002"#,
        ])
        #expect(second.report[section: "method_a_get"]?["p90"] == "2")
        #expect(samples(metrics, "elfstatsd_request_duration_seconds{data_file=\"web\",group=\"a\",method=\"put\",quantile=\"0.9\"}") == [
            #"elfstatsd_request_duration_seconds{data_file="web",group="a",method="put",quantile="0.9"} NaN"#])
        #expect(samples(metrics, "elfstatsd_pattern_values") == [
            #"elfstatsd_pattern_values{data_file="web",pattern="uid",kind="total"} 1"#,
            #"elfstatsd_pattern_values{data_file="web",pattern="uid",kind="distinct"} 1"#,
        ])
        #expect(samples(metrics, "elfstatsd_last_round_timestamp_seconds") == [#"elfstatsd_last_round_timestamp_seconds{data_file="web"} 1300"#])
        #expect(samples(metrics, "elfstatsd_build_info") == [#"elfstatsd_build_info{version="9.9"} 1"#])
    }

    @Test func aMethodWithOddCharactersIsOneEscapedSeries() throws {
        // A method regex loose enough to take quotes and backslashes from the URL.
        let analyzer = try analyzer([#"^/(?P<group>[^/]+)/(?P<method>.+)$"#])
        var metrics = ElfstatsMetrics(version: "1", startTime: 0, dataFiles: ["web"])
        // Apache writes a quote inside the request as \", so the method's bytes are a\"b\c{d}=,e.
        let target = #"/g\\x/a\"b\c{d}=,e"#
        let observation = round(analyzer, [line(target), line(target)], at: 10)
        #expect(observation.report.sections.filter { $0.name.hasPrefix("method_") }.map { $0["method"] } == [#"a\"b\c{d}=,e"#])
        metrics.add(observation)
        #expect(samples(metrics, "elfstatsd_requests_total") == [
            #"elfstatsd_requests_total{data_file="web",group="g\\\\x",method="a\\\"b\\c{d}=,e"} 2"#])
    }

    @Test func newlinesInNamesAreEscaped() {
        var metrics = ElfstatsMetrics(version: "1", startTime: 0, dataFiles: ["web"])
        let report = ReportDocument(sections: [
            .init(name: "records", entries: [("parsed", "1"), ("skipped", "0"), ("error", "0")]),
            .init(name: "method_g_two", entries: [("group", "g"), ("method", "two\nlines"), ("calls", "1"), ("stalled_calls", "0"), ("p90", "U"), ("rc200", "1")]),
        ])
        metrics.add(RoundObservation(dataFile: "web", roundStart: 1, report: report, latencyTotals: [:]))
        let text = metrics.rendered(as: .text)
        #expect(text.contains(#"elfstatsd_requests_total{data_file="web",group="g",method="two\nlines"} 1"# + "\n"))
        #expect(!text.contains("two\nlines"))
    }

    @Test func methodsLeavingTheReportAreForgotten() {
        var metrics = ElfstatsMetrics(version: "1", startTime: 0, dataFiles: ["web", "old"])
        func report(_ methods: [String]) -> ReportDocument {
            ReportDocument(sections: methods.map { .init(name: "method_g_\($0)", entries: [("group", "g"), ("method", $0), ("calls", "2"), ("rc200", "2")]) })
        }
        metrics.add(RoundObservation(dataFile: "web", roundStart: 1, report: report(["a", "b"]), latencyTotals: [:]))
        metrics.add(RoundObservation(dataFile: "web", roundStart: 2, report: report(["b", "c"]), latencyTotals: [:]))
        #expect(samples(metrics, "elfstatsd_requests_total") == [
            #"elfstatsd_requests_total{data_file="web",group="g",method="b"} 4"#,
            #"elfstatsd_requests_total{data_file="web",group="g",method="c"} 2"#,
        ])
        #expect(samples(metrics, "elfstatsd_records_total{data_file=\"old\"").count == 3)
        metrics.keepOnly(dataFiles: ["web"])
        #expect(samples(metrics, "elfstatsd_records_total{data_file=\"old\"").isEmpty)
    }

    @Test func overflowKeepsTheSeriesBoundedByMaxMethods() throws {
        var configuration = Configuration(path: "/test/elfstatsd.conf")
        configuration.validRequests = [#"^/(?P<method>\w+)"#]
        configuration.maxMethods = 3
        let analyzer = try LogAnalyzer(configuration: configuration, dataFile: DataFileConfiguration(
            name: "web", log: "/x", report: "/x.data", logFormat: Configuration.defaultLogFormat))
        var metrics = ElfstatsMetrics(version: "1", startTime: 0, dataFiles: ["web"])
        metrics.add(round(analyzer, (0..<50).map { line("/m\($0)") }, at: 1))
        let requests = samples(metrics, "elfstatsd_requests_total")
        #expect(requests.count == 4)
        #expect(requests.contains(#"elfstatsd_requests_total{data_file="web",group="elfstatsd",method="overflow"} 47"#))
    }

    @Test func openMetricsEndsWithEOFAndNamesCounterFamiliesWithoutTotal() {
        let metrics = ElfstatsMetrics(version: "1", startTime: 0, dataFiles: ["web"])
        let text = metrics.rendered(as: .openMetrics)
        #expect(text.hasSuffix("# EOF\n"))
        #expect(text.contains("# TYPE elfstatsd_records counter\nelfstatsd_records_total{data_file=\"web\",status=\"error\"} 0\n"))
        #expect(text.contains("# UNIT elfstatsd_request_duration_seconds seconds\n"))
    }
}
