import Testing
@testable import ElfstatsCore

/// `explain` runs the counting code itself, so for every line its verdict (status, group,
/// method) is what `once` counts: checked line by line on the bundled sample and on generated
/// logs with bad lines, hostile bytes and more methods than `max_methods`.
@Suite("explain agrees with once")
struct ExplainAgreementTests {
    /// The lines of a log as `consume` sees them: up to each newline, one CR before it dropped.
    func lines(of bytes: [UInt8]) -> [[UInt8]] {
        var result: [[UInt8]] = []
        var current: [UInt8] = []
        for byte in bytes {
            if byte == 0x0A {
                if current.last == 0x0D { current.removeLast() }
                result.append(current)
                current = []
            } else {
                current.append(byte)
            }
        }
        if !current.isEmpty { result.append(current) }
        return result
    }

    /// Counts `log` with one analyzer (as `once` does) and explains each line with another;
    /// the tallies of the explanations must be the first analyzer's report.
    func checkAgreement(_ log: [UInt8], _ configuration: Configuration) throws {
        let dataFile = configuration.dataFiles[0]
        let counting = try LogAnalyzer(configuration: configuration, dataFile: dataFile)
        let consumed = log.withUnsafeBytes { counting.consume($0, final: true) }
        #expect(consumed == log.count)
        let records = counting.records
        let counted = report(of: counting)

        let explaining = try LogAnalyzer(configuration: configuration, dataFile: dataFile)
        var tally = RecordCounts()
        var calls: [String: Int] = [:]
        var names: [String: (group: String, method: String)] = [:]
        for line in lines(of: log) {
            let explanation = line.withUnsafeBufferPointer { explaining.explain($0, configuration: configuration) }
            switch explanation.outcome {
            case .parsed(let id):
                tally.parsed += 1
                calls[id, default: 0] += 1
                names[id] = (explanation.group ?? "", explanation.method ?? "")
            case .skipped:
                tally.skipped += 1
            case .error:
                tally.error += 1
                if explanation.error == .regexLimit { tally.regexLimit += 1 }
                if case .lineTooLong? = explanation.error { tally.tooLong += 1 }
            }
        }
        #expect(tally == records)
        for section in counted.sections where section.name.hasPrefix("method_") {
            let id = String(section.name.dropFirst("method_".count))
            #expect(section["calls"] == String(calls[id] ?? 0), "calls of \(id)")
            if let named = names[id] {
                #expect(section["group"] == named.group)
                #expect(section["method"] == named.method)
            }
            calls[id] = nil
        }
        #expect(calls.isEmpty, "explained methods the report lacks: \(calls.keys.sorted())")
    }

    func generatedLog(_ arguments: String) -> [UInt8] {
        guard let pipe = popen("python3 '\(repositoryRoot)scripts/genlog' \(arguments)", "r") else { return [] }
        let bytes = readAll(pipe) ?? []
        #expect(pclose(pipe) == 0)
        return bytes
    }

    func sampleConfiguration() throws -> Configuration {
        try loadConfiguration(path: repositoryRoot + "scripts/sample/elfstatsd.conf")
    }

    @Test func onTheBundledSample() throws {
        guard let log = readFile(repositoryRoot + "scripts/sample/access_log") else { Issue.record("no sample log"); return }
        #expect(log.count > 100_000)
        try checkAgreement(log, try sampleConfiguration())
    }

    @Test func onAGeneratedLogWithBadLinesAndMoreMethodsThanMaxMethods() throws {
        var configuration = try sampleConfiguration()
        configuration.maxMethods = 12
        let log = generatedLog("--lines 6000 --seed 5 --bad 0.08")
        #expect(log.count > 1_000_000)
        try checkAgreement(log, configuration)
        configuration.maxMethods = 1000
        try checkAgreement(log, configuration)
    }

    @Test func onHostileBytesAndCatastrophicBacktracking() throws {
        var configuration = try sampleConfiguration()
        configuration.validRequests = [#"^/content/(?P<group>[^/]+)/(?P<method>[^/?]+)"#, #"^/x/(?P<method>(a+)+)$"#]
        configuration.requestsToSkip = ["^/x/"]
        configuration.maxLineLength = 4096
        try checkAgreement(generatedLog("--hostile bytes --lines 320") + generatedLog("--hostile backtrack --lines 40"), configuration)
    }
}
