/// A mistake in the configuration, located as precisely as the file allows, so that a sysadmin
/// reading `elfstatsd: /etc/elfstatsd/elfstatsd.conf:12: interval: ...` knows what to fix.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The configuration file.
    public var path: String
    /// The line of the key (or of the table header, or 0 when the file could not be read).
    public var line: Int
    /// The key, as written, with the table and index when it is inside one
    /// (e.g. `data_files[2].log_format`); empty for syntax errors.
    public var key: String
    /// What is wrong, and where useful, what would be right.
    public var message: String

    public init(path: String, line: Int, key: String, message: String) {
        self.path = path
        self.line = line
        self.key = key
        self.message = message
    }

    public var description: String {
        let location = line > 0 ? "\(path):\(line)" : path
        return key.isEmpty ? "\(location): \(message)" : "\(location): \(key): \(message)"
    }
}
