import Testing
@testable import ElfstatsCore

@Suite("Configuration")
struct ConfigurationTests {
    let path = "/etc/elfstatsd/elfstatsd.conf"
    let dataFile = """

        [[data_files]]
        name = 'apache'
        log = '/var/log/httpd/access_log'
        report = '/var/lib/elfstatsd/apache.data'
        """

    @Test func theBundledSampleLoads() throws {
        let sample = repositoryRoot + "scripts/sample/elfstatsd.conf"
        let configuration = try loadConfiguration(path: sample)
        #expect(configuration.validRequests.count == 3)
        #expect(configuration.requestsAggregation == [AggregationRule(group: "search", method: "all", regex: "^/content/search/")])
        #expect(configuration.patternsToExtract.map(\.name) == ["uid"])
        #expect(configuration.dataFiles.map(\.name) == ["sample"])
        // Relative paths are taken relative to the configuration's directory.
        #expect(configuration.dataFiles[0].log.hasSuffix("scripts/sample/access_log"))
        #expect(configuration.dataFiles[0].log.hasPrefix("/"))
    }

    @Test func defaultsAndOverrides() throws {
        let configuration = try ConfigurationLoader.parse(text: """
            interval = 60
            latency_in_milliseconds = true
            log_level = 'debug'
            [[data_files]]
            name = 'tomcat'
            log = '/t/access.%Y-%m-%d.log'
            report = '/r/t.data'
            log_format = '%h %t "%r" %s %D'
            [[data_files]]
            name = 'web2'
            log = '/w'
            report = '/r/w.data'
            latency_in_milliseconds = false
            """, path: path)
        #expect(configuration.interval == 60)
        #expect(configuration.logLevel == .debug)
        #expect(configuration.stalledCallThreshold == 100_000)
        #expect(configuration.latencyPercentiles == [50, 90, 99])
        #expect(configuration.dataFiles[0].latencyInMilliseconds)
        #expect(configuration.dataFiles[0].logFormat == #"%h %t "%r" %s %D"#)
        #expect(!configuration.dataFiles[1].latencyInMilliseconds)
        #expect(configuration.dataFiles[1].logFormat == Configuration.defaultLogFormat)
    }

    @Test(arguments: [
        ("interval = 'five'", 1, "interval: expected an integer, found a string"),
        ("interval = 0", 1, "interval: 0 is out of range 1...86400"),
        ("\nintervall = 5", 2, "intervall: unknown setting"),
        ("latency_percentiles = [50, 101]", 1, "latency_percentiles[1]: 101 is out of range 0...100"),
        ("valid_requests = ['^/(?P<method>\\w+']", 1, "valid_requests[0]: invalid regex '^/(?P<method>\\w+': missing closing parenthesis at offset"),
        ("valid_requests = ['^/(?P<group>\\w+)']", 1, "valid_requests[0]: '^/(?P<group>\\w+)' has no named group 'method'"),
        ("requests_to_skip = ['[']", 1, "requests_to_skip[0]: invalid regex"),
        ("log_format = '%h %Q'", 1, "log_format: unknown directive '%Q' at column 4"),
        ("log_level = 'loud'", 1, "log_level: 'loud' is not a level"),
        ("state_dir = 5", 1, "state_dir: expected a string, found an integer"),
        ("forbidden_symbols = '('", 1, "forbidden_symbols: invalid regex"),
        ("[[patterns_to_extract]]\nname = 'uid'\npatterns = ['/u/(\\d+)']", 3, "patterns_to_extract[1].patterns[0]: '/u/(\\d+)' has no named group 'pattern'"),
        ("[[requests_aggregation]]\ngroup = 'g'\nregex = 'x'", 1, "requests_aggregation[1]: needs group, method and regex"),
        ("[[data_files]]\nname = 'Apache'", 2, "data_files[1].name: 'Apache' must be lower-case letters and digits only"),
        ("[[data_files]]\nname = 'a'\nlog = '/l'", 1, "data_files[1].report: missing"),
        ("[[data_files]]\nname = 'a'\nlog = '/l'\nreport = '/r'\ninterval = 5", 5, "data_files[1].interval: interval is a global setting"),
        ("[[data_files]]\nname = 'a'\nlog = '/l'\nreport = '/r'\nlog_format = '%h %{x'", 5, "data_files[1].log_format: '{' is not closed"),
        ("[data_files]\nname = 'a'\nlog = '/l'\nreport = '/r'", 1, "data_files: write [[data_files]]"),
        ("[[widgets]]", 1, "widgets: unknown table"),
        ("interval = 5\ninterval = 6", 2, "interval: defined twice"),
        ("interval = ", 1, "expected a value"),
    ])
    func errorsNameTheFileTheLineAndTheKey(text: String, line: Int, expected: String) {
        expectConfigurationError(text, path: path, line: line, contains: expected) { text, path throws(ConfigurationError) in
            try ConfigurationLoader.parseAndCompile(text: text, path: path)
        }
    }

    /// Without a checker (the Munin plugins' way) regexes and formats are taken as written, so
    /// the plugins need no PCRE2; with one, the first problem in file order is reported, as if
    /// the loader had compiled each regex where it read it.
    @Test func regexesAndFormatsAreCompiledOnlyWithAChecker() throws {
        let text = """
            valid_requests = ['^/(?P<method>\\w+']
            interval = 'five'
            [[data_files]]
            name = 'a'
            log = '/l'
            report = '/r'
            log_format = '%h %Q'
            """
        #expect(throws: ConfigurationError.self) { try ConfigurationLoader.parse(text: text, path: path) }
        let withoutTypeError = text.replacing("interval = 'five'", with: "interval = 5")
        let plain = try ConfigurationLoader.parse(text: withoutTypeError, path: path)
        #expect(plain.validRequests == [#"^/(?P<method>\w+"#])
        #expect(plain.dataFiles[0].logFormat == "%h %Q")
        do {
            _ = try ConfigurationLoader.parseAndCompile(text: text, path: path)
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 1 && error.key == "valid_requests[0]", "\(error)")
        }
        do {
            _ = try ConfigurationLoader.parseAndCompile(text: withoutTypeError.replacing("\\w+'", with: "\\w+)'"), path: path)
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 7 && error.key == "data_files[1].log_format", "\(error)")
        }
    }

    @Test func duplicateDataFileNames() {
        #expect(throws: ConfigurationError.self) { try ConfigurationLoader.parse(text: dataFile + dataFile, path: path) }
    }
}

extension String {
    func replacingSuffix(_ suffix: String, with replacement: String) -> String {
        precondition(hasSuffix(suffix))
        return String(dropLast(suffix.count)) + replacement
    }
}
