/// What one command is and what it takes, written once and read by the parser, `--help`, the
/// manual page (`--generate-manual`) and the shell completions, so that they cannot disagree.
///
/// elfstatsd describes its commands itself instead of through swift-argument-parser: that
/// library cost 8.5 million instructions at every start (callgrind, `once` on an empty log: its
/// completion-script check alone 4.9 million, with no public way to skip it, plus run-time
/// protocol-conformance scans and demangling for its reflection), which is 85 instructions per
/// line of the 100,000-line benchmark, and `once` is started by cron on every web host.
struct CommandDescription: Equatable, Sendable {
    /// The word that selects it: "check"; "elfstatsd" for the command itself.
    var name: String
    /// One sentence: the first line of `--help`, the manual's NAME, the completions' hint.
    var abstract: String
    /// Paragraphs separated by an empty line. `--help` wraps each line to 80 columns, keeping
    /// its indentation, except a line indented by four spaces or more: code in an example,
    /// where a line break would change the command. The manual page keeps the lines as they
    /// are, for groff to fill.
    var discussion: String
    /// In the order `--help` and the manual list them; `--version` and `--help` are added there.
    var options: [OptionDescription] = []
    var arguments: [ArgumentDescription] = []
    /// The commands under this one (only `elfstatsd` itself has any).
    var subcommands: [CommandDescription] = []
    /// Answered wherever they appear: listed after `options` by `--help` and the manual.
    var builtInOptions: [OptionDescription] = [.version, .help]

    /// The words that run it: "elfstatsd once"; "elfstatsd" for the command with subcommands.
    var invocation: String { subcommands.isEmpty ? "elfstatsd \(name)" : name }

    /// The subcommand called `name`.
    func subcommand(named name: String) -> CommandDescription? {
        subcommands.first { $0.name == name }
    }

    /// The option called `--name` or `-name` (a single letter), if the command takes it.
    func option(named name: Substring) -> OptionDescription? {
        if name.hasPrefix("--") {
            let long = name.dropFirst(2)
            return options.first { $0.long == long }
        }
        let short = name.dropFirst()
        return options.first { $0.short.map { short == $0 } ?? false }
    }

    /// "elfstatsd once [--config <file>] [--jobs <n>]": how to call it, for `--help` and errors.
    var usage: String {
        var words = [invocation]
        if !subcommands.isEmpty { words.append("<subcommand>") }
        for option in options {
            words.append("[--\(option.long)\(option.valueName.map { " <\($0)>" } ?? "")]")
        }
        for argument in arguments {
            words.append(argument.isRepeated ? "[<\(argument.name)> ...]" : "<\(argument.name)>")
        }
        return words.joined(separator: " ")
    }
}
