/// One option of a command: `--config <file>` or the flag `--foreground`.
struct OptionDescription: Equatable, Sendable {
    /// The name after "--": "config".
    var long: String
    /// The letter after "-", when there is one: "c".
    var short: String? = nil
    /// The name of its value in help ("file" shows as `<file>`); nil for a flag, which takes none.
    var valueName: String? = nil
    var help: String
    /// Used when the option is not given, and shown in `--help` as "(default: ...)".
    var defaultValue: String? = nil
    /// What a shell offers after the option.
    var completion: ValueCompletion = .anything

    var isFlag: Bool { valueName == nil }

    /// "-c, --config <file>" (the label of `--help`'s option list).
    var label: String {
        (short.map { "-\($0), " } ?? "") + "--\(long)" + (valueName.map { " <\($0)>" } ?? "")
    }

    /// What the shells complete after an option that takes a value.
    enum ValueCompletion: Equatable, Sendable {
        case anything
        case file
        case user
        case words([String])
    }

    static let version = OptionDescription(long: "version", help: "Show the version.")
    static let help = OptionDescription(long: "help", short: "h", help: "Show help information.")
}
