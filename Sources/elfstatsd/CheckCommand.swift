import ElfstatsCore
/// `elfstatsd check`: validates a configuration the way the daemon would at start-up, and the
/// places it will write to, so that a mistake shows before a restart rather than after it.
struct CheckCommand {
    static let description = CommandDescription(
        name: "check",
        abstract: "Validate the configuration file and print a short summary.",
        discussion: """
            Reads the configuration, compiles every log format and every regex (with PCRE2, as the \
            daemon does), and checks that the directories for state, pid file, own log and reports \
            exist. Prints a summary and exits 0, or prints the first problem as FILE:LINE: key: message \
            and exits 1. The init script runs this before starting the daemon.
            """,
        options: [ConfigurationOption.description]
    )

    var options: ConfigurationOption

    init(_ arguments: ParsedArguments) {
        options = ConfigurationOption(arguments)
    }

    func run() throws {
        let configuration = try options.load()
        var problems: [String] = []
        for dataFile in configuration.dataFiles {
            do {
                _ = try LogAnalyzer(configuration: configuration, dataFile: dataFile)
            } catch {
                problems.append("\(error)")
            }
        }
        let directories: [(String, String)] = [
            ("state_dir", configuration.stateDirectory), ("pid_dir", configuration.pidDirectory), ("log_dir", configuration.logDirectory),
        ] + configuration.dataFiles.map { ("data_files.\($0.name).report", directoryOf($0.report)) }
        for (key, directory) in directories where !isDirectory(directory) {
            problems.append("\(configuration.path): \(key): the directory \(directory) does not exist")
        }
        if configuration.dataFiles.isEmpty {
            problems.append("\(configuration.path): no [[data_files]] configured; there is nothing to report on")
        }
        guard problems.isEmpty else {
            for problem in problems { printError("elfstatsd: \(problem)") }
            throw ExitStatus(1)
        }
        print("\(configuration.path): OK")
        print("  interval \(configuration.interval) s, stalled above \(configuration.stalledCallThreshold) ms, percentiles \(configuration.latencyPercentiles.map(String.init).joined(separator: ", "))")
        print("  \(configuration.validRequests.count) valid, \(configuration.requestsToSkip.count) skip, \(configuration.requestsAggregation.count) aggregation regexes; \(configuration.patternsToExtract.count) patterns")
        if let prometheus = configuration.prometheus {
            print("  Prometheus metrics at http://\(prometheus.listen)/metrics\(prometheus.listen.isLoopback ? "" : " (not loopback: reachable from other hosts, without authentication)")")
        }
        for dataFile in configuration.dataFiles {
            let format = try LogFormat(dataFile.logFormat, latencyField: dataFile.latencyField,
                                       integerLatencyUnit: dataFile.latencyInMilliseconds ? .milliseconds : .microseconds)
            let latency = format.latencyField.map { format.fields[$0].directive } ?? "none (latencies unknown)"
            print("  [\(dataFile.name)] \(dataFile.log) -> \(dataFile.report); \(format.fields.count) fields, latency from \(latency)")
        }
    }
}

func directoryOf(_ path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    return slash == path.startIndex ? "/" : String(path[..<slash])
}

func isDirectory(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
}
