import Testing
@testable import elfstatsd

/// What users read: the errors name the word at fault and the fix, and the help fits 80 columns.
@Suite struct CommandLineTextTests {
    @Test func anErrorNamesTheProblemTheUsageAndWhereToReadMore() {
        let error = UsageError(problem: .jobCountOutOfRange(0), command: OnceCommand.description)
        #expect(error.text == """
            Error: --jobs must be 1 to 64 (got 0); 1 reads on one thread, more pays only with idle cores.
            Usage: elfstatsd once [--config <file>] [--jobs <n>]
              See 'elfstatsd once --help' for more information.

            """)
        let missing = UsageError(problem: .missingValue(ConfigurationOption.description, spelling: "-c"), command: CheckCommand.description)
        #expect(missing.text.hasPrefix("Error: Missing value for '-c <file>'\nHelp:  -c <file>  The configuration file.\nUsage: elfstatsd check [--config <file>]\n"))
        let subcommand = UsageError(problem: .unknownSubcommand("onec"), command: Elfstatsd.description)
        #expect(subcommand.text.contains("The subcommands are check, explain, once, run"))
        let joined = UsageError(problem: .valueJoinedToShortOption("-cx.conf", ConfigurationOption.description), command: CheckCommand.description)
        #expect(joined.text.hasPrefix("Error: Unknown option '-cx.conf'; to give -c a value, write '-c x.conf'\n"))
    }

    @Test func helpWrapsTo79ColumnsExceptCodeAndKeepsIndentation() {
        for command in Elfstatsd.description.subcommands + [Elfstatsd.description, Elfstatsd.helpCommand] {
            let lines = HelpText(command: command).rendered.split(separator: "\n")
            for line in lines where !line.hasPrefix("    '") && !line.hasPrefix("USAGE:") {
                #expect(line.count <= 80, "\(command.name): \(line)")
            }
        }
        let once = HelpText(command: OnceCommand.description).rendered
        #expect(once.contains("\n  0 when every report was written (even for a missing log); 1 when a report or\n  the saved offsets"))
        #expect(once.contains("""
              --jobs <n>              Threads reading one log's backlog, 1 to 64 (default
                                      1: a web host's cores belong to the web server unless
            """))
        #expect(HelpText(command: Elfstatsd.description).rendered.hasSuffix("""
            SUBCOMMANDS:
              check                   Validate the configuration file and print a short
                                      summary.
              explain                 Show, step by step, how one log line is parsed and
                                      classified.
              once                    Run one round now: read every log from its saved
                                      offset, write the reports, save the offsets.
              run                     Run the daemon: every interval, one report per data
                                      file.

              See 'elfstatsd help <subcommand>' for detailed help.

            """))
    }

    @Test func wrappingBreaksAtSpacesOnly() {
        #expect(TextWrapping.lines("a b c", columns: 4) == ["a b", "c"])
        #expect(TextWrapping.lines("abcdef gh", columns: 4) == ["abcdef", "gh"])
        #expect(TextWrapping.lines("abc", columns: 3) == ["abc"])
    }

    @Test func theManualEscapesWhatGroffWouldRead() {
        #expect(ManualPage.text("a \\ b\n\n.dot\n'quote") == ["a \\e b", ".Pp", "\\&.dot", "\\&'quote"])
        let page = ManualPage(root: Elfstatsd.description, helpCommand: Elfstatsd.helpCommand,
                              date: ManualPage.Date(year: 2026, month: 1, day: 2)).rendered
        #expect(page.contains("\n.Dd January 2, 2026\n"))
        #expect(page.contains("\n.It Fl c , -config Ar file\nThe configuration file.\n"))
        #expect(page.contains("\n.It Em once\n"))
    }
}
