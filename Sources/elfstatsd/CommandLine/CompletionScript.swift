/// The bash, zsh and fish completions of elfstatsd's command line, made from the command
/// descriptions (the package installs them: rpm/elfstatsd.spec). Each completes the
/// subcommands, their options, and the values the system can list: files after `--config`,
/// users after `--user`, the words `--capabilities` takes.
struct CompletionScript {
    enum Shell: String, CaseIterable, Sendable {
        case bash, zsh, fish
    }

    /// `--generate-completion-script <shell>`, hidden: for packaging.
    static let option = OptionDescription(long: "generate-completion-script", valueName: "shell", help: "Print the completion script for bash, zsh or fish.")

    let root: CommandDescription
    /// Completed after the subcommands, with their names as its arguments.
    let helpCommand: CommandDescription

    func rendered(for shell: Shell) -> String {
        switch shell {
        case .bash: return bash
        case .zsh: return zsh
        case .fish: return fish
        }
    }

    private var subcommandNames: String { root.subcommands.map(\.name).joined(separator: " ") }

    // MARK: bash

    private var bash: String {
        var script = """
            # bash completion for elfstatsd (written by elfstatsd --generate-completion-script bash)
            _elfstatsd() {
                local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} command= words i
                for ((i = 1; i < COMP_CWORD; i++)); do
                    case ${COMP_WORDS[i]} in -*) ;; *) command=${COMP_WORDS[i]}; break ;; esac
                done
                case $command in
                '') words='\(subcommandNames) \(helpCommand.name) \(Self.bashWords(root.builtInOptions))' ;;

            """
        for command in root.subcommands {
            script += "    \(command.name))\n"
            let valued = command.options.filter { !$0.isFlag }
            if !valued.isEmpty {
                script += "        case $prev in\n"
                for option in valued {
                    script += "        \(Self.bashWords([option]).replacingEvery(" ", with: "|"))) \(Self.bashValues(option.completion)); return ;;\n"
                }
                script += "        esac\n"
            }
            script += "        words='\(Self.bashWords(command.options + command.builtInOptions))' ;;\n"
        }
        script += """
                \(helpCommand.name)) words='\(subcommandNames)' ;;
                *) return ;;
                esac
                COMPREPLY=($(compgen -W "$words" -- "$cur"))
            }
            complete -F _elfstatsd elfstatsd

            """
        return script
    }

    /// "-c --config --version -h --help".
    private static func bashWords(_ options: [OptionDescription]) -> String {
        options.map { (($0.short.map { "-\($0) " }) ?? "") + "--\($0.long)" }.joined(separator: " ")
    }

    private static func bashValues(_ completion: OptionDescription.ValueCompletion) -> String {
        switch completion {
        case .anything: return "COMPREPLY=()"
        case .file: return #"compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur"))"#
        case .user: return #"COMPREPLY=($(compgen -u -- "$cur"))"#
        case .words(let words): return #"COMPREPLY=($(compgen -W '\#(words.joined(separator: " "))' -- "$cur"))"#
        }
    }

    // MARK: zsh

    private var zsh: String {
        let subcommands = (root.subcommands + [helpCommand]).map { "            '\(Self.zshQuoted("\($0.name):\($0.abstract)"))'" }
        var script = """
            #compdef elfstatsd
            # zsh completion for elfstatsd (written by elfstatsd --generate-completion-script zsh)
            _elfstatsd() {
                local context state state_descr line
                local -A opt_args
                local -i ret=1
                _arguments -w -s -S : \\
            \(root.builtInOptions.map { "        \(Self.zshSpec($0)) \\" }.joined(separator: "\n"))
                    '(-): :->command' '(-)*:: :->arg' && ret=0
                case $state in
                command)
                    local -a subcommands=(
            \(subcommands.joined(separator: "\n"))
                    )
                    _describe -V subcommand subcommands && ret=0 ;;
                arg)
                    case ${words[1]} in

            """
        for command in root.subcommands {
            let specs = command.options.map(Self.zshSpec) + command.arguments.map { "':\($0.name):'" }
                + command.builtInOptions.map(Self.zshSpec)
            script += "        \(command.name)) _arguments -w -s -S : \\\n"
            script += specs.map { "            \($0)" }.joined(separator: " \\\n") + " && ret=0 ;;\n"
        }
        script += """
                    \(helpCommand.name)) _arguments -w -s -S : '*:subcommands:(\(subcommandNames))' && ret=0 ;;
                    esac ;;
                esac
                return ret
            }

            if [[ "${funcstack[1]}" = _elfstatsd ]]; then
                _elfstatsd "$@"
            else
                compdef _elfstatsd elfstatsd
            fi

            """
        return script
    }

    /// `'(-c --config)'{-c,--config}'[The configuration file.]:file:_files'`.
    private static func zshSpec(_ option: OptionDescription) -> String {
        var spec = "[" + zshQuoted(option.help).replacingEvery(":", with: "\\:").replacingEvery("]", with: "\\]") + "]"
        if let valueName = option.valueName {
            switch option.completion {
            case .anything: spec += ":\(valueName):"
            case .file: spec += ":\(valueName):_files"
            case .user: spec += ":\(valueName):_users"
            case .words(let words): spec += ":\(valueName):(\(words.joined(separator: " ")))"
            }
        }
        guard let short = option.short else { return "'--\(option.long)\(spec)'" }
        return "'(-\(short) --\(option.long))'{-\(short),--\(option.long)}'\(spec)'"
    }

    /// Text inside single quotes.
    private static func zshQuoted(_ text: String) -> String { text.replacingEvery("'", with: #"'\''"#) }

    // MARK: fish

    private var fish: String {
        var lines = [
            "# fish completion for elfstatsd (written by elfstatsd --generate-completion-script fish)",
            "complete -c elfstatsd -f",
        ]
        for option in root.builtInOptions {
            lines.append("complete -c elfstatsd -n __fish_use_subcommand\(Self.fishOption(option))")
        }
        for command in root.subcommands + [helpCommand] {
            lines.append("complete -c elfstatsd -n __fish_use_subcommand -a \(command.name) -d '\(Self.fishQuoted(command.abstract))'")
        }
        for command in root.subcommands {
            for option in command.options + command.builtInOptions {
                lines.append("complete -c elfstatsd -n '__fish_seen_subcommand_from \(command.name)'\(Self.fishOption(option))")
            }
        }
        lines.append("complete -c elfstatsd -n '__fish_seen_subcommand_from \(helpCommand.name)' -a '\(subcommandNames)'")
        return lines.joined(separator: "\n") + "\n"
    }

    /// " -s c -l config -r -F -d 'The configuration file.'".
    private static func fishOption(_ option: OptionDescription) -> String {
        var words = (option.short.map { " -s \($0)" } ?? "") + " -l \(option.long)"
        if option.valueName != nil {
            switch option.completion {
            case .anything: words += " -x"
            case .file: words += " -r -F"
            case .user: words += " -x -a '(__fish_complete_users)'"
            case .words(let values): words += " -x -a '\(values.joined(separator: " "))'"
            }
        }
        return words + " -d '\(fishQuoted(option.help))'"
    }

    /// Text inside fish's single quotes, where \ and ' are escaped.
    private static func fishQuoted(_ text: String) -> String {
        text.replacingEvery("\\", with: #"\\"#).replacingEvery("'", with: #"\'"#)
    }
}
