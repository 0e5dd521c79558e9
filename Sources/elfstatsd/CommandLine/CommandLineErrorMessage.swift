/// The wording of command-line errors: each names the word at fault and, with the usage line
/// printed after it, the fix.
extension CommandLineError {
    /// The sentence after "Error: ".
    var message: String {
        switch self {
        case .unknownOption(let word, let suggestion?):
            return "Unknown option '\(word)'. Did you mean '\(suggestion)'?"
        case .unknownOption(let word, nil):
            return "Unknown option '\(word)'"
        case .unknownSubcommand(let word):
            return "Unknown subcommand '\(word)'"
        case .unexpectedArgument(let word):
            return "Unexpected argument '\(word)'"
        case .missingValue(let option, let spelling):
            return "Missing value for '\(spelling) <\(option.valueName ?? "")>'"
        case .valueForFlag(let spelling, let value):
            return "The option '\(spelling)' does not take any value, but '\(value)' was specified."
        case .valueJoinedToShortOption(let word, let option):
            let short = "-\(option.short ?? "")"
            return "Unknown option '\(word)'; to give \(short) a value, write '\(short) \(word.dropFirst(2))'"
        case .invalidValue(let option, let spelling, let value):
            return "The value '\(value)' is invalid for '\(spelling) <\(option.valueName ?? "")>'"
        case .missingArgument(let argument):
            return "Missing expected argument '<\(argument.name)>'"
        case .jobCountOutOfRange(let jobs):
            return "--jobs must be 1 to 64 (got \(jobs)); 1 reads on one thread, more pays only with idle cores."
        case .unknownShell(let name):
            return "No completion script for '\(name)'; give --generate-completion-script one of: \(CompletionScript.Shell.allCases.map(\.rawValue).joined(separator: ", "))"
        }
    }

    /// "Help:  --jobs <n>  Threads reading ...", when the error is about one option or argument.
    var helpLine: String? {
        switch self {
        case .missingValue(let option, let spelling), .invalidValue(let option, let spelling, _):
            return "Help:  \(spelling) <\(option.valueName ?? "")>  \(option.help)"
        case .missingArgument(let argument):
            return "Help:  <\(argument.name)>  \(argument.help)"
        default:
            return nil
        }
    }
}

extension UsageError {
    /// What stderr shows: the error, the option's help if it concerns one, the usage line and
    /// where to read more.
    var text: String {
        var lines = ["Error: \(problem.message)"]
        if let help = problem.helpLine { lines.append(help) }
        lines.append("Usage: \(command.usage)")
        if case .unknownSubcommand = problem {
            lines.append("  The subcommands are \(command.subcommands.map(\.name).joined(separator: ", ")); see 'elfstatsd --help'.")
        } else {
            // `help` has no --help of its own: `elfstatsd help --help` is elfstatsd's help.
            let helpful = command.builtInOptions.contains(.help) ? command.invocation : "elfstatsd"
            lines.append("  See '\(helpful) --help' for more information.")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
