/// Reads the words after `elfstatsd` against the command descriptions, with the rules
/// swift-argument-parser applied before, so that every command line that worked still does:
///
/// - `-h`/`--help` anywhere before `--` asks for the help of the subcommand named first (or of
///   `elfstatsd`), even among wrong words; then `--version` anywhere asks for the version.
/// - `--name value`, `--name=value`, `-c value` and `-c=value`; a value may not start with "-"
///   (but may be "-" alone) unless joined with "=". An option given twice keeps its last value.
/// - `--` ends the options: the words after it are arguments.
/// - No words at all, or `help` with no known subcommand after it: `elfstatsd`'s help.
struct CommandLineParser {
    /// `elfstatsd` itself, whose subcommands are the ones known.
    let root: CommandDescription
    /// What `help help` describes.
    let helpCommand: CommandDescription

    func parse(_ words: [String]) throws(UsageError) -> Invocation {
        guard let first = words.first else { return .help(root) }
        if first == "help" { return try parseHelp(words.dropFirst()) }
        let options = words.prefix { $0 != "--" }
        let subcommand = root.subcommand(named: first)
        if options.contains(where: { $0 == "-h" || $0 == "--help" }) { return .help(subcommand ?? root) }
        if options.contains("--version") { return .version }
        guard let subcommand else { return try parseRootOptions(words) }
        do throws(CommandLineError) {
            return .run(subcommand, try parseArguments(words.dropFirst(), of: subcommand))
        } catch {
            throw UsageError(problem: error, command: subcommand)
        }
    }

    /// The options and arguments of `command`, in `words`.
    func parseArguments(_ words: ArraySlice<String>, of command: CommandDescription) throws(CommandLineError) -> ParsedArguments {
        var parsed = ParsedArguments()
        var rest = words[...]
        var afterTerminator = false
        while let word = rest.popFirst() {
            if afterTerminator || word == "-" || !word.hasPrefix("-") {
                parsed.arguments.append(word)
                continue
            }
            if word == "--" {
                afterTerminator = true
                continue
            }
            let equals = word.firstIndex(of: "=")
            let spelling = word[..<(equals ?? word.endIndex)]
            let joined = equals.map { word[word.index(after: $0)...] }
            guard let option = command.option(named: spelling) else {
                throw unknownOption(word, spelling: spelling, of: command)
            }
            if option.isFlag {
                if let joined { throw .valueForFlag(spelling: String(spelling), value: String(joined)) }
                parsed.options.append(.init(long: option.long, spelling: String(spelling), value: ""))
                continue
            }
            let value: String
            if let joined, !joined.isEmpty {
                value = String(joined)
            } else if joined == nil, let next = rest.first, next == "-" || !next.hasPrefix("-") {
                value = next
                rest.removeFirst()
            } else {
                throw .missingValue(option, spelling: String(spelling))
            }
            parsed.options.append(.init(long: option.long, spelling: String(spelling), value: value))
        }
        let expected = command.arguments.contains(where: \.isRepeated) ? parsed.arguments.count : command.arguments.count
        if parsed.arguments.count > expected { throw .unexpectedArgument(parsed.arguments[expected]) }
        if parsed.arguments.count < expected { throw .missingArgument(command.arguments[parsed.arguments.count]) }
        return parsed
    }
}

extension CommandLineParser {
    /// `help [SUBCOMMAND ...]`: the help of the first known subcommand, else `elfstatsd`'s.
    private func parseHelp(_ words: ArraySlice<String>) throws(UsageError) -> Invocation {
        for word in words where word.hasPrefix("-") && word != "-" {
            switch word {
            case "-h", "--help": return .help(root)
            case "--version": return .version
            default:
                let spelling = word[..<(word.firstIndex(of: "=") ?? word.endIndex)]
                throw UsageError(problem: unknownOption(word, spelling: spelling, of: helpCommand), command: helpCommand)
            }
        }
        guard let name = words.first else { return .help(root) }
        if name == helpCommand.name { return .help(helpCommand) }
        return .help(root.subcommand(named: name) ?? root)
    }

    /// Words before any subcommand: the hidden options for packaging, or a mistake.
    private func parseRootOptions(_ words: [String]) throws(UsageError) -> Invocation {
        let first = words[0]
        let equals = first.firstIndex(of: "=")
        let spelling = first[..<(equals ?? first.endIndex)]
        let joined = equals.map { String(first[first.index(after: $0)...]) }
        let values = (joined.map { [$0] } ?? []) + words.dropFirst()
        do throws(CommandLineError) {
            switch spelling {
            case "--generate-completion-script":
                guard let name = values.first, !name.isEmpty else {
                    throw CommandLineError.missingValue(CompletionScript.option, spelling: String(spelling))
                }
                guard let shell = CompletionScript.Shell(rawValue: name) else { throw CommandLineError.unknownShell(name) }
                if values.count > 1 { throw CommandLineError.unexpectedArgument(values[1]) }
                return .completionScript(shell)
            case "--generate-manual":
                return .manualPage(try manualDate(values[...]))
            default:
                if first.hasPrefix("-") && first != "-" { throw unknownOption(first, spelling: spelling, of: root) }
                throw CommandLineError.unknownSubcommand(first)
            }
        } catch {
            throw UsageError(problem: error, command: root)
        }
    }

    /// `[--date YYYY-MM-DD]` after `--generate-manual`; today (UTC) without it.
    private func manualDate(_ words: ArraySlice<String>) throws(CommandLineError) -> ManualPage.Date {
        let dateOption = ManualPage.dateOption
        let parsed = try parseArguments(words, of: CommandDescription(name: "--generate-manual", abstract: "", discussion: "", options: [dateOption]))
        guard let text = parsed.value(of: dateOption) else { return ManualPage.Date.today() }
        guard let date = ManualPage.Date(iso: text) else {
            throw .invalidValue(dateOption, spelling: "--date", value: text)
        }
        return date
    }

    /// The error for `word`, an option `command` does not take, with a suggestion when a known
    /// long option is spelled within two edits of it (`--Config`, `--job`).
    private func unknownOption(_ word: String, spelling: Substring, of command: CommandDescription) -> CommandLineError {
        if spelling.count > 2, !spelling.hasPrefix("--"), let option = command.option(named: spelling.prefix(2)), !option.isFlag {
            return .valueJoinedToShortOption(word, option)
        }
        guard spelling.hasPrefix("--") else { return .unknownOption(String(spelling), suggestion: nil) }
        let candidates = (command.options + command.builtInOptions).map { "--" + $0.long }
        let nearest = candidates.map { (name: $0, distance: editDistance(Array(spelling.utf8), Array($0.utf8))) }.min { $0.distance < $1.distance }
        return .unknownOption(String(spelling), suggestion: nearest.flatMap { $0.distance <= 2 ? $0.name : nil })
    }
}

/// Levenshtein distance: insertions, deletions and substitutions that turn `a` into `b`.
private func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
    var previous = Array(0...b.count)
    for (i, x) in a.enumerated() {
        var current = [i + 1]
        for (j, y) in b.enumerated() {
            current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1)))
        }
        previous = current
    }
    return previous[b.count]
}
