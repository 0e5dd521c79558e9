/// Lays a round's statistics out as a report, section by section, in the order and with the
/// value conventions of the report contract: `0` for counts, `U` (Munin's "unknown") only for
/// values that do not exist, such as the latencies of a method without calls.
struct ReportBuilder {
    let percentiles: [Int]
    let alwaysReportedCodes: [Int]

    func build(metadata: RoundMetadata, records: RecordCounts, firstRecord: Int64?, lastRecord: Int64?,
               methods: [MethodStatistics], patterns: [PatternStatistics]) -> ReportDocument {
        var sections: [ReportDocument.Section] = []

        var meta = ReportDocument.Section(name: "metadata")
        meta.entries = [
            ("daemon_invoked", LocalTime.format(metadata.invoked, in: metadata.timeZone)),
            ("daemon_version", "v" + elfstatsVersion),
            ("daemon_worked", Self.seconds(metadata.worked) + " sec"),
            ("first_record", firstRecord.map { LocalTime.format($0, in: metadata.timeZone) } ?? "U"),
            ("last_record", lastRecord.map { LocalTime.format($0, in: metadata.timeZone) } ?? "U"),
        ]
        meta.entries += metadata.extra
        sections.append(meta)

        sections.append(ReportDocument.Section(name: "records", entries: [
            ("error", String(records.error)), ("parsed", String(records.parsed)),
            ("skipped", String(records.skipped)), ("total", String(records.total)),
        ]))

        sections.append(ReportDocument.Section(name: "response_codes", entries:
            Self.responseCodes(of: methods).all(including: alwaysReportedCodes).map { ("rc\($0.code)", String($0.hits)) }))

        for method in methods.sorted(by: { $0.id < $1.id }) {
            var section = ReportDocument.Section(name: "method_" + method.id)
            let latencies = method.latencies
            section.entries = [
                ("group", method.group), ("method", method.method),
                ("calls", String(method.calls)), ("stalled_calls", String(method.stalledCalls)),
                ("shortest", latencies.count > 0 ? String(latencies.shortest) : "U"),
                ("longest", latencies.count > 0 ? String(latencies.longest) : "U"),
                ("average", latencies.average.map(String.init) ?? "U"),
            ]
            for (p, value) in zip(percentiles, latencies.percentiles(percentiles)) {
                section.entries.append(("p\(p)", value.map(String.init) ?? "U"))
            }
            for (code, hits) in method.statuses.all(including: alwaysReportedCodes) {
                section.entries.append(("rc\(code)", String(hits)))
            }
            sections.append(section)
        }

        if !patterns.isEmpty {
            var section = ReportDocument.Section(name: "patterns")
            for pattern in patterns {
                section.entries.append(("\(pattern.name).total", String(pattern.total)))
                section.entries.append(("\(pattern.name).distinct", String(pattern.distinct)))
                // Only past max_pattern_values: the plugins then say the figure is estimated.
                if pattern.distinctIsEstimate { section.entries.append(("\(pattern.name).distinct_estimated", "1")) }
            }
            sections.append(section)
        }
        return ReportDocument(sections: sections)
    }

    /// Hits per response code of the round's parsed records: the sum of the methods' codes.
    /// Every parsed record is counted in exactly one method (a slot is only freed or handed on
    /// when it has no calls this round, see `MethodRegistry`), so the analyzer does not count
    /// codes a second time per line (benchmark: 2,235 -> 2,202 instructions per line).
    static func responseCodes(of methods: [MethodStatistics]) -> StatusCounts {
        var total = StatusCounts()
        for method in methods { total.add(method.statuses) }
        return total
    }

    /// Seconds with two decimals, `0.12`.
    static func seconds(_ value: Double) -> String {
        let hundredths = Int((max(0, value) * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
