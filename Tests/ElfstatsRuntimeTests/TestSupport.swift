import ElfstatsCore
@testable import ElfstatsRuntime
import Logging
/// A fresh directory under /tmp, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init() {
        var template = Array("/tmp/elfstatsd-runtime-test-XXXXXX".utf8CString)
        let created = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(created != nil, "mkdtemp failed")
        path = String(cString: created!)
    }

    func file(_ name: String) -> String { path + "/" + name }

    func remove() {
        _ = system("rm -rf '\(path)'")
    }
}

/// Appends text to a file, creating it (as a web server with O_APPEND would).
func append(_ text: String, to path: String) {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
    precondition(descriptor >= 0, "cannot open \(path)")
    let bytes = Array(text.utf8)
    let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress!, $0.count) }
    precondition(written == bytes.count)
    close(descriptor)
}

func fileText(_ path: String) -> String? { readSmallTextFile(path) }

/// `dd/Mon/yyyy:HH:MM:SS +hhmm` for an epoch time, written in the given offset from UTC.
func logTime(_ epoch: Int64, offsetMinutes: Int = 0) -> String {
    var seconds = time_t(epoch + Int64(offsetMinutes * 60))
    var parts = tm()
    gmtime_r(&seconds, &parts)
    let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
    let sign = offsetMinutes < 0 ? "-" : "+"
    let offset = abs(offsetMinutes)
    return "\(two(parts.tm_mday))/\(months[Int(parts.tm_mon)])/\(parts.tm_year + 1900):\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) \(sign)\(two(Int32(offset / 60)))\(two(Int32(offset % 60)))"
}

/// One line in the original's default format, at `epoch`, calling `/content/GROUP/METHOD`.
func logLine(at epoch: Int64, group: String = "search", method: String = "get", offsetMinutes: Int = 120) -> String {
    #"10.0.0.1 - - [\#(logTime(epoch, offsetMinutes: offsetMinutes))] "GET /content/\#(group)/\#(method)?id=1 HTTP/1.1" 200 512 "-" "curl/8.4.0" community1 community1 OK 300 812 4466"# + "\n"
}

/// A configuration whose one data file is `log` in `directory`, reporting to `directory/report.data`.
func makeConfiguration(in directory: TemporaryDirectory, log: String = "access_log", previousLog: String = "",
                       interval: Int = 300) -> (Configuration, DataFileConfiguration) {
    var configuration = Configuration(path: directory.file("elfstatsd.conf"))
    configuration.interval = interval
    configuration.validRequests = [#"^/content/(?P<group>[\w.-]+)/(?P<method>[\w.-]+)"#]
    configuration.stateDirectory = directory.file("state")
    configuration.pidDirectory = directory.file("run")
    configuration.logDirectory = directory.file("log")
    let dataFile = DataFileConfiguration(name: "test", log: directory.file(log),
                                         previousLog: previousLog.isEmpty ? "" : directory.file(previousLog),
                                         report: directory.file("reports/test.data"), logFormat: Configuration.defaultLogFormat)
    configuration.dataFiles = [dataFile]
    return (configuration, dataFile)
}

/// A logger that drops everything (the tests look at files and counts).
let quietLogger: Logger = {
    var logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
    logger.logLevel = .critical
    return logger
}()

/// A follower and an analyzer for `dataFile`, as the daemon pairs them.
final class FollowedLog {
    let analyzer: LogAnalyzer
    let follower: LogFollower
    let reader = ChunkedLogReader(bufferSize: 4096)

    init(_ configuration: Configuration, _ dataFile: DataFileConfiguration) throws {
        analyzer = try LogAnalyzer(configuration: configuration, dataFile: dataFile)
        follower = LogFollower(name: dataFile.name, log: dataFile.log, previousLog: dataFile.previousLog, logger: quietLogger)
    }

    /// Reads a round and returns how many records it counted (and ends the round).
    func round(at roundStart: Int64, cutoff: Int64? = nil) -> (records: Int, problem: String?) {
        let outcome = follower.readRound(roundStart: roundStart, cutoff: cutoff, bounded: cutoff == nil, analyzer: analyzer, reader: reader)
        let records = analyzer.records.total
        _ = analyzer.finishRound(RoundMetadata(invoked: roundStart, worked: 0))
        return (records, outcome.problem)
    }
}
