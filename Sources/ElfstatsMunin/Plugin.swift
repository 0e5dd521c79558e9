import ElfstatsConfiguration
import ElfstatsReportFormat

/// One run of a plugin: `autoconf`, `suggest`, `config` or `fetch` (the default), answered from
/// the daemon's configuration and one report. Whatever is wrong with them, it answers Munin
/// (unknown values, the "no data" graph, `no (reason)`) and says why on stderr; it never crashes.
public struct Plugin {
    public var name: PluginName
    public var host: PluginHost
    public var settings: PluginSettings

    public init(name: PluginName, host: PluginHost) {
        self.name = name
        self.host = host
        self.settings = PluginSettings(environment: host.environment)
    }

    /// The instance: the plugin name's suffix, else `env.instance_name`.
    public var instance: String? { name.instance ?? settings.instanceName }

    public func run(_ command: String) -> PluginOutput {
        var output = PluginOutput()
        for problem in settings.problems { output.warn(problem) }
        switch command {
        case "autoconf":
            output.standardOutput = autoconf(&output) + "\n"
        case "suggest":
            output.standardOutput = suggest(&output).map { $0 + "\n" }.joined()
        case "config":
            let graphs = graphs(&output, servingValues: settings.dirtyConfig)
            output.standardOutput = MuninOutput.config(graphs, category: settings.category ?? name.kind.defaultCategory,
                                                       withValues: settings.dirtyConfig)
        case "fetch", "":
            output.standardOutput = MuninOutput.fetch(graphs(&output, servingValues: true))
        default:
            output.warn("unknown command '\(command)'; expected autoconf, suggest, config or fetch")
            output.exitStatus = 1
        }
        return output
    }

    // MARK: autoconf and suggest

    /// `yes` when there is a report to read, else `no (reason)`.
    func autoconf(_ output: inout PluginOutput) -> String {
        if let dumpFile = settings.dumpFile {
            if case .unreadable(let reason) = host.readReport(dumpFile) { return "no (report \(dumpFile): \(reason))" }
            return "yes"
        }
        let configuration: Configuration
        switch host.loadConfiguration(settings.daemonConfiguration) {
        case .success(let loaded): configuration = loaded
        case .failure(let error): return "no (cannot read the elfstatsd configuration: \(error.description.replacingNewlines))"
        }
        guard !configuration.dataFiles.isEmpty else {
            return "no (no data files in \(configuration.path))"
        }
        var candidates = configuration.dataFiles
        if let instance {
            guard let dataFile = configuration.dataFile(named: instance) else {
                return "no (no data file named '\(instance)' in \(configuration.path))"
            }
            candidates = [dataFile]
        }
        var missing: [String] = []
        for dataFile in candidates {
            if case .unreadable(let reason) = host.readReport(dataFile.report) {
                missing.append("\(dataFile.report): \(reason)")
            } else {
                return "yes"
            }
        }
        return "no (no report yet: \(missing.joined(separator: "; ")))"
    }

    /// The names of the configured data files: the instances munin-node-configure links.
    func suggest(_ output: inout PluginOutput) -> [String] {
        switch host.loadConfiguration(settings.daemonConfiguration) {
        case .success(let configuration):
            return configuration.dataFiles.map(\.name)
        case .failure(let error):
            output.warn("cannot read the elfstatsd configuration: \(error)")
            return []
        }
    }

    // MARK: config and fetch

    /// The graphs to print with their final ids and titles, and their values (all unknown when the
    /// report is missing, damaged, stale or already served). `servingValues`: the answer carries
    /// the values (fetch, or config under dirtyconfig), so the report's round counts as served.
    func graphs(_ output: inout PluginOutput, servingValues: Bool) -> [(id: String, title: String, graph: MuninGraph)] {
        let (report, interval) = readReport(&output, servingValues: servingValues)
        let options = GraphOptions(period: GraphOptions.period(ofSeconds: interval), smallGroups: settings.smallGroups,
                                   importantCodes: settings.importantCodes)
        var graphs: [MuninGraph]
        switch name.kind {
        case .calls: graphs = CallsGraphs.graphs(report, options)
        case .responseTimes: graphs = ResponseTimeGraphs.graphs(report, options)
        case .percentiles: graphs = PercentileGraphs.graphs(report, options)
        case .responseCodes: graphs = ResponseCodeGraphs.graphs(report, options)
        case .totalRecords: graphs = TotalRecordsGraphs.graphs(report, options)
        case .patterns: graphs = PatternGraphs.graphs(report, options)
        }
        if report.damage != nil {
            for g in graphs.indices {
                for f in graphs[g].fields.indices { graphs[g].fields[f].value = MuninValue.unknown }
            }
        }
        let suffix = instance.map { "_" + MuninName.sanitised($0) } ?? ""
        graphs = graphs.filter { isEnabled($0.id, suffix: suffix) }
        if graphs.isEmpty && settings.showDummyGraph && isEnabled(name.kind.noDataGraphID, suffix: suffix) {
            graphs = [MuninGraph(id: name.kind.noDataGraphID, title: name.kind.noDataTitle,
                                 info: "The report holds nothing for these graphs (yet), or could not be read (munin-node's log says why)",
                                 arguments: MuninGraph.linear, verticalLabel: "no data",
                                 fields: [.init(name: "nodata", label: "no data", value: MuninValue.unknown)])]
        }
        var ids = UniqueNames()
        return graphs.enumerated().map { index, graph in
            (ids.name(for: "\(index)", candidate: graph.id + suffix), title(graph.title), graph)
        }
    }

    func isEnabled(_ id: String, suffix: String) -> Bool {
        let names = [id, id + suffix]
        if let include = settings.includeGraphs, !include.contains(where: names.contains) { return false }
        return !settings.excludeGraphs.contains(where: names.contains)
    }

    /// The title with the instance label, as `env.instance_label_format` says.
    func title(_ base: String) -> String {
        guard let label = settings.instanceLabel ?? instance else { return base }
        switch settings.instanceLabelFormat {
        case .suffix: return "\(base) - \(label)"
        case .prefix: return "\(label) - \(base)"
        case .none: return base
        }
    }

    /// The report's contents (empty and marked damaged when there is none to read) and the
    /// daemon's interval. A stale report is marked damaged too, so that every value is unknown, and
    /// so is a report whose round this plugin already served to the same master (`servedRound`).
    func readReport(_ output: inout PluginOutput, servingValues: Bool = false) -> (ReportContents, Int) {
        var configuration: Configuration?
        var configurationError: ConfigurationError?
        switch host.loadConfiguration(settings.daemonConfiguration) {
        case .success(let loaded): configuration = loaded
        case .failure(let error): configurationError = error
        }
        let interval = configuration?.interval ?? 300

        var path = settings.dumpFile
        if path == nil {
            if let configuration {
                if let instance {
                    path = configuration.dataFile(named: instance)?.report
                    if path == nil { output.warn("no data file named '\(instance)' in \(configuration.path)") }
                } else if configuration.dataFiles.count == 1 {
                    path = configuration.dataFiles[0].report
                } else {
                    output.warn("no instance: link the plugin as \(name.kind.pluginName)_NAME, NAME one of the data files of \(configuration.path), or set env.dump_file")
                }
            } else if let configurationError {
                output.warn("cannot read the elfstatsd configuration: \(configurationError)")
            }
        }
        guard let path else {
            return (lastSoundReport(damage: "no report"), interval)
        }
        switch host.readReport(path) {
        case .unreadable(let reason):
            output.warn("cannot read the report \(path): \(reason)")
            return (lastSoundReport(damage: reason), interval)
        case .present(let text, let modified):
            let document = ReportDocument(parsing: text)
            var contents = ReportContents(document: document)
            if let damage = contents.damage {
                output.warn("the report \(path) is damaged (\(damage)): all values are unknown")
                let last = lastSoundReport(damage: damage)
                if !last.methods.isEmpty || !last.records.isEmpty { contents = last }
            }
            let maxAge = settings.maxAge ?? 2 * interval
            let age = host.now - modified
            if maxAge > 0 && age > Int64(maxAge) {
                output.warn("the report \(path) is \(age) s old (more than \(maxAge) s): all values are unknown; is elfstatsd running?")
                contents.damage = contents.damage ?? "stale"
            }
            if contents.damage == nil, let state = host.state, state.read(stateKey) != text {
                state.write(stateKey, text)
            }
            if servingValues, contents.damage == nil, let state = host.state {
                let round = Self.round(of: document, modified: modified)
                if state.read(servedRoundKey) == round {
                    output.warn("the report \(path) holds the round (\(round.dropLast())) that this plugin already gave \(settings.masterAddress.map { "the Munin master \($0)" } ?? "munin-run"): all values are unknown, so that Munin does not store the round twice; is elfstatsd running?")
                    contents.damage = "round already served"
                } else {
                    state.write(servedRoundKey, round)
                }
            }
            return (contents, interval)
        }
    }

    /// Where the last sound report of this instance is kept between runs.
    var stateKey: String { "elfstatsm_\(instance.map(MuninName.sanitised) ?? "default").report" }

    /// Where the round this plugin last served is kept: one record per plugin (kind and instance)
    /// and per Munin master (munin-node's `MUNIN_MASTER_IP`), so that the six plugins of an
    /// instance, several masters, and munin-run by hand (no master) never take each other's rounds.
    var servedRoundKey: String {
        let plugin = "elfstatsm_\(name.kind.rawValue)_\(instance.map(MuninName.sanitised) ?? "default").round"
        guard let master = settings.masterAddress else { return plugin }
        let safe = String(master.unicodeScalars.map { scalar -> Character in
            switch scalar { case "0"..."9", "a"..."z", "A"..."Z": Character(scalar); default: "_" }
        })
        return plugin + "-" + safe
    }

    /// What tells one round's report from the next: the daemon's `daemon_invoked` (this daemon and
    /// the original both write it, one per round), else the file's modification time.
    static func round(of document: ReportDocument, modified: Int64) -> String {
        if let invoked = document[section: "metadata"]?["daemon_invoked"], !invoked.isEmpty {
            return "daemon_invoked = \(invoked)\n"
        }
        return "modified = \(modified)\n"
    }

    /// The graphs of the last sound report seen, all values unknown, so that Munin keeps the
    /// graphs (with a gap) while the report is missing or damaged; empty when there is none.
    func lastSoundReport(damage: String) -> ReportContents {
        var contents = ReportContents()
        if let text = host.state?.read(stateKey) {
            contents = ReportContents(document: ReportDocument(parsing: text))
        }
        contents.damage = damage
        return contents
    }
}

extension PluginOutput {
    mutating func warn(_ message: String) {
        standardError += "elfstatsm: \(message)\n"
    }
}

extension String {
    var replacingNewlines: String { String(map { $0 == "\n" ? " " : $0 }) }
}
