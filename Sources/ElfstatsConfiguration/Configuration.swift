/// Everything the daemon, the one-shot round and the Munin plugins need to know, as read from
/// `elfstatsd.conf`. A value type: the daemon swaps a whole new `Configuration` in on reload.
public struct Configuration: Sendable, Equatable {
    /// Where the configuration was read from, for messages.
    public var path: String

    /// Seconds between rounds; a round starts at every multiple of it since the epoch.
    public var interval: Int = 300
    /// A call whose latency is strictly greater than this many milliseconds is stalled.
    public var stalledCallThreshold: Int = 100_000
    /// Percentiles reported for every method, each in 0...100.
    public var latencyPercentiles: [Int] = [50, 90, 99]
    /// Response codes always present in a report, even with zero hits.
    public var responseCodes: [Int] = [200, 404, 500]
    /// Regex whose matches are removed from method ids (Munin cannot take them in names).
    public var forbiddenSymbols: String = "[.-]"
    /// Ordered regexes with a required `method` and an optional `group` named group.
    public var validRequests: [String] = [#"^/(?P<group>[\w.]+)/(?P<method>[\w.]+)/[/?%&]?"#, #"^/(?P<method>[\w.]+)/[/?%&]?"#]
    /// Regexes tried on requests no valid regex matched; a match makes the record "skipped".
    public var requestsToSkip: [String] = ["^/$"]
    /// Rules that, after a valid match, replace group and method; the first match wins.
    public var requestsAggregation: [AggregationRule] = []
    /// Named patterns whose `pattern` capture is counted (total and distinct values).
    public var patternsToExtract: [PatternRule] = []
    /// The most distinct method ids one report holds; the rest go to an overflow method.
    public var maxMethods: Int = 1000
    /// Rounds a method without calls keeps its report section (zero calls) before it is freed;
    /// 288 is one day of 5-minute rounds.
    public var idleMethodRounds: Int = 288
    /// Distinct values of one extracted pattern counted exactly per round; past it, estimated.
    public var maxPatternValues: Int = 100_000
    /// Longest line, in bytes without its newline; a longer one is one error record.
    public var maxLineLength: Int = 64 << 10
    /// PCRE2's match limit per regex match (`regex_match_limit`).
    public var regexMatchLimit: Int = Configuration.defaultRegexMatchLimit
    /// PCRE2's depth limit per regex match (`regex_depth_limit`; the interpreter only).
    public var regexDepthLimit: Int = Configuration.defaultRegexDepthLimit

    /// Default `regex_match_limit`: honest URLs under the sample and default regexes never come
    /// near it, and it leaves room for regexes PCRE2 cannot optimise (about one step per byte).
    public static let defaultRegexMatchLimit = 200_000
    /// Default `regex_depth_limit`.
    public static let defaultRegexDepthLimit = 100_000

    public var stateDirectory: String = "/var/lib/elfstatsd"
    public var pidDirectory: String = "/var/run/elfstatsd"
    public var logDirectory: String = "/var/log/elfstatsd"
    public var logLevel: LogLevel = .info
    public var maxLogFileSize: Int = 10_000_000
    public var maxLogFiles: Int = 5

    /// `[prometheus]`: where `GET /metrics` is served; nil (the default) serves nothing.
    public var prometheus: PrometheusSettings? = nil

    /// The access logs to follow, each with its own report.
    public var dataFiles: [DataFileConfiguration] = []

    public init(path: String) { self.path = path }

    public func dataFile(named name: String) -> DataFileConfiguration? {
        dataFiles.first { $0.name == name }
    }
}

/// One access log and the report made from it.
public struct DataFileConfiguration: Sendable, Equatable {
    /// Instance name, `[a-z0-9]+`: names the state file and is the Munin plugin's suffix.
    public var name: String
    /// Path template of the current log: strftime specifiers and `?ts=...&ts-name-only=...` allowed.
    public var log: String
    /// Where the rest of the old file went on in-place rotation, or empty.
    public var previousLog: String = ""
    /// Path of the report file.
    public var report: String
    /// The LogFormat (Apache, Tomcat, varnishncsa `%` syntax, or nginx `$variable` syntax).
    public var logFormat: String
    /// Integer latencies are milliseconds (Tomcat) rather than microseconds (Apache `%D`).
    public var latencyInMilliseconds: Bool
    /// The field that holds the latency, when it is not the format's own latency directive
    /// (e.g. `%{X-Response-Time}o` or `$upstream_response_time`).
    public var latencyField: String?

    public init(name: String, log: String, previousLog: String = "", report: String,
                logFormat: String, latencyInMilliseconds: Bool = false, latencyField: String? = nil) {
        self.name = name
        self.log = log
        self.previousLog = previousLog
        self.report = report
        self.logFormat = logFormat
        self.latencyInMilliseconds = latencyInMilliseconds
        self.latencyField = latencyField
    }
}

/// `[[requests_aggregation]]`: requests matching `regex` are counted as `group`/`method`.
public struct AggregationRule: Sendable, Equatable {
    public var group: String
    public var method: String
    public var regex: String
    public init(group: String, method: String, regex: String) {
        self.group = group
        self.method = method
        self.regex = regex
    }
}

/// `[[patterns_to_extract]]`: the first of `patterns` that matches gives the `pattern` value.
public struct PatternRule: Sendable, Equatable {
    public var name: String
    public var patterns: [String]
    public init(name: String, patterns: [String]) {
        self.name = name
        self.patterns = patterns
    }
}

/// The daemon's own log level, named as sysadmins write them in the config.
public enum LogLevel: String, Sendable, CaseIterable {
    case trace, debug, info, notice, warning, error, critical
}

extension Configuration {
    /// The original elfstatsd's default LogFormat.
    public static let defaultLogFormat =
        #"%h %l %u %t \"%r\" %>s %B \"%{Referer}i\" \"%{User-Agent}i\" %{JK_LB_FIRST_NAME}n %{JK_LB_LAST_NAME}n %{JK_LB_LAST_STATE}n %I %O %D"#
}
