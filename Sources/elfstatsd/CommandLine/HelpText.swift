/// `--help` of a command, laid out as swift-argument-parser laid it out (OVERVIEW, the
/// discussion, USAGE, ARGUMENTS, OPTIONS, SUBCOMMANDS), so that users and scripts see what
/// they saw before.
struct HelpText {
    let command: CommandDescription

    /// Where the second column (an option's help) starts.
    static let helpColumn = 26

    var rendered: String {
        var out = TextWrapping.lines("OVERVIEW: " + command.abstract).joined(separator: "\n") + "\n\n"
        if !command.discussion.isEmpty {
            out += Self.discussion(command.discussion) + "\n\n"
        }
        out += "USAGE: \(command.usage)\n\n"
        if !command.arguments.isEmpty {
            out += "ARGUMENTS:\n"
            for argument in command.arguments {
                out += Self.row("<\(argument.name)>", argument.help)
            }
            out += "\n"
        }
        out += "OPTIONS:\n"
        for option in command.options {
            let help = option.help + (option.defaultValue.map { " (default: \($0))" } ?? "")
            out += Self.row(option.label, help)
        }
        for option in command.builtInOptions {
            out += Self.row(option.label, option.help)
        }
        if command.subcommands.isEmpty { return out + "\n" }
        out += "\nSUBCOMMANDS:\n"
        for subcommand in command.subcommands {
            out += Self.row(subcommand.name, subcommand.abstract)
        }
        return out + "\n  See '\(command.invocation) help <subcommand>' for detailed help.\n"
    }

    /// `label` in the first column, `help` wrapped in the second.
    static func row(_ label: String, _ help: String) -> String {
        let indent = String(repeating: " ", count: helpColumn)
        var first = "  " + label
        if help.isEmpty { return first + "\n" }
        if first.count + 2 > helpColumn {
            first += "\n" + indent
        } else {
            first += String(repeating: " ", count: helpColumn - first.count)
        }
        return first + TextWrapping.lines(help, firstIndent: helpColumn, indent: helpColumn).joined(separator: "\n" + indent) + "\n"
    }

    /// The discussion's lines: one that starts with four spaces or more (code) as written, any
    /// other wrapped with its indentation kept.
    static func discussion(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            let indent = line.prefix { $0 == " " }.count
            if indent >= 4 || line.isEmpty { return String(line) }
            let margin = String(repeating: " ", count: indent)
            return margin + TextWrapping.lines(String(line.dropFirst(indent)), firstIndent: indent, indent: indent)
                .joined(separator: "\n" + margin)
        }.joined(separator: "\n")
    }
}
