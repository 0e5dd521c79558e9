// elfstatsm: the Munin plugins of elfstatsd, one binary linked under each plugin's name.
//
//   /usr/share/munin/plugins/elfstatsm_calls_ -> /usr/libexec/elfstatsd/elfstatsm
//   /etc/munin/plugins/elfstatsm_calls_apache -> /usr/share/munin/plugins/elfstatsm_calls_
//
// All the plugin's logic is in ElfstatsMunin; this file only gathers what it needs from the
// machine (environment, clock, the daemon's configuration, the report file) and prints the answer.
import ElfstatsConfiguration
import ElfstatsMunin
import ElfstatsPlatform

let arguments = CommandLine.arguments
var programName = arguments.first ?? "elfstatsm"
var commandIndex = 1

// Started under its own name: `elfstatsm markers`, or `elfstatsm PLUGIN [COMMAND]` to run a plugin
// without a link (for trying it out).
if PluginName(programName: programName) == nil {
    if arguments.count > 1 && arguments[1] == "aggregate" {
        exit(AggregateCommand.run(Array(arguments.dropFirst(2))))
    }
    if arguments.count > 1 && arguments[1] == "markers" {
        print(muninMagicMarkers, terminator: "")
        exit(0)
    }
    if arguments.count > 1, PluginName(programName: arguments[1]) != nil {
        programName = arguments[1]
        commandIndex = 2
    } else {
        let kinds = PluginKind.allCases.map { "elfstatsm_\($0.rawValue)_" }.joined(separator: ", ")
        FileHandleless.write(2, """
            elfstatsm: the Munin plugins of elfstatsd, run as one of \(kinds)
            (links to this binary; what follows elfstatsm_KIND_ names the data file), or as
              elfstatsm PLUGIN [autoconf|suggest|config|fetch]    e.g. elfstatsm elfstatsm_calls_apache config
              elfstatsm markers                                  the lines munin-node-configure reads
              elfstatsm aggregate --node GROUP;NAME HOST...      the Munin master's aggregate graphs of several hosts
            Munin's magic markers:\(muninMagicMarkers)
            """)
        exit(2)
    }
}
let name = PluginName(programName: programName)!
let command = arguments.count > commandIndex ? arguments[commandIndex] : "fetch"

let environment = currentEnvironment()
let host = PluginHost(
    environment: environment,
    now: Int64(time(nil)),
    loadConfiguration: readConfigurationFile,
    readReport: readReportFile,
    state: environment["MUNIN_PLUGSTATE"].flatMap { $0.isEmpty ? nil : stateFolder($0) })

let output = Plugin(name: name, host: host).run(command)
FileHandleless.write(1, output.standardOutput)
FileHandleless.write(2, output.standardError)
exit(output.exitStatus)
