import Testing
@testable import ElfstatsCore

/// `finishRoundAsText`, which the daemon writes, against `finishRound(...).rendered()`, which
/// the golden tests pin: the same bytes, round after round.
@Suite("The report written as text")
struct ReportTextTests {
    @Test func theSampleLogGivesTheDocumentsText() throws {
        let configuration = try loadConfiguration(path: repositoryRoot + "scripts/sample/elfstatsd.conf")
        let asText = try LogAnalyzer(configuration: configuration, dataFile: configuration.dataFiles[0])
        let asDocument = try LogAnalyzer(configuration: configuration, dataFile: configuration.dataFiles[0])
        let bytes = Array(try #require(readTextFile(configuration.dataFiles[0].log)).utf8)
        let metadata = RoundMetadata(invoked: 1_375_956_000, worked: 0.01, extra: [(key: "error", value: "a\tproblem")], timeZone: .utc)
        // Three rounds: all lines, then the first half again, then none (methods without calls: `U`).
        for part in [bytes[...], bytes[..<(bytes.count / 2)], bytes[..<0]] {
            let lines = Array(part[..<((part.lastIndex(of: 0x0A) ?? -1) + 1)])
            for analyzer in [asText, asDocument] { _ = lines.withUnsafeBytes { analyzer.consume($0) } }
            let text = asText.finishRoundAsText(metadata)
            #expect(text == asDocument.finishRound(metadata).rendered())
            #expect(text.contains("[method_"))
        }
    }

    @Test func oddNamesNegativeAndExtremeNumbers() throws {
        let lines = [
            elfLine(request: "GET /content/gr\u{85}p/m\u{2028}x HTTP/1.1", status: "999999"),
            elfLine(request: "GET /content/only HTTP/1.1", latency: "0"),
            elfLine(request: "GET /content/slow/one HTTP/1.1", latency: "2147483647000"),
        ]
        let asText = try analyze(lines, patterns: [PatternRule(name: "p\tq", patterns: [#"^/content/(?P<pattern>\w+)"#])])
        let asDocument = try analyze(lines, patterns: [PatternRule(name: "p\tq", patterns: [#"^/content/(?P<pattern>\w+)"#])])
        let metadata = RoundMetadata(invoked: -1, worked: 12345.678)
        #expect(asText.finishRoundAsText(metadata) == asDocument.finishRound(metadata).rendered())
    }
}
