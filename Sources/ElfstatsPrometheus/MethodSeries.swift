import ElfstatsCore

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
                requests &+= reportCount(entry.value)
            } else if key == "stalled_calls" {
                stalled &+= reportCount(entry.value)
            } else if key.hasPrefix("rc"), let code = Int(key.dropFirst(2)) {
                responses[code, default: 0] &+= reportCount(entry.value)
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
