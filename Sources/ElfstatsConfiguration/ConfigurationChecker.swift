/// Compiles what the configuration holds as text in another language: regexes and log formats.
///
/// The configuration module cannot compile them itself: that takes PCRE2 and the LogFormat
/// compiler, which live in ElfstatsCore and which the Munin plugins (reading only names and
/// paths) should not link. So the loader asks a checker at the very place it reads each regex
/// or format, and the problem is reported with that line, in file order, exactly as if the
/// loader had compiled it. The daemon passes ElfstatsCore's `CompilingChecker`; without a
/// checker, regexes and formats are taken as written.
public protocol ConfigurationChecker {
    /// What is wrong with `pattern` (a PCRE2 regex), or nil when it compiles and, if
    /// `requiredGroup` is given, has a named group of that name.
    func problem(withRegex pattern: String, requiredGroup: String?) -> String?
    /// What is wrong with the log format, or nil when it compiles (with `latencyField`, when
    /// given, as the field that holds the latency).
    func problem(withLogFormat format: String, latencyField: String?) -> String?
}
