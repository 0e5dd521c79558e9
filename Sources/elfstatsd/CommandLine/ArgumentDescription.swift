/// A positional argument of a command: `explain`'s `<line>`.
struct ArgumentDescription: Equatable, Sendable {
    /// As `--help` shows it between < and >: "line".
    var name: String
    var help: String
    /// Takes any number of words (`help`'s `<subcommands> ...`), none required.
    var isRepeated = false
}
