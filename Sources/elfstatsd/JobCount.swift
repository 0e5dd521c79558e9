/// The value of `once --jobs`: how many threads read one log's backlog, 1 to 64.
///
/// Each job has its own analyzer and read buffer, so the bound keeps a slip of the keyboard
/// (`--jobs 640`) from taking hundreds of them on a web server's host.
struct JobCount {
    static let description = OptionDescription(
        long: "jobs", valueName: "n",
        help: "Threads reading one log's backlog, 1 to 64 (default 1: a web host's cores belong to the web server unless the admin says otherwise). The report is byte-identical to one thread's; memory is up to N times one job's.",
        defaultValue: "1")

    var value: Int

    /// The option's value as given (or its default). `Int(text)` as swift-argument-parser read
    /// it: "+2" is 2; " 2", "2x" and numbers beyond Int are refused as invalid, 0 and 65 as out of range.
    init(_ arguments: ParsedArguments) throws(CommandLineError) {
        let text = arguments.value(of: Self.description) ?? ""
        guard let value = Int(text) else {
            throw .invalidValue(Self.description, spelling: arguments.given(Self.description)?.spelling ?? "--jobs", value: text)
        }
        guard (1...64).contains(value) else { throw .jobCountOutOfRange(value) }
        self.value = value
    }
}
