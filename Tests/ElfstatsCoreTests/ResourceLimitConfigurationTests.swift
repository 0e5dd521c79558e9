import Testing
@testable import ElfstatsCore

/// `check` range-checks the settings that bound memory and time, and the `log` template's
/// parameters, with `FILE:LINE: key: message`.
@Suite("Configuration: resource limits and log templates")
struct ResourceLimitConfigurationTests {
    let path = "/etc/elfstatsd/elfstatsd.conf"

    func dataFile(log: String) -> String {
        "[[data_files]]\nname = 'a'\nlog = '\(log)'\nreport = '/r'"
    }

    @Test func defaults() throws {
        let configuration = try ConfigurationLoader.parse(text: dataFile(log: "/l"), path: path)
        #expect(configuration.maxPatternValues == 100_000)
        #expect(configuration.maxLineLength == 65_536)
        #expect(configuration.idleMethodRounds == 288)
        #expect(configuration.regexMatchLimit == RegexBudget.defaultMatchLimit)
        #expect(configuration.regexDepthLimit == RegexBudget.defaultDepthLimit)
    }

    @Test func settingsAreRead() throws {
        let configuration = try ConfigurationLoader.parse(text: """
            max_pattern_values = 500
            max_line_length = 2048
            idle_method_rounds = 12
            regex_match_limit = 5000
            regex_depth_limit = 700
            """, path: path)
        #expect(configuration.maxPatternValues == 500)
        #expect(configuration.maxLineLength == 2048)
        #expect(configuration.idleMethodRounds == 12)
        #expect(configuration.regexMatchLimit == 5000)
        #expect(configuration.regexDepthLimit == 700)
    }

    @Test(arguments: [
        ("max_pattern_values = 0", 1, "max_pattern_values: 0 is out of range 1...10000000"),
        ("\nmax_pattern_values = 10000001", 2, "max_pattern_values: 10000001 is out of range"),
        ("max_line_length = 1023", 1, "max_line_length: 1023 is out of range 1024...16777216"),
        ("max_line_length = 16777217", 1, "max_line_length: 16777217 is out of range"),
        ("max_line_length = 'big'", 1, "max_line_length: expected an integer, found a string"),
        ("idle_method_rounds = 0", 1, "idle_method_rounds: 0 is out of range 1...105120"),
        ("regex_match_limit = 10", 1, "regex_match_limit: 10 is out of range 100...100000000"),
        ("regex_depth_limit = -1", 1, "regex_depth_limit: -1 is out of range 100...100000000"),
        ("[[data_files]]\nname = 'a'\nlog = '/l'\nreport = '/r'\nmax_line_length = 5000", 5, "data_files[1].max_line_length: max_line_length is a global setting"),
        ("[[data_files]]\nname = 'a'\nlog = '/l?ts=9223372036854775807'\nreport = '/r'", 3, "data_files[1].log: ?ts=9223372036854775807 must be whole seconds from -604800 to 604800"),
        ("[[data_files]]\nname = 'a'\nlog = '/l?ts=-604801'\nreport = '/r'", 3, "data_files[1].log: ?ts=-604801 must be whole seconds"),
        ("[[data_files]]\nname = 'a'\nlog = '/l?ts=1h'\nreport = '/r'", 3, "data_files[1].log: ?ts=1h must be whole seconds"),
        ("[[data_files]]\nname = 'a'\nlog = '/l?ts=60&ts-name-only=maybe'\nreport = '/r'", 3, "data_files[1].log: ts-name-only=maybe must be true or false"),
        ("[[data_files]]\nname = 'a'\nlog = '/l?ts=60&tz=1'\nreport = '/r'", 3, "data_files[1].log: unknown parameter 'tz'"),
        ("[[data_files]]\nname = 'a'\nlog = '/l-%Y-%q'\nreport = '/r'", 3, "data_files[1].log: '%q' at byte"),
        ("[[data_files]]\nname = 'a'\nlog = '/l-%'\nreport = '/r'", 3, "is not a strftime specifier"),
    ])
    func outOfRangeValuesNameTheFileTheLineAndTheKey(text: String, line: Int, expected: String) {
        expectConfigurationError(text, path: path, line: line, contains: expected) { text, path throws(ConfigurationError) in
            try ConfigurationLoader.parse(text: text, path: path)
        }
    }

    @Test(arguments: ["/l", "/l-%Y-%m-%d-%H", "/l?ts=-3600", "/l-%Y%m%d?ts=604800&ts-name-only=true", "/l%%x", "/l-%Ey", "/what?x=1"])
    func goodTemplatesPass(log: String) throws {
        _ = try ConfigurationLoader.parse(text: dataFile(log: log), path: path)
    }
}
