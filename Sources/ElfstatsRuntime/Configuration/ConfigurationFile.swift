/// Reads the daemon's configuration file: the file is read here, at the machine's edge, and its
/// text parsed by ElfstatsConfiguration with every regex and log format compiled by ElfstatsCore.
import ElfstatsCore

public enum ConfigurationFile {
    /// Reads, parses and compiles the configuration at `path`; a file that cannot be read is a
    /// `ConfigurationError` at line 0 naming the reason.
    public static func load(path: String) throws(ConfigurationError) -> Configuration {
        guard let text = readSmallTextFile(path) else {
            let reason = String(cString: strerror(errno))
            throw ConfigurationError(path: path, line: 0, key: "", message: "cannot read the configuration file: \(reason)")
        }
        return try ConfigurationLoader.parseAndCompile(text: text, path: path)
    }
}
