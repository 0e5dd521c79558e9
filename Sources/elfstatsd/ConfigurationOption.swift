import ArgumentParser
import ElfstatsCore
import ElfstatsRuntime

/// `--config FILE`, shared by every subcommand that reads the daemon's configuration.
struct ConfigurationOption: ParsableArguments {
    @Option(name: [.short, .long], help: ArgumentHelp("The configuration file.", valueName: "file"))
    var config: String = "/etc/elfstatsd/elfstatsd.conf"

    /// Reads and validates the configuration; on error prints the precise message to stderr and
    /// exits with status 1, so that callers (and init scripts) see why.
    func load() throws -> Configuration {
        do {
            return try ConfigurationFile.load(path: config)
        } catch {
            printError("elfstatsd: \(error)")
            throw ExitCode(1)
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
