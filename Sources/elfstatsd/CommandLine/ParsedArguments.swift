/// The options and arguments given to one subcommand, as words: the command turns them into
/// its own values (and refuses those it cannot use) when it is made from them.
struct ParsedArguments: Equatable, Sendable {
    /// One option as given, by its long name; a flag's value is empty.
    struct Given: Equatable, Sendable {
        var long: String
        /// How it was written ("-c" or "--config"), for a message about its value.
        var spelling: String
        var value: String
    }

    /// In the order given; an option given twice counts with its last value.
    var options: [Given] = []
    /// The words that are neither options nor their values, in order.
    var arguments: [String] = []

    /// The last value given to `option`.
    func given(_ option: OptionDescription) -> Given? {
        options.last { $0.long == option.long }
    }

    /// The value of `option`: its last one given, else its default.
    func value(of option: OptionDescription) -> String? {
        given(option)?.value ?? option.defaultValue
    }

    /// Whether the flag `option` was given.
    func isSet(_ option: OptionDescription) -> Bool {
        given(option) != nil
    }
}
