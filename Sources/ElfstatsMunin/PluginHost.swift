import ElfstatsConfiguration

/// Everything a plugin takes from the machine, handed in so that the plugin itself is a pure
/// function of it: tests pass fixtures and a fixed clock; the executable passes the real ones.
public struct PluginHost {
    /// The plugin's environment (munin-node puts the `env.*` settings there).
    public var environment: [String: String]
    /// Seconds since the epoch.
    public var now: Int64
    /// Reads the daemon's configuration.
    public var loadConfiguration: (String) -> Result<Configuration, ConfigurationError>
    /// Reads a report file.
    public var readReport: (String) -> ReportFile
    /// Munin's per-plugin state folder (`MUNIN_PLUGSTATE`), where the last sound report is kept;
    /// nil when there is none.
    public var state: PluginState?

    public init(environment: [String: String], now: Int64,
                loadConfiguration: @escaping (String) -> Result<Configuration, ConfigurationError>,
                readReport: @escaping (String) -> ReportFile, state: PluginState? = nil) {
        self.environment = environment
        self.now = now
        self.loadConfiguration = loadConfiguration
        self.readReport = readReport
        self.state = state
    }
}

/// Small named texts kept between runs of a plugin.
public struct PluginState {
    public var read: (String) -> String?
    public var write: (String, String) -> Void

    public init(read: @escaping (String) -> String?, write: @escaping (String, String) -> Void) {
        self.read = read
        self.write = write
    }
}

/// A report file as found on disk.
public enum ReportFile: Sendable, Equatable {
    /// Its text and its modification time (seconds since the epoch).
    case present(text: String, modified: Int64)
    /// It could not be read; the reason, e.g. "No such file or directory".
    case unreadable(reason: String)
}

/// What the plugin prints and how it exits.
public struct PluginOutput: Sendable, Equatable {
    public var standardOutput: String = ""
    public var standardError: String = ""
    public var exitStatus: Int32 = 0

    public init(standardOutput: String = "", standardError: String = "", exitStatus: Int32 = 0) {
        self.standardOutput = standardOutput
        self.standardError = standardError
        self.exitStatus = exitStatus
    }
}
