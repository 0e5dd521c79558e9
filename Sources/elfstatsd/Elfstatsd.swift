import ArgumentParser
import ElfstatsCore

/// The `elfstatsd` command: the daemon and the tools around it.
@main
struct Elfstatsd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "elfstatsd",
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
        version: elfstatsVersion,
        subcommands: [CheckCommand.self, ExplainCommand.self, OnceCommand.self, RunCommand.self]
    )
}
