/// What the words after `elfstatsd` ask for.
enum Invocation: Equatable, Sendable {
    /// `--help`, `-h`, `help [SUBCOMMAND]`, or no words at all: this command's help, on stdout.
    case help(CommandDescription)
    /// `--version`.
    case version
    /// `--generate-completion-script SHELL` (hidden; the package installs its output).
    case completionScript(CompletionScript.Shell)
    /// `--generate-manual [--date YYYY-MM-DD]` (hidden; scripts/generate-docs writes
    /// docs/man/elfstatsd.8 with it).
    case manualPage(ManualPage.Date)
    /// A subcommand with its options and arguments.
    case run(CommandDescription, ParsedArguments)
}
