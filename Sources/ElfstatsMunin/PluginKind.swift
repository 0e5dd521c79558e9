/// The six plugins of elfstats-munin. One binary serves them all; the name it is started under
/// (`elfstatsm_<kind>_<instance>`) says which.
public enum PluginKind: String, CaseIterable, Sendable {
    case calls
    case responseTimes = "response_times"
    case percentiles
    case responseCodes = "response_codes"
    case totalRecords = "total_records"
    case patterns

    /// The plugin's file name without instance: `elfstatsm_calls`.
    public var pluginName: String { "elfstatsm_" + rawValue }

    /// Munin category when `env.category` is not set; the original plugins' defaults.
    public var defaultCategory: String {
        switch self {
        case .calls: "elfstats_calls"
        case .responseTimes: "elfstats_resp_times"
        case .percentiles: "elfstats_percent"
        case .responseCodes: "elfstats_resp_codes"
        case .totalRecords: "elfstats_total_records"
        case .patterns: "elfstats_patterns"
        }
    }

    /// Id of the "no data available" graph; the original plugins' names, so existing RRDs carry on.
    var noDataGraphID: String {
        switch self {
        case .percentiles: "elfstats_percentile_no_data"
        default: "elfstats_\(rawValue)_no_data"
        }
    }

    /// Title of the "no data available" graph.
    var noDataTitle: String {
        switch self {
        case .calls: "Calls - no data available"
        case .responseTimes: "Response times - no data available"
        case .percentiles: "Percentiles - no data available"
        case .responseCodes: "Response codes - no data available"
        case .totalRecords: "Total records - no data available"
        case .patterns: "Patterns - no data available"
        }
    }
}
