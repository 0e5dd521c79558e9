import ElfstatsCore

/// The daemon's metrics: counters that add up the reports, and gauges of the last round.
///
/// Counters start at zero when the daemon starts (they are not saved with the offsets);
/// Prometheus's `rate()` and `increase()` treat the drop as a counter reset. Every round adds
/// what its report holds, so the sum of the reports written since the start is the counter.
/// A method whose section leaves the report (the registry dropped it) is forgotten with its
/// series, so the number of series is bounded by the reports', i.e. by `max_methods`.
public struct ElfstatsMetrics: Sendable {
    public let version: String
    /// When the daemon started, seconds since the epoch: `process_start_time_seconds`, which
    /// tells a counter reset by a restart from a scrape gone missing.
    public let startTime: Int64
    private var dataFiles: [String: DataFileSeries] = [:]

    public init(version: String, startTime: Int64, dataFiles: [String]) {
        self.version = version
        self.startTime = startTime
        keepOnly(dataFiles: dataFiles)
    }

    /// The data files of the configuration in force: new ones start with zero counters (so the
    /// first round after a start counts in `increase()`), removed ones are forgotten.
    public mutating func keepOnly(dataFiles names: [String]) {
        let wanted = Set(names)
        dataFiles = dataFiles.filter { wanted.contains($0.key) }
        for name in names where dataFiles[name] == nil { dataFiles[name] = DataFileSeries() }
    }

    /// Adds a round's report of one data file.
    public mutating func add(_ observation: RoundObservation) {
        dataFiles[observation.dataFile, default: DataFileSeries()].add(observation)
    }

    /// Series (sample lines) the next body will have.
    public var sampleCount: Int {
        2 + dataFiles.values.reduce(0) { $0 + $1.sampleCount }
    }

    /// The whole body of a scrape.
    public func rendered(as format: ExpositionFormat) -> String {
        var writer = ExpositionWriter(format: format)
        let files = dataFiles.keys.sorted().map { ($0, dataFiles[$0]!) }

        writer.family("elfstatsd_build_info", .gauge, help: "The running elfstatsd's version; always 1.")
        writer.sample("elfstatsd_build_info", [("version", version)], .integer(1))
        writer.family("process_start_time_seconds", .gauge, help: "When the daemon started, seconds since the epoch; counters start from zero then.", unit: "seconds")
        writer.sample("process_start_time_seconds", [], .integer(Int(startTime)))

        writer.family("elfstatsd_last_round_timestamp_seconds", .gauge, help: "Start of the last round whose report was written, seconds since the epoch (the report's daemon_invoked).", unit: "seconds")
        for (name, file) in files {
            if let round = file.lastRound { writer.sample("elfstatsd_last_round_timestamp_seconds", [("data_file", name)], .integer(Int(round))) }
        }

        writer.family("elfstatsd_records_total", .counter, help: "Log records read, by how they were classified: parsed, skipped or error (the reports' [records]).")
        for (name, file) in files {
            for (status, count) in [("error", file.records.error), ("parsed", file.records.parsed), ("skipped", file.records.skipped)] {
                writer.sample("elfstatsd_records_total", [("data_file", name), ("status", status)], .integer(count))
            }
        }

        writer.family("elfstatsd_requests_total", .counter, help: "Calls per method (the reports' calls).")
        for (name, file) in files {
            for method in file.sortedMethods {
                writer.sample("elfstatsd_requests_total", method.labels(name), .integer(method.requests))
            }
        }

        writer.family("elfstatsd_stalled_requests_total", .counter, help: "Calls slower than stalled_call_threshold per method (the reports' stalled_calls).")
        for (name, file) in files {
            for method in file.sortedMethods {
                writer.sample("elfstatsd_stalled_requests_total", method.labels(name), .integer(method.stalled))
            }
        }

        writer.family("elfstatsd_responses_total", .counter, help: "Calls per method and response code (the reports' rcNNN of each method).")
        for (name, file) in files {
            for method in file.sortedMethods {
                for code in method.responses.keys.sorted() {
                    writer.sample("elfstatsd_responses_total", method.labels(name) + [("code", String(code))], .integer(method.responses[code]!))
                }
            }
        }

        writer.family("elfstatsd_request_duration_seconds", .summary, help: "Latency per method: quantiles are the exact percentiles of the last round (NaN without calls); _sum and _count add up every round.", unit: "seconds")
        for (name, file) in files {
            for method in file.sortedMethods {
                let labels = method.labels(name)
                for quantile in method.quantiles {
                    writer.sample("elfstatsd_request_duration_seconds", labels + [("quantile", quantile.label)],
                                  quantile.milliseconds.map(SampleValue.milliseconds) ?? .notANumber)
                }
                writer.sample("elfstatsd_request_duration_seconds_sum", labels, .milliseconds(method.latencyMilliseconds))
                writer.sample("elfstatsd_request_duration_seconds_count", labels, .integer(method.latencyCount))
            }
        }

        writer.family("elfstatsd_pattern_values", .gauge, help: "Values of each extracted pattern in the last round: kind total (matches) or distinct (different values).")
        for (name, file) in files {
            for pattern in file.patterns {
                writer.sample("elfstatsd_pattern_values", [("data_file", name), ("pattern", pattern.name), ("kind", pattern.kind)], .integer(pattern.value))
            }
        }
        return writer.finished()
    }
}

/// The series of one data file.
struct DataFileSeries: Sendable {
    var records = RecordCounts()
    var lastRound: Int64? = nil
    var methods: [String: MethodSeries] = [:]
    var patterns: [(name: String, kind: String, value: Int)] = []

    var sortedMethods: [MethodSeries] { methods.keys.sorted().map { methods[$0]! } }

    var sampleCount: Int {
        1 + 3 + patterns.count + methods.values.reduce(0) { $0 + 4 + $1.responses.count + $1.quantiles.count }
    }

    mutating func add(_ observation: RoundObservation) {
        let report = observation.report
        lastRound = observation.roundStart
        if let section = report[section: "records"] {
            records.parsed &+= count(section["parsed"])
            records.skipped &+= count(section["skipped"])
            records.error &+= count(section["error"])
        }
        var kept: [String: MethodSeries] = [:]
        for section in report.sections where section.name.hasPrefix("method_") {
            let id = String(section.name.dropFirst("method_".count))
            let group = section["group"] ?? ""
            let method = section["method"] ?? id
            // Same id, other names: another configuration's method, so a new series.
            var series = methods[id].flatMap { $0.group == group && $0.method == method ? $0 : nil }
                ?? MethodSeries(group: group, method: method)
            series.add(section, latency: observation.latencyTotals[id])
            kept[id] = series
        }
        methods = kept
        patterns = []
        if let section = report[section: "patterns"] {
            for entry in section.entries {
                guard let dot = entry.key.lastIndex(of: ".") else { continue }
                let kind = String(entry.key[entry.key.index(after: dot)...])
                guard kind == "total" || kind == "distinct" else { continue }
                patterns.append((name: String(entry.key[..<dot]), kind: kind, value: count(entry.value)))
            }
        }
    }
}

/// The series of one method.
struct MethodSeries: Sendable {
    let group: String
    let method: String
    var requests = 0
    var stalled = 0
    var responses: [Int: Int] = [:]
    var latencyCount = 0
    var latencyMilliseconds = 0
    /// The last round's percentiles: label (`0.9`) and value, nil when there were no latencies.
    var quantiles: [(label: String, milliseconds: Int?)] = []

    init(group: String, method: String) {
        self.group = group
        self.method = method
    }

    func labels(_ dataFile: String) -> [(String, String)] {
        [("data_file", dataFile), ("group", group), ("method", method)]
    }

    mutating func add(_ section: ReportDocument.Section, latency: LatencyTotal?) {
        quantiles = []
        for entry in section.entries {
            let key = entry.key
            if key == "calls" {
                requests &+= count(entry.value)
            } else if key == "stalled_calls" {
                stalled &+= count(entry.value)
            } else if key.hasPrefix("rc"), let code = Int(key.dropFirst(2)) {
                responses[code, default: 0] &+= count(entry.value)
            } else if key.hasPrefix("p"), let percentile = Int(key.dropFirst()), (0...100).contains(percentile) {
                quantiles.append((label: quantileLabel(percentile), milliseconds: Int(entry.value)))
            }
        }
        if let latency {
            latencyCount &+= latency.count
            latencyMilliseconds &+= latency.milliseconds
        }
    }
}

/// A report count; `U` or anything unreadable counts nothing.
private func count(_ value: String?) -> Int {
    value.flatMap { Int($0) }.map { max(0, $0) } ?? 0
}

/// Percentile 90 → `0.9`, 99 → `0.99`, 5 → `0.05`, 100 → `1`: written from the digits, so the
/// label is the shortest decimal (as Prometheus's own clients write quantiles).
func quantileLabel(_ percentile: Int) -> String {
    if percentile >= 100 { return "1" }
    if percentile == 0 { return "0" }
    let digits = percentile < 10 ? "0\(percentile)" : String(percentile)
    return "0." + (digits.hasSuffix("0") ? String(digits.dropLast()) : digits)
}
