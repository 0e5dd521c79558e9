import ElfstatsCore

/// `elfstatsd explain`: shows what elfstatsd makes of one log line.
struct ExplainCommand {
    static let description = CommandDescription(
        name: "explain",
        abstract: "Show, step by step, how one log line is parsed and classified.",
        discussion: """
            Prints each field the log format extracted from LINE, the time, request, status and \
            latency (in ms) read from them, which regex matched (or why none did), how many regex \
            matches reached their limit, the method id the call is counted under, the extracted \
            patterns, and the record's status: parsed, skipped or error. The verdict comes from the \
            very code `once` counts with. Use it to check a LogFormat copied from a web server's \
            configuration. Reads the line from standard input when LINE is '-'.

            Example:
              elfstatsd explain --config /etc/elfstatsd/elfstatsd.conf --data-file apache \\
                '1.2.3.4 - - [08/Aug/2013:10:59:59 +0200] "GET /content/csl/get HTTP/1.1" 200 512 ...'
            """,
        options: [ConfigurationOption.description, dataFileOption],
        arguments: [ArgumentDescription(name: "line", help: "The log line, quoted as one argument, or - for standard input.")]
    )
    static let dataFileOption = OptionDescription(
        long: "data-file", valueName: "name", help: "The data file whose format to use (default: the first one).")

    var options: ConfigurationOption
    var dataFile: String?
    var line: String

    init(_ arguments: ParsedArguments) {
        options = ConfigurationOption(arguments)
        dataFile = arguments.value(of: Self.dataFileOption)
        // The parser has checked that there is exactly one, as the description says.
        line = arguments.arguments[0]
    }

    func run() throws {
        let configuration = try options.load()
        guard let chosen = dataFile.map({ configuration.dataFile(named: $0) }) ?? configuration.dataFiles.first else {
            printError("elfstatsd: no data file named '\(dataFile ?? "")' in \(configuration.path); known: \(configuration.dataFiles.map(\.name).joined(separator: ", "))")
            throw ExitStatus(1)
        }
        let text = line == "-" ? (readLine(strippingNewline: true) ?? "") : line
        let analyzer = try LogAnalyzer(configuration: configuration, dataFile: chosen)
        let explanation = analyzer.explain(text, configuration: configuration)

        print("data file   \(chosen.name)")
        print("format      \(chosen.logFormat)")
        print("fields")
        for field in explanation.fields {
            let role: String
            switch field.role {
            case .time: role = "  (time)"
            case .requestLine, .requestURI: role = "  (request)"
            case .status: role = "  (status)"
            case .latency(let unit): role = "  (latency, integers in \(unit.name))"
            case .other: role = ""
            }
            print("  \(field.directive.padding(to: 24)) \(field.value.map { "'\($0)'" } ?? "-- not reached")\(role)")
        }
        print("fits format \(explanation.fitsFormat ? "yes" : "no")")
        if let time = explanation.time { print("time        \(LocalTime.format(time)) (local), epoch \(time)") }
        if let request = explanation.request { print("request     \(request)") }
        if let status = explanation.status { print("status code \(status)") }
        switch explanation.latency {
        case .value(let ms)?: print("latency     \(ms) ms")
        case .unknown?: print("latency     unknown ('-')")
        case .invalid?: print("latency     not a number")
        case .outOfRange?: print("latency     more than \(Latency.maximumMilliseconds) ms")
        case nil: if explanation.fitsFormat { print("latency     none: the format has no latency field") }
        }
        if let rule = explanation.rule { print("rule        \(rule)") }
        print("regex limit \(explanation.regexLimitHits) match\(explanation.regexLimitHits == 1 ? "" : "es") reached regex_match_limit/regex_depth_limit")
        if let group = explanation.group, let method = explanation.method { print("group       \(group)\nmethod      \(method)") }
        for pattern in explanation.patterns { print("pattern     \(pattern.name) = \(pattern.value)") }
        switch explanation.outcome {
        case .parsed(let id): print("record      parsed, counted in [method_\(id)]")
        case .skipped: print("record      skipped")
        case .error(let reason): print("record      error: \(reason)")
        }
    }
}

extension String {
    func padding(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
