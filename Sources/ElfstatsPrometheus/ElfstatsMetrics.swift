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
        // Sorted once per body, not once per family that lists the methods.
        let methods = files.map { ($0.0, $0.1.sortedMethods) }

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
        for (name, sortedMethods) in methods {
            for method in sortedMethods {
                writer.sample("elfstatsd_requests_total", method.labels(name), .integer(method.requests))
            }
        }

        writer.family("elfstatsd_stalled_requests_total", .counter, help: "Calls slower than stalled_call_threshold per method (the reports' stalled_calls).")
        for (name, sortedMethods) in methods {
            for method in sortedMethods {
                writer.sample("elfstatsd_stalled_requests_total", method.labels(name), .integer(method.stalled))
            }
        }

        writer.family("elfstatsd_responses_total", .counter, help: "Calls per method and response code (the reports' rcNNN of each method).")
        for (name, sortedMethods) in methods {
            for method in sortedMethods {
                for code in method.responses.keys.sorted() {
                    writer.sample("elfstatsd_responses_total", method.labels(name) + [("code", String(code))], .integer(method.responses[code]!))
                }
            }
        }

        writer.family("elfstatsd_request_duration_seconds", .summary, help: "Latency per method: quantiles are the exact percentiles of the last round (NaN without calls); _sum and _count add up every round.", unit: "seconds")
        for (name, sortedMethods) in methods {
            for method in sortedMethods {
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
