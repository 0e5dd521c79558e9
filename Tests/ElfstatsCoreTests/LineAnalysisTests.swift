import Testing
@testable import ElfstatsCore

@Suite("Analysing lines into records")
struct LineAnalysisTests {
    @Test func aGoodLineIsParsed() throws {
        let analyzer = try analyze([elfLine()])
        #expect(analyzer.records == RecordCounts(parsed: 1))
        let report = report(of: analyzer)
        #expect(report.value("method_csl_get", "calls") == "1")
        #expect(report.value("method_csl_get", "shortest") == "4")
    }

    @Test(arguments: [
        elfLine(status: "200.1"),
        elfLine(status: "2x0"),
        elfLine(status: "-"),
        elfLine(request: ""),
        elfLine(request: "-"),
        elfLine(time: "08/Jah/2013:10:59:59 +0200"),
        elfLine(latency: "12x"),
        "\u{16}\u{03}\u{01}\u{02}\u{00}\u{01}\u{00}\u{01}\u{fc}\u{03}\u{03} binary junk",
        String(elfLine().prefix(40)),
        "",
    ])
    func malformedLinesAreErrors(line: String) throws {
        let analyzer = try analyze([line])
        #expect(analyzer.records == RecordCounts(error: 1))
        #expect(report(of: analyzer).value("response_codes", "rc200") == "0")
    }

    @Test func aLatencyOfDashCountsTheCallWithoutALatency() throws {
        let analyzer = try analyze([elfLine(latency: "-"), elfLine(latency: "2000")])
        let report = report(of: analyzer)
        #expect(report.value("method_csl_get", "calls") == "2")
        #expect(report.value("method_csl_get", "average") == "2")
    }

    @Test func consumeStopsBeforeTheCutoffAndBeforeAnUnterminatedLine() throws {
        let (configuration, dataFile) = makeConfiguration()
        let analyzer = try LogAnalyzer(configuration: configuration, dataFile: dataFile)
        let first = elfLine(time: "08/Aug/2013:10:59:59 +0200") + "\n"
        let second = elfLine(time: "08/Aug/2013:11:00:00 +0200") + "\n"
        let bytes = Array((first + second + "partial line").utf8)
        let cutoff: Int64 = 1_375_952_400  // 11:00:00 +0200
        let consumed = bytes.withUnsafeBytes { analyzer.consume($0, before: cutoff) }
        #expect(consumed == first.utf8.count)
        #expect(analyzer.records.total == 1)
        let rest = Array(bytes[consumed...])
        let consumedRest = rest.withUnsafeBytes { analyzer.consume($0) }
        #expect(consumedRest == second.utf8.count)
        let final = rest.withUnsafeBytes { analyzer.consume(UnsafeRawBufferPointer(rebasing: $0[consumedRest...]), final: true) }
        #expect(final == "partial line".utf8.count)
        #expect(analyzer.records == RecordCounts(parsed: 2, error: 1))
    }

    @Test func recordTimeOfALine() throws {
        let (configuration, dataFile) = makeConfiguration()
        let analyzer = try LogAnalyzer(configuration: configuration, dataFile: dataFile)
        let line = Array(elfLine().utf8)
        #expect(line.withUnsafeBytes { analyzer.recordTime(ofLine: $0) } == 1_375_952_399)
        #expect(Array("junk".utf8).withUnsafeBytes { analyzer.recordTime(ofLine: $0) } == nil)
    }

    @Test func tomcatMillisecondsAndNginxSeconds() throws {
        let tomcat = try analyze([elfLine(latency: "4466")], milliseconds: true)
        #expect(report(of: tomcat).value("method_csl_get", "longest") == "4466")
        let nginx = try analyze([#"1.2.3.4 - - [08/Aug/2013:10:59:59 +0200] "GET /content/a/b HTTP/1.1" 200 10 "-" "curl" 0.54478"#],
                                format: #"$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" $request_time"#)
        #expect(nginx.records == RecordCounts(parsed: 1))
        #expect(report(of: nginx).value("method_a_b", "longest") == "545")
    }

    @Test func aFormatWithoutLatencyStillCountsCalls() throws {
        let analyzer = try analyze([#"1.2.3.4 [08/Aug/2013:10:59:59 +0200] "GET /content/a/b HTTP/1.1" 404"#],
                                   format: #"%h %t "%r" %>s"#)
        let report = report(of: analyzer)
        #expect(report.value("method_a_b", "calls") == "1")
        #expect(report.value("method_a_b", "rc404") == "1")
        #expect(report.value("method_a_b", "average") == "U")
        #expect(report.value("method_a_b", "p50") == "U")
    }
}
