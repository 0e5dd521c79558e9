import ElfstatsCore
@testable import ElfstatsMunin

/// This test folder's Fixtures/, with a trailing slash.
let fixtures: String = {
    let file = #filePath
    let folder = file[..<file.lastIndex(of: "/")!]
    return folder + "/Fixtures/"
}()

func readFixture(_ name: String) -> String {
    guard let file = fopen(fixtures + name, "rb") else { fatalError("missing fixture \(name)") }
    defer { fclose(file) }
    return String(decoding: readAll(file), as: UTF8.self)
}

/// Every byte left in an open file or pipe.
func readAll(_ file: UnsafeMutablePointer<FILE>) -> [UInt8] {
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let count = fread(&chunk, 1, chunk.count, file)
        if count == 0 { break }
        bytes += chunk[0..<count]
    }
    return bytes
}

func writeFixture(_ name: String, _ text: String) {
    guard let file = fopen(fixtures + name, "wb") else { fatalError("cannot write \(name)") }
    defer { fclose(file) }
    _ = text.utf8CString.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count - 1, file) }
}

/// When the tests' reports were written.
let reportTime: Int64 = 1_764_057_600

/// The daemon configuration of the tests: two data files, interval 300.
let daemonConfiguration = """
    interval = 300
    [[data_files]]
    name = 'web'
    log = '/var/log/httpd/access_log'
    report = '/var/lib/elfstatsd/web.data'
    [[data_files]]
    name = 'api'
    log = '/var/log/httpd/api_log'
    report = '/var/lib/elfstatsd/api.data'
    """

/// A machine for the plugin: the daemon configuration `configuration` at /etc/elfstatsd/elfstatsd.conf
/// (nil: missing), the report files in `reports` (path -> text), all written at `reportTime`.
func makeHost(environment: [String: String] = [:], now: Int64 = reportTime + 30,
              configuration: String? = daemonConfiguration, reports: [String: String] = [:]) -> PluginHost {
    PluginHost(environment: environment, now: now,
               loadConfiguration: { path in
                   guard path == PluginSettings.defaultDaemonConfiguration || path == environment["elfstatsd_config"],
                         let configuration else {
                       return .failure(ConfigurationError(path: path, line: 0, key: "", message: "cannot read the configuration file: No such file or directory"))
                   }
                   return Result { () throws(ConfigurationError) in try ConfigurationLoader.parse(text: configuration, path: path) }
               },
               readReport: { path in
                   guard let text = reports[path] else { return .unreadable(reason: "No such file or directory") }
                   return .present(text: text, modified: reportTime)
               })
}

/// Runs the plugin linked as `linkName` with `command`.
func run(_ linkName: String, _ command: String, _ host: PluginHost) -> PluginOutput {
    guard let name = PluginName(programName: linkName) else { fatalError("not a plugin name: \(linkName)") }
    return Plugin(name: name, host: host).run(command)
}
