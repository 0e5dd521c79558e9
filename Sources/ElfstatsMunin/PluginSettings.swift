/// The plugin's settings, from the environment munin-node gives it (`env.NAME value` lines of
/// `/etc/munin/plugin-conf.d/elfstats.conf`).
public struct PluginSettings: Sendable, Equatable {
    public static let defaultDaemonConfiguration = "/etc/elfstatsd/elfstatsd.conf"

    /// The daemon's configuration, which names the data files and their reports.
    public var daemonConfiguration: String = defaultDaemonConfiguration
    /// A report path that overrides the one of the daemon's configuration.
    public var dumpFile: String?
    /// Munin category; nil for the plugin's default.
    public var category: String?
    /// The instance when the plugin's name has none (the original plugins' `env.instance_name`).
    public var instanceName: String?
    /// Text that tells instances apart in titles; nil for the instance name.
    public var instanceLabel: String?
    public var instanceLabelFormat: InstanceLabelFormat = .suffix
    /// With no data, draw one "no data available" graph rather than none.
    public var showDummyGraph: Bool = true
    /// Graph ids to draw (all when nil) and to leave out. Ids match with or without the instance suffix.
    public var includeGraphs: [String]?
    public var excludeGraphs: [String] = []
    /// Seconds after which a report counts as stale (every value unknown); nil for 2 × the daemon's
    /// interval; 0 never.
    public var maxAge: Int?
    public var smallGroups: Set<String> = ["small", "smaller", "smallest"]
    public var importantCodes: [String] = []
    /// The master announced `dirtyconfig` to munin-node: `config` may carry the values, which
    /// saves munin-node a second run of the plugin for `fetch`.
    public var dirtyConfig: Bool = false
    /// The address of the Munin master that asked (munin-node's `MUNIN_MASTER_IP`); nil under
    /// munin-run, which sets it empty.
    public var masterAddress: String?
    /// Settings that could not be read, for stderr.
    public var problems: [String] = []

    public enum InstanceLabelFormat: String, Sendable {
        case suffix, prefix, none
    }

    public init() {}

    public init(environment: [String: String]) {
        func value(_ name: String) -> String? {
            guard let text = environment[name]?.trimmingSpaces, !text.isEmpty else { return nil }
            return text
        }
        func list(_ name: String) -> [String]? {
            value(name).map { $0.split(separator: ",").map { String($0).trimmingSpaces }.filter { !$0.isEmpty } }
        }
        func flag(_ name: String, default fallback: Bool) -> Bool {
            guard let text = value(name) else { return fallback }
            switch text.lowercased() {
            case "1", "yes", "true", "on": return true
            case "0", "no", "false", "off": return false
            default:
                problems.append("env.\(name): '\(text)' is not 1 or 0; using \(fallback ? 1 : 0)")
                return fallback
            }
        }
        daemonConfiguration = value("elfstatsd_config") ?? Self.defaultDaemonConfiguration
        dumpFile = value("dump_file")
        category = value("category")
        instanceName = value("instance_name")
        instanceLabel = value("instance_label")
        if let format = value("instance_label_format") {
            if let parsed = InstanceLabelFormat(rawValue: format.lowercased()) {
                instanceLabelFormat = parsed
            } else {
                problems.append("env.instance_label_format: '\(format)' is not suffix, prefix or none; using suffix")
            }
        }
        showDummyGraph = flag("show_dummy_graph", default: true)
        includeGraphs = list("include_graphs")
        excludeGraphs = list("exclude_graphs") ?? []
        if let text = value("max_age") {
            if let seconds = Int(text), seconds >= 0 {
                maxAge = seconds
            } else {
                problems.append("env.max_age: '\(text)' is not a number of seconds; using 2 x the daemon's interval")
            }
        }
        if let groups = list("small_groups") { smallGroups = Set(groups.map { $0.lowercased() }) }
        if let codes = list("important_codes") { importantCodes = codes }
        // munin-node 2.0 sets MUNIN_CAP_DIRTYCONFIG; MUNIN_CAP_DIRTY_CONFIG is accepted as well.
        dirtyConfig = value("MUNIN_CAP_DIRTYCONFIG") == "1" || value("MUNIN_CAP_DIRTY_CONFIG") == "1"
        masterAddress = value("MUNIN_MASTER_IP")
    }
}

extension String {
    var trimmingSpaces: String {
        var text = Substring(self)
        while let first = text.first, first == " " || first == "\t" { text.removeFirst() }
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        return String(text)
    }
}
