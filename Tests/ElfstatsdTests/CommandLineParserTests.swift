import Testing
@testable import elfstatsd

/// The command line as swift-argument-parser read it before (the cases were run against the
/// old binary), and the cases of its errors.
@Suite struct CommandLineParserTests {
    let parser = CommandLineParser(root: Elfstatsd.description, helpCommand: Elfstatsd.helpCommand)

    func invocation(_ words: String...) throws -> Invocation {
        try parser.parse(words)
    }

    func problem(_ words: String...) -> CommandLineError? {
        do {
            _ = try parser.parse(words)
            return nil
        } catch {
            return error.problem
        }
    }

    /// The subcommand's parsed arguments, or nil when the words ask for something else.
    func arguments(_ words: String...) throws -> ParsedArguments? {
        guard case .run(_, let arguments) = try parser.parse(words) else { return nil }
        return arguments
    }

    var once: CommandDescription { OnceCommand.description }

    @Test func helpIsAnsweredForTheSubcommandNamedFirstWhereverItIsAsked() throws {
        #expect(try invocation() == .help(Elfstatsd.description))
        #expect(try invocation("--help") == .help(Elfstatsd.description))
        #expect(try invocation("-h", "once") == .help(Elfstatsd.description))
        #expect(try invocation("once", "--help") == .help(once))
        #expect(try invocation("once", "--jobs", "0", "-h") == .help(once))
        #expect(try invocation("once", "--bogus", "--help") == .help(once))
        #expect(try invocation("help") == .help(Elfstatsd.description))
        #expect(try invocation("help", "run") == .help(RunCommand.description))
        #expect(try invocation("help", "bogus") == .help(Elfstatsd.description))
        #expect(try invocation("help", "help") == .help(Elfstatsd.helpCommand))
        #expect(try invocation("help", "-h") == .help(Elfstatsd.description))
        #expect(problem("help", "once", "--bogus") == .unknownOption("--bogus", suggestion: nil))
    }

    @Test func versionIsAnsweredAnywhereButHelpComesFirst() throws {
        #expect(try invocation("--version") == .version)
        #expect(try invocation("once", "--version", "--bogus") == .version)
        #expect(try invocation("--version", "--help") == .help(Elfstatsd.description))
        // After "--" both are words like any other: explain's line.
        #expect(try arguments("explain", "--", "--help")?.arguments == ["--help"])
    }

    @Test func optionValuesAreTakenInEveryFormTheOldParserTook() throws {
        let config = ConfigurationOption.description
        for words in [["--config", "a.conf"], ["--config=a.conf"], ["-c", "a.conf"], ["-c=a.conf"]] {
            #expect(try parser.parse(["check"] + words) == .run(CheckCommand.description,
                ParsedArguments(options: [.init(long: "config", spelling: String(words[0].prefix { $0 != "=" }), value: "a.conf")])))
        }
        // The last of two values counts; without one, the default.
        #expect(try arguments("check", "--config", "a", "--config=b")?.value(of: config) == "b")
        #expect(try arguments("check")?.value(of: config) == "/etc/elfstatsd/elfstatsd.conf")
        // "-" and the empty word are values; "--jobs=-1" too (and then out of range).
        #expect(try arguments("check", "--config", "-")?.value(of: config) == "-")
        #expect(try arguments("check", "--config", "")?.value(of: config) == "")
        #expect(try arguments("once", "--jobs=-1")?.value(of: JobCount.description) == "-1")
        #expect(try arguments("run", "--foreground", "--foreground")?.isSet(RunCommand.foregroundOption) == true)
        #expect(try arguments("run")?.isSet(RunCommand.foregroundOption) == false)
        #expect(try arguments("explain", "x", "-c", "a")?.arguments == ["x"])
        #expect(try arguments("explain", "-")?.arguments == ["-"])
    }

    @Test func eachMistakeIsItsOwnCase() {
        let config = ConfigurationOption.description
        #expect(problem("--bogus") == .unknownOption("--bogus", suggestion: nil))
        #expect(problem("--config", "x", "once") == .unknownOption("--config", suggestion: nil))
        #expect(problem("bogus") == .unknownSubcommand("bogus"))
        #expect(problem("once", "-x") == .unknownOption("-x", suggestion: nil))
        #expect(problem("once", "--Config", "x") == .unknownOption("--Config", suggestion: "--config"))
        #expect(problem("once", "--job", "2") == .unknownOption("--job", suggestion: "--jobs"))
        #expect(problem("once", "--foreground") == .unknownOption("--foreground", suggestion: nil))
        #expect(problem("check", "extra") == .unexpectedArgument("extra"))
        #expect(problem("check", "--", "extra") == .unexpectedArgument("extra"))
        #expect(problem("check", "extra", "--bogus") == .unknownOption("--bogus", suggestion: nil))
        #expect(problem("explain", "a", "b") == .unexpectedArgument("b"))
        #expect(problem("explain") == .missingArgument(ExplainCommand.description.arguments[0]))
        #expect(problem("once", "--config") == .missingValue(config, spelling: "--config"))
        #expect(problem("once", "-c") == .missingValue(config, spelling: "-c"))
        #expect(problem("once", "--config", "--jobs", "2") == .missingValue(config, spelling: "--config"))
        #expect(problem("check", "--config=") == .missingValue(config, spelling: "--config"))
        #expect(problem("once", "--jobs", "-1") == .missingValue(JobCount.description, spelling: "--jobs"))
        #expect(problem("run", "--foreground=yes") == .valueForFlag(spelling: "--foreground", value: "yes"))
        #expect(problem("check", "-cfile.conf") == .valueJoinedToShortOption("-cfile.conf", config))
        #expect(problem("--generate-completion-script", "ksh") == .unknownShell("ksh"))
        #expect(problem("--generate-manual", "--date", "2026-13-01") == .invalidValue(ManualPage.dateOption, spelling: "--date", value: "2026-13-01"))
    }

    @Test func jobCountIsIntsParsingThenOneTo64() throws {
        func jobs(_ text: String) throws(CommandLineError) -> Int {
            try JobCount(ParsedArguments(options: [.init(long: "jobs", spelling: "--jobs", value: text)])).value
        }
        #expect(try jobs("1") == 1)
        #expect(try jobs("+2") == 2)
        #expect(try jobs("64") == 64)
        #expect(try JobCount(ParsedArguments()).value == 1)
        #expect(throws: CommandLineError.jobCountOutOfRange(0)) { try jobs("0") }
        #expect(throws: CommandLineError.jobCountOutOfRange(65)) { try jobs("65") }
        #expect(throws: CommandLineError.jobCountOutOfRange(-1)) { try jobs("-1") }
        for bad in ["x", " 2", "2x", "", "99999999999999999999"] {
            #expect(throws: CommandLineError.invalidValue(JobCount.description, spelling: "--jobs", value: bad)) { try jobs(bad) }
        }
    }

    @Test func hiddenPackagingOptions() throws {
        #expect(try invocation("--generate-completion-script", "fish") == .completionScript(.fish))
        #expect(try invocation("--generate-completion-script=zsh") == .completionScript(.zsh))
        #expect(try invocation("--generate-manual", "--date", "2026-11-30") == .manualPage(ManualPage.Date(year: 2026, month: 11, day: 30)))
        #expect(ManualPage.Date(year: 2026, month: 11, day: 30).mdoc == "November 30, 2026")
        #expect(ManualPage.Date(iso: "2026-1-30") == nil)
    }
}
