import ElfstatsCore
import Logging

/// swift-log's front end to `DaemonLogFile`: `2026-11-25 07:05:00 +0000 info: message key=value`.
/// The level lives in the file object, so that a reload changes it for every logger at once.
public struct DaemonLogHandler: LogHandler {
    let file: DaemonLogFile
    public var metadata: Logger.Metadata = [:]
    private var ownLevel: Logger.Level?

    public init(file: DaemonLogFile) {
        self.file = file
    }

    public var logLevel: Logger.Level {
        get { ownLevel ?? file.level }
        set { ownLevel = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var line = "\(Self.timestamp()) \(event.level): \(event.message)"
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) { line += " \(key)=\(value)" }
        file.write(line)
    }

    /// Local time with its offset, to the second.
    static func timestamp() -> String {
        var seconds = time_t(SystemClock.now())
        var parts = tm()
        localtime_r(&seconds, &parts)
        var output = [CChar](repeating: 0, count: 64)
        let length = strftime(&output, output.count, "%Y-%m-%d %H:%M:%S %z", &parts)
        return String(decoding: output[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
