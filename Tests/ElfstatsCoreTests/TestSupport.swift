import Testing
@testable import ElfstatsCore
/// The repository's root directory, with a trailing slash (symbolic links resolved).
let repositoryRoot: String = {
    let resolved = realpath(#filePath, nil)!
    defer { free(resolved) }
    let path = String(cString: resolved)
    return path.replacingSuffix("Tests/ElfstatsCoreTests/TestSupport.swift", with: "")
}()

/// Every byte left in an open stream (a file, a pipe), nil on a read error.
func readAll(_ stream: UnsafeMutablePointer<FILE>) -> [UInt8]? {
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let count = fread(&chunk, 1, chunk.count, stream)
        if count == 0 { break }
        bytes.append(contentsOf: chunk[0..<count])
    }
    return ferror(stream) == 0 ? bytes : nil
}

/// Reads a file of the repository (a fixture, the sample), nil when it cannot be read. The core
/// reads no files; its tests read their fixtures here.
func readFile(_ path: String) -> [UInt8]? {
    guard let file = fopen(path, "rb") else { return nil }
    defer { fclose(file) }
    return readAll(file)
}

/// Reads a file of the repository as UTF-8 text, nil when it cannot be read.
func readTextFile(_ path: String) -> String? {
    readFile(path).map { String(decoding: $0, as: UTF8.self) }
}

/// Expects `load` to reject `text` with a `ConfigurationError` whose wording starts with
/// `path:line: ` and contains `expected`.
func expectConfigurationError(_ text: String, path: String, line: Int, contains expected: String,
                              _ load: (String, String) throws(ConfigurationError) -> Configuration,
                              sourceLocation: SourceLocation = #_sourceLocation) {
    do {
        _ = try load(text, path)
        Issue.record("expected an error for: \(text)", sourceLocation: sourceLocation)
    } catch {
        #expect(error.line == line, "\(error)", sourceLocation: sourceLocation)
        #expect(error.description.hasPrefix("\(path):\(line): "), "\(error)", sourceLocation: sourceLocation)
        #expect(error.description.contains(expected), "\(error)", sourceLocation: sourceLocation)
    }
}

/// The configuration file at `path`, read, parsed and compiled as the daemon does.
func loadConfiguration(path: String) throws -> Configuration {
    let text = try #require(readTextFile(path))
    return try ConfigurationLoader.parseAndCompile(text: text, path: path)
}

/// A configuration for tests: the original's default format unless one is given.
func makeConfiguration(format: String = Configuration.defaultLogFormat, validRequests: [String]? = nil,
                       skip: [String] = ["^/$"], aggregation: [AggregationRule] = [], patterns: [PatternRule] = [],
                       milliseconds: Bool = false, maxMethods: Int = 1000) -> (Configuration, DataFileConfiguration) {
    var configuration = Configuration(path: "/test/elfstatsd.conf")
    configuration.validRequests = validRequests ?? [#"^/content/(?P<group>[\w.-]+)/(?P<method>[\w.-]+)"#, #"^/content/(?P<method>[\w.-]+)"#]
    configuration.requestsToSkip = skip
    configuration.requestsAggregation = aggregation
    configuration.patternsToExtract = patterns
    configuration.maxMethods = maxMethods
    let dataFile = DataFileConfiguration(name: "test", log: "/test/access_log", report: "/test/test.data",
                                         logFormat: format, latencyInMilliseconds: milliseconds)
    configuration.dataFiles = [dataFile]
    return (configuration, dataFile)
}

/// Runs lines through a fresh analyzer and returns it (its round still open) .
func analyze(_ lines: [String], format: String = Configuration.defaultLogFormat, validRequests: [String]? = nil,
             skip: [String] = ["^/$"], aggregation: [AggregationRule] = [], patterns: [PatternRule] = [],
             milliseconds: Bool = false, maxMethods: Int = 1000) throws -> LogAnalyzer {
    let (configuration, dataFile) = makeConfiguration(format: format, validRequests: validRequests, skip: skip,
                                                      aggregation: aggregation, patterns: patterns,
                                                      milliseconds: milliseconds, maxMethods: maxMethods)
    let analyzer = try LogAnalyzer(configuration: configuration, dataFile: dataFile)
    feed(analyzer, lines)
    return analyzer
}

/// Runs lines, each with its newline, through `analyzer`, which must take them all.
func feed(_ analyzer: LogAnalyzer, _ lines: [String]) {
    let bytes = Array(lines.map { $0 + "\n" }.joined().utf8)
    let consumed = bytes.withUnsafeBytes { analyzer.consume($0) }
    precondition(consumed == bytes.count)
}

/// A line in the original's default format.
func elfLine(time: String = "08/Aug/2013:10:59:59 +0200", request: String = "GET /content/csl/get HTTP/1.1",
             status: String = "200", latency: String = "4466") -> String {
    #"10.0.0.1 - - [\#(time)] "\#(request)" \#(status) 512 "-" "curl/8.4.0" community1 community1 OK 300 812 \#(latency)"#
}

extension ReportDocument {
    /// `report[section][key]`, for short assertions.
    func value(_ section: String, _ key: String) -> String? {
        self[section: section]?[key]
    }
}

/// The report of a round, with metadata that does not depend on the clock.
func report(of analyzer: LogAnalyzer) -> ReportDocument {
    analyzer.finishRound(RoundMetadata(invoked: 1_375_952_400, worked: 0.5))
}
