/// What can be wrong with the words of a command line. The wording is in
/// CommandLineErrorMessage.swift, so that tests compare cases, not sentences.
enum CommandLineError: Error, Equatable, Sendable {
    /// `--bogus` or `-x`; `suggestion` is a known option spelled nearly the same.
    case unknownOption(String, suggestion: String?)
    /// `elfstatsd bogus`: the first word names no subcommand.
    case unknownSubcommand(String)
    /// A word the command has no place for (`check extra`, a second line for `explain`).
    case unexpectedArgument(String)
    /// `--config` last, followed by another option, or with an empty `=`.
    case missingValue(OptionDescription, spelling: String)
    /// `--foreground=yes`: a flag takes no value.
    case valueForFlag(spelling: String, value: String)
    /// `-cFILE`: a short option's value must be the next word (or follow "=").
    case valueJoinedToShortOption(String, OptionDescription)
    /// A value the option cannot take: `--jobs x`.
    case invalidValue(OptionDescription, spelling: String, value: String)
    /// `explain` without its line.
    case missingArgument(ArgumentDescription)
    /// `once --jobs` outside 1...64.
    case jobCountOutOfRange(Int)
    /// `--generate-completion-script` for a shell there is no script for.
    case unknownShell(String)
}

/// A command line that cannot be run: what is wrong, and the command whose usage tells the fix.
/// Exits with status 64 (EX_USAGE), as swift-argument-parser did before it.
struct UsageError: Error, Equatable, Sendable {
    var problem: CommandLineError
    var command: CommandDescription
}
