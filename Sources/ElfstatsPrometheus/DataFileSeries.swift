import ElfstatsCore

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
            records.parsed &+= reportCount(section["parsed"])
            records.skipped &+= reportCount(section["skipped"])
            records.error &+= reportCount(section["error"])
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
                patterns.append((name: String(entry.key[..<dot]), kind: kind, value: reportCount(entry.value)))
            }
        }
    }
}
