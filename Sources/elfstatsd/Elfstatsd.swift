import ElfstatsCore
import ElfstatsRuntime

/// The `elfstatsd` command: the daemon and the tools around it.
///
/// Its command line is read by CommandLineParser from the descriptions below and in each
/// command, not by swift-argument-parser: see CommandDescription for the measured reason.
@main
enum Elfstatsd {
    static let description = CommandDescription(
        name: "elfstatsd",
        abstract: "Turn web-server access logs into per-interval statistics reports for Munin.",
        discussion: """
            elfstatsd follows the access logs of Apache, Tomcat, Varnish and nginx, parses each line \
            by the LogFormat copied from the web server's configuration, sorts the requests into \
            group/method by regular expressions (PCRE2), and every interval writes one report per log: \
            calls, stalled calls, latency min/avg/max/percentiles, response codes, record statuses and \
            extracted patterns. The elfstatsm_* Munin plugins draw graphs from those reports.

            The configuration file (TOML) is /etc/elfstatsd/elfstatsd.conf unless --config says otherwise; \
            every setting is described in elfstatsd.conf(5) and in the sample shipped with elfstatsd.

            EXIT STATUS
              0 on success; 1 when the configuration is invalid or a command failed; 64 on a usage error.
            """,
        subcommands: [CheckCommand.description, ExplainCommand.description, OnceCommand.description, RunCommand.description]
    )

    /// `elfstatsd help [SUBCOMMAND]`, as `help help` and the manual describe it.
    static let helpCommand = CommandDescription(
        name: "help",
        abstract: "Show subcommand help information.",
        discussion: "",
        arguments: [ArgumentDescription(name: "subcommands", help: "", isRepeated: true)],
        builtInOptions: [.version]
    )

    static func main() {
        let parser = CommandLineParser(root: description, helpCommand: helpCommand)
        let invocation: Invocation
        do {
            invocation = try parser.parse(Array(CommandLine.arguments.dropFirst()))
        } catch {
            writeToStandardError(error.text)
            exit(64)
        }
        switch invocation {
        case .help(let command):
            print(HelpText(command: command).rendered, terminator: "")
        case .version:
            print(elfstatsVersion)
        case .completionScript(let shell):
            print(CompletionScript(root: description, helpCommand: helpCommand).rendered(for: shell), terminator: "")
        case .manualPage(let date):
            print(ManualPage(root: description, helpCommand: helpCommand, date: date).rendered, terminator: "")
        case .run(let command, let arguments):
            exit(run(command, arguments))
        }
    }

    /// Runs the subcommand `command` and gives its exit status: 64 for a value it refuses
    /// (with its usage, as for any usage error), 1 for an error that has no status of its own.
    static func run(_ command: CommandDescription, _ arguments: ParsedArguments) -> Int32 {
        let run: () throws -> Void
        do throws(CommandLineError) {
            switch command.name {
            case CheckCommand.description.name: run = CheckCommand(arguments).run
            case ExplainCommand.description.name: run = ExplainCommand(arguments).run
            case OnceCommand.description.name: run = try OnceCommand(arguments).run
            case RunCommand.description.name: run = RunCommand(arguments).run
            default: preconditionFailure("CommandLineParser returned a subcommand without a case here: \(command.name)")
            }
        } catch {
            writeToStandardError(UsageError(problem: error, command: command).text)
            return 64
        }
        do {
            try run()
        } catch let status as ExitStatus {
            return status.code
        } catch {
            printError("Error: \(error)")
            return 1
        }
        return 0
    }
}
