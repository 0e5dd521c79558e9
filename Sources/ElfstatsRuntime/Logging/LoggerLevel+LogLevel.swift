import ElfstatsCore
import Logging

extension Logger.Level {
    /// The configuration's level, by the same names.
    public init(_ level: LogLevel) {
        self = Logger.Level(rawValue: level.rawValue) ?? .info
    }
}
