import Testing
@testable import ElfstatsCore
@Suite("The report of the bundled sample")
struct GoldenReportTests {
    /// Analyses scripts/sample/access_log with scripts/sample/elfstatsd.conf in one round and
    /// compares the report with Fixtures/sample.report byte for byte. Set ELFSTATSD_UPDATE_GOLDEN=1
    /// to rewrite the fixture after an intended change (and review the diff).
    @Test func sampleReportIsByteForByteTheGoldenOne() throws {
        let configuration = try loadConfiguration(path: repositoryRoot + "scripts/sample/elfstatsd.conf")
        let analyzer = try LogAnalyzer(configuration: configuration, dataFile: configuration.dataFiles[0])
        let log = try #require(readTextFile(configuration.dataFiles[0].log))
        let bytes = Array(log.utf8)
        let consumed = bytes.withUnsafeBytes { analyzer.consume($0) }
        #expect(consumed == bytes.count)
        // 2013-08-08 10:00:00 UTC; times in UTC, whatever the machine's time zone.
        let text = analyzer.finishRound(RoundMetadata(invoked: 1_375_956_000, worked: 0.01, timeZone: .utc)).rendered()
        let goldenPath = repositoryRoot + "Tests/ElfstatsCoreTests/Fixtures/sample.report"
        if getenv("ELFSTATSD_UPDATE_GOLDEN") != nil {
            let file = fopen(goldenPath, "w")
            fputs(text, file)
            fclose(file)
        }
        let golden = try #require(readTextFile(goldenPath))
        #expect(text == golden)
        // And reading it back gives the same document.
        #expect(ReportDocument(parsing: text).rendered() == text)
    }
}
