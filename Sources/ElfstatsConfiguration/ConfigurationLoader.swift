/// Reads `elfstatsd.conf` (TOML) into a `Configuration` and validates all of it: types, ranges,
/// and with a `checker`, every regex (compiled by PCRE2 exactly as the analyzer will) and every
/// log format, so that a daemon that starts with a configuration never meets a mistake in it later.
/// The file itself is read by the caller (ElfstatsRuntime's `ConfigurationFile`, the plugins).
public enum ConfigurationLoader {
    /// Reads configuration text; `path` names it in messages and anchors relative paths.
    public static func parse(text: String, path: String, checker: (any ConfigurationChecker)? = nil) throws(ConfigurationError) -> Configuration {
        let document: TOMLDocument
        do {
            document = try TOMLDocument(parsing: text)
        } catch {
            throw ConfigurationError(path: path, line: error.line, key: "", message: error.message)
        }
        var reader = Reader(path: path, checker: checker)
        return try reader.read(document)
    }
}

/// Turns a TOML document into a configuration, one key at a time.
private struct Reader {
    let path: String
    let checker: (any ConfigurationChecker)?

    func error(_ entry: TOMLDocument.Entry, _ key: String, _ message: String) -> ConfigurationError {
        ConfigurationError(path: path, line: entry.line, key: key, message: message)
    }

    mutating func read(_ document: TOMLDocument) throws(ConfigurationError) -> Configuration {
        var configuration = Configuration(path: path)
        var globalFormat: (value: String, entry: TOMLDocument.Entry)? = nil
        var globalMilliseconds = false
        var globalLatencyField: String? = nil

        for entry in document.root.entries {
            let key = entry.key
            switch key {
            case "log_format":
                globalFormat = (try string(entry, key), entry)
                if let problem = checker?.problem(withLogFormat: globalFormat!.value, latencyField: nil) {
                    throw self.error(entry, key, problem)
                }
            case "interval":
                configuration.interval = try integer(entry, key, in: 1...86_400)
            case "stalled_call_threshold":
                configuration.stalledCallThreshold = try integer(entry, key, in: 0...Int(Int32.max))
            case "latency_in_milliseconds":
                globalMilliseconds = try boolean(entry, key)
            case "latency_field":
                globalLatencyField = try string(entry, key)
            case "latency_percentiles":
                configuration.latencyPercentiles = try integers(entry, key, in: 0...100)
                if Set(configuration.latencyPercentiles).count != configuration.latencyPercentiles.count {
                    throw error(entry, key, "a percentile is listed twice")
                }
            case "response_codes":
                configuration.responseCodes = try integers(entry, key, in: 100...999)
            case "forbidden_symbols":
                configuration.forbiddenSymbols = try string(entry, key)
                try compile(configuration.forbiddenSymbols, entry, key)
            case "valid_requests":
                configuration.validRequests = try strings(entry, key)
                for (index, pattern) in configuration.validRequests.enumerated() {
                    try compile(pattern, entry, "\(key)[\(index)]", requiredGroup: "method")
                }
            case "requests_to_skip":
                configuration.requestsToSkip = try strings(entry, key)
                for (index, pattern) in configuration.requestsToSkip.enumerated() {
                    try compile(pattern, entry, "\(key)[\(index)]")
                }
            case "max_methods":
                configuration.maxMethods = try integer(entry, key, in: 1...1_000_000)
            case "idle_method_rounds", "max_pattern_values", "max_line_length", "regex_match_limit", "regex_depth_limit":
                try readResourceLimit(entry, key, into: &configuration)
            case "state_dir":
                configuration.stateDirectory = try path(entry, key)
            case "pid_dir":
                configuration.pidDirectory = try path(entry, key)
            case "log_dir":
                configuration.logDirectory = try path(entry, key)
            case "log_level":
                let name = try string(entry, key).lowercased()
                guard let level = LogLevel(rawValue: name == "warn" ? "warning" : name) else {
                    throw error(entry, key, "'\(name)' is not a level; use one of \(LogLevel.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                configuration.logLevel = level
            case "max_log_file_size":
                configuration.maxLogFileSize = try integer(entry, key, in: 1024...Int.max)
            case "max_log_files":
                configuration.maxLogFiles = try integer(entry, key, in: 1...1000)
            default:
                throw error(entry, key, "unknown setting; known settings are \(Self.rootKeys.joined(separator: ", ")) and the tables [[data_files]], [[requests_aggregation]], [[patterns_to_extract]]")
            }
        }

        var dataFileCount = 0
        for table in document.tables {
            switch table.name {
            case "data_files":
                dataFileCount += 1
                let dataFile = try readDataFile(table, index: dataFileCount, globalFormat: globalFormat,
                                                globalMilliseconds: globalMilliseconds, globalLatencyField: globalLatencyField)
                if let twin = configuration.dataFiles.first(where: { $0.name == dataFile.name }) {
                    throw ConfigurationError(path: path, line: table.line, key: "data_files[\(dataFileCount)].name",
                                             message: "the name '\(twin.name)' is used by another data file; names must be unique")
                }
                configuration.dataFiles.append(dataFile)
            case "requests_aggregation":
                configuration.requestsAggregation.append(try readAggregation(table, index: configuration.requestsAggregation.count + 1))
            case "patterns_to_extract":
                let rule = try readPattern(table, index: configuration.patternsToExtract.count + 1)
                if configuration.patternsToExtract.contains(where: { $0.name == rule.name }) {
                    throw ConfigurationError(path: path, line: table.line, key: "patterns_to_extract.name",
                                             message: "the pattern name '\(rule.name)' is used twice")
                }
                configuration.patternsToExtract.append(rule)
            case "prometheus":
                guard !document.arrayTableNames.contains(table.name) else {
                    throw ConfigurationError(path: path, line: table.line, key: table.name, message: "write [prometheus] (single brackets): there is one listener")
                }
                configuration.prometheus = try PrometheusSettings.read(table, path: path, globalKeys: Self.rootKeys)
                continue
            default:
                throw ConfigurationError(path: path, line: table.line, key: table.name,
                                         message: "unknown table; known tables are [[data_files]], [[requests_aggregation]], [[patterns_to_extract]]")
            }
            if !document.arrayTableNames.contains(table.name) {
                throw ConfigurationError(path: path, line: table.line, key: table.name,
                                         message: "write [[\(table.name)]] (double brackets): there may be several")
            }
        }
        return configuration
    }

    static let rootKeys = ["log_format", "interval", "stalled_call_threshold", "latency_in_milliseconds", "latency_field",
                           "latency_percentiles", "response_codes", "forbidden_symbols", "valid_requests", "requests_to_skip",
                           "max_methods", "state_dir", "pid_dir", "log_dir", "log_level", "max_log_file_size", "max_log_files"]
                           + resourceLimitKeys

    private func readDataFile(_ table: TOMLDocument.Table, index: Int,
                              globalFormat: (value: String, entry: TOMLDocument.Entry)?,
                              globalMilliseconds: Bool, globalLatencyField: String?) throws(ConfigurationError) -> DataFileConfiguration {
        let prefix = "data_files[\(index)]"
        var name: String?, log: String?, report: String?, previousLog = ""
        var format = globalFormat?.value
        var formatEntry = globalFormat?.entry
        var formatKey = "log_format"
        var milliseconds = globalMilliseconds
        var latencyField = globalLatencyField
        for entry in table.entries {
            let key = "\(prefix).\(entry.key)"
            switch entry.key {
            case "name":
                let value = try string(entry, key)
                guard !value.isEmpty, value.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) }) else {
                    throw error(entry, key, "'\(value)' must be lower-case letters and digits only ([a-z0-9]+): it becomes a Munin plugin's suffix")
                }
                name = value
            case "log":
                log = try path(entry, key)
                try checkLogTemplate(log!, entry, key)
            case "previous_log":
                previousLog = try string(entry, key)
                if !previousLog.isEmpty { previousLog = try path(entry, key) }
            case "report": report = try path(entry, key)
            case "log_format":
                format = try string(entry, key)
                formatEntry = entry
                formatKey = key
            case "latency_in_milliseconds": milliseconds = try boolean(entry, key)
            case "latency_field": latencyField = try string(entry, key)
            default:
                if Self.rootKeys.contains(entry.key) {
                    throw error(entry, key, "\(entry.key) is a global setting, but TOML reads every key after a [[data_files]] header as part of that table: move it above the first [[table]]")
                }
                throw error(entry, key, "unknown setting; a data file takes name, log, previous_log, report, log_format, latency_in_milliseconds, latency_field")
            }
        }
        func missing(_ key: String) -> ConfigurationError {
            ConfigurationError(path: path, line: table.line, key: "\(prefix).\(key)", message: "missing; every [[data_files]] needs name, log and report")
        }
        guard let name else { throw missing("name") }
        guard let log else { throw missing("log") }
        guard let report else { throw missing("report") }
        let dataFile = DataFileConfiguration(name: name, log: log, previousLog: previousLog, report: report,
                                             logFormat: format ?? Configuration.defaultLogFormat,
                                             latencyInMilliseconds: milliseconds, latencyField: latencyField)
        if let problem = checker?.problem(withLogFormat: dataFile.logFormat, latencyField: dataFile.latencyField) {
            throw ConfigurationError(path: path, line: formatEntry?.line ?? table.line,
                                     key: formatEntry == nil ? "\(prefix).log_format (default)" : formatKey, message: problem)
        }
        return dataFile
    }

    private func readAggregation(_ table: TOMLDocument.Table, index: Int) throws(ConfigurationError) -> AggregationRule {
        let prefix = "requests_aggregation[\(index)]"
        var group: String?, method: String?, regex: String?
        for entry in table.entries {
            let key = "\(prefix).\(entry.key)"
            switch entry.key {
            case "group": group = try string(entry, key)
            case "method": method = try string(entry, key)
            case "regex":
                regex = try string(entry, key)
                try compile(regex!, entry, key)
            default: throw error(entry, key, "unknown setting; an aggregation rule takes group, method and regex")
            }
        }
        guard let group, let method, let regex, !method.isEmpty else {
            throw ConfigurationError(path: path, line: table.line, key: prefix, message: "needs group, method and regex (method not empty)")
        }
        return AggregationRule(group: group, method: method, regex: regex)
    }

    private func readPattern(_ table: TOMLDocument.Table, index: Int) throws(ConfigurationError) -> PatternRule {
        let prefix = "patterns_to_extract[\(index)]"
        var name: String?, patterns: [String]?
        for entry in table.entries {
            let key = "\(prefix).\(entry.key)"
            switch entry.key {
            case "name":
                let value = try string(entry, key)
                guard !value.isEmpty, !value.contains(where: { $0 == " " || $0 == "=" || $0 == "[" || $0 == "]" }) else {
                    throw error(entry, key, "'\(value)' cannot be a report key; use letters, digits and '_'")
                }
                name = value
            case "patterns":
                let values = try strings(entry, key)
                for (number, pattern) in values.enumerated() {
                    try compile(pattern, entry, "\(key)[\(number)]", requiredGroup: "pattern")
                }
                patterns = values
            default: throw error(entry, key, "unknown setting; a pattern takes name and patterns")
            }
        }
        guard let name, let patterns, !patterns.isEmpty else {
            throw ConfigurationError(path: path, line: table.line, key: prefix, message: "needs a name and at least one of patterns")
        }
        return PatternRule(name: name, patterns: patterns)
    }

    // MARK: Resource limits (issue 10): kept together, so the loader's other cases stay as they were

    static let resourceLimitKeys = ["idle_method_rounds", "max_pattern_values", "max_line_length", "regex_match_limit", "regex_depth_limit"]

    /// The settings that bound memory and time whatever the logs hold. Their ranges keep every
    /// one of them meaningful and every product of them (memory, time per line) finite.
    private func readResourceLimit(_ entry: TOMLDocument.Entry, _ key: String, into configuration: inout Configuration) throws(ConfigurationError) {
        switch key {
        case "idle_method_rounds":
            // Rounds a method without calls keeps its section: up to a year of 5-minute rounds.
            configuration.idleMethodRounds = try integer(entry, key, in: 1...105_120)
        case "max_pattern_values":
            // 16 bytes of memory per value and pattern at most: 10 million is 160 MB.
            configuration.maxPatternValues = try integer(entry, key, in: 1...10_000_000)
        case "max_line_length":
            // The read buffer grows to this: from 1 KiB to 16 MiB.
            configuration.maxLineLength = try integer(entry, key, in: 1024...(16 << 20))
        case "regex_match_limit":
            configuration.regexMatchLimit = try integer(entry, key, in: 100...100_000_000)
        default:
            configuration.regexDepthLimit = try integer(entry, key, in: 100...100_000_000)
        }
    }

    /// Largest `?ts=` shift in seconds: a week, far more than any time zone or rotation offset,
    /// and small enough that no round time plus it can overflow.
    static let largestShift = 7 * 86_400

    /// The `log` template: strftime specifiers that exist, and `?ts=`/`&ts-name-only=` values
    /// that mean something (the reader would otherwise take a bad one as 0 or overflow on a huge one).
    private func checkLogTemplate(_ log: String, _ entry: TOMLDocument.Entry, _ key: String) throws(ConfigurationError) {
        var pattern = Substring(log)
        if let question = log.lastIndex(of: "?") {
            let query = log[log.index(after: question)...]
            let pairs = query.split(separator: "&", omittingEmptySubsequences: false)
            let names = pairs.map { $0.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? "" }
            if names.contains(where: { $0 == "ts" || $0 == "ts-name-only" }) {
                pattern = log[..<question]
                for pair in pairs {
                    let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                    let name = String(parts[0]), value = parts.count > 1 ? String(parts[1]) : ""
                    switch name {
                    case "ts":
                        guard let shift = Int(value), abs(shift) <= Self.largestShift else {
                            throw error(entry, key, "?ts=\(value) must be whole seconds from -\(Self.largestShift) to \(Self.largestShift) (one week), e.g. ?ts=-3600")
                        }
                    case "ts-name-only":
                        guard ["true", "false", "1", "0", "yes", "no", "on", "off"].contains(value.lowercased()) else {
                            throw error(entry, key, "ts-name-only=\(value) must be true or false")
                        }
                    default:
                        throw error(entry, key, "unknown parameter '\(name)' after '?'; the log path takes ?ts=SECONDS and &ts-name-only=true")
                    }
                }
            }
        }
        let conversions = Set("aAbBcCdDeFgGhHIjklmMnprRsStTuUVwWxXyYzZ%+".utf8)
        let bytes = Array(pattern.utf8)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%") {
                var next = index + 1
                if next < bytes.count, bytes[next] == UInt8(ascii: "E") || bytes[next] == UInt8(ascii: "O") { next += 1 }
                guard next < bytes.count, conversions.contains(bytes[next]) else {
                    throw error(entry, key, "'%\(next < bytes.count ? String(UnicodeScalar(bytes[next])) : "")' at byte \(index + 1) is not a strftime specifier (%Y %m %d %H ...); write %% for a percent sign")
                }
                index = next + 1
            } else {
                index += 1
            }
        }
    }

    // MARK: Typed values

    private func string(_ entry: TOMLDocument.Entry, _ key: String) throws(ConfigurationError) -> String {
        guard case .string(let value) = entry.value else { throw error(entry, key, "expected a string, found \(entry.value.kindDescription)") }
        return value
    }

    /// A path; a relative one is taken relative to the configuration file's directory, so a
    /// configuration and its logs can travel together (the bundled sample does).
    private func path(_ entry: TOMLDocument.Entry, _ key: String) throws(ConfigurationError) -> String {
        let value = try string(entry, key)
        guard !value.isEmpty else { throw error(entry, key, "must not be empty") }
        if value.hasPrefix("/") { return value }
        guard let slash = path.lastIndex(of: "/") else { return value }
        return String(path[...slash]) + value
    }

    private func boolean(_ entry: TOMLDocument.Entry, _ key: String) throws(ConfigurationError) -> Bool {
        guard case .boolean(let value) = entry.value else { throw error(entry, key, "expected true or false, found \(entry.value.kindDescription)") }
        return value
    }

    private func integer(_ entry: TOMLDocument.Entry, _ key: String, in range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
        guard case .integer(let value) = entry.value else { throw error(entry, key, "expected an integer, found \(entry.value.kindDescription)") }
        guard range.contains(value) else { throw error(entry, key, "\(value) is out of range \(Self.describe(range))") }
        return value
    }

    private func integers(_ entry: TOMLDocument.Entry, _ key: String, in range: ClosedRange<Int>) throws(ConfigurationError) -> [Int] {
        guard case .array(let values) = entry.value else { throw error(entry, key, "expected an array of integers, found \(entry.value.kindDescription)") }
        var result: [Int] = []
        for (index, value) in values.enumerated() {
            guard case .integer(let number) = value else { throw error(entry, "\(key)[\(index)]", "expected an integer, found \(value.kindDescription)") }
            guard range.contains(number) else { throw error(entry, "\(key)[\(index)]", "\(number) is out of range \(Self.describe(range))") }
            result.append(number)
        }
        return result
    }

    private func strings(_ entry: TOMLDocument.Entry, _ key: String) throws(ConfigurationError) -> [String] {
        guard case .array(let values) = entry.value else { throw error(entry, key, "expected an array of strings, found \(entry.value.kindDescription)") }
        var result: [String] = []
        for (index, value) in values.enumerated() {
            guard case .string(let text) = value else { throw error(entry, "\(key)[\(index)]", "expected a string, found \(value.kindDescription)") }
            result.append(text)
        }
        return result
    }

    private func compile(_ pattern: String, _ entry: TOMLDocument.Entry, _ key: String, requiredGroup: String? = nil) throws(ConfigurationError) {
        if let problem = checker?.problem(withRegex: pattern, requiredGroup: requiredGroup) {
            throw self.error(entry, key, problem)
        }
    }

    private static func describe(_ range: ClosedRange<Int>) -> String {
        range.upperBound == Int.max ? "(at least \(range.lowerBound))" : "\(range.lowerBound)...\(range.upperBound)"
    }
}
