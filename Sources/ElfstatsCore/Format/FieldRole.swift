/// What elfstatsd does with a field of a log line. Most fields are only skipped over; four carry
/// what a report is made of.
public enum FieldRole: Sendable, Equatable {
    /// The request time: Apache `%t` (`[08/Aug/2013:10:59:59 +0200]`), nginx `$time_local`
    /// or `$time_iso8601`.
    case time
    /// The request line (`GET /path?query HTTP/1.1`): Apache `%r`, nginx `$request`.
    case requestLine
    /// Only the path and query: Apache `%U`, nginx `$request_uri`; used when there is no request line.
    case requestURI
    /// The response status: Apache `%>s`/`%s`, nginx `$status`.
    case status
    /// The time taken to serve the request, in the given unit for integer values; a value with
    /// a decimal point is always seconds.
    case latency(LatencyUnit)
    /// Anything else: parsed over, shown by `explain`, not counted.
    case other
}

/// The unit of an integer latency value.
public enum LatencyUnit: Sendable, Equatable {
    case microseconds, milliseconds, seconds

    /// Name for `explain` and messages.
    public var name: String {
        switch self {
        case .microseconds: return "µs"
        case .milliseconds: return "ms"
        case .seconds: return "s"
        }
    }
}
