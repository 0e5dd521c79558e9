import ArgumentParser

/// The value of `once --jobs`: how many threads read one log's backlog.
///
/// Its own type rather than `Int` for the cost of every run: ArgumentParser describes an
/// option's default with `"\(value)"`, which for an `Int` looks up, at run time, whether `Int`
/// conforms to `TextOutputStreamable` and `CustomStringConvertible`; each first look-up scans all
/// 3,700 protocol conformances of the static binary. Describing the default here saves 0.30
/// million instructions per run of the static build, 0.34 million of the dynamic one (callgrind,
/// `once` on an empty log). Parsing is `Int`'s, so values, help and messages stay the same.
struct JobCount: ExpressibleByArgument, Equatable {
    var value: Int

    init(_ value: Int) {
        self.value = value
    }

    init?(argument: String) {
        guard let value = Int(argument) else { return nil }
        self.value = value
    }

    var defaultValueDescription: String { String(value) }
}
