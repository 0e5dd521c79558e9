import ElfstatsCore
import ElfstatsRuntime

/// `--config FILE`, shared by every subcommand that reads the daemon's configuration.
struct ConfigurationOption {
    static let description = OptionDescription(
        long: "config", short: "c", valueName: "file", help: "The configuration file.",
        defaultValue: "/etc/elfstatsd/elfstatsd.conf", completion: .file)

    var config: String

    init(_ arguments: ParsedArguments) {
        config = arguments.value(of: Self.description) ?? ""
    }

    /// Reads and validates the configuration; on error prints the precise message to stderr and
    /// exits with status 1, so that callers (and init scripts) see why.
    func load() throws(ExitStatus) -> Configuration {
        do {
            return try ConfigurationFile.load(path: config)
        } catch {
            printError("elfstatsd: \(error)")
            throw ExitStatus(1)
        }
    }
}

/// Writes one line to standard error.
func printError(_ message: String) {
    var stream = StandardError()
    print(message, to: &stream)
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        try? FileIO.writeAll(string, to: 2, path: "standard error")
    }
}
