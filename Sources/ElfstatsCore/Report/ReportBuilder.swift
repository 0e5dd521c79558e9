/// Lays a round's statistics out as a report, section by section, in the order and with the
/// value conventions of the report contract: `0` for counts, `U` (Munin's "unknown") only for
/// values that do not exist, such as the latencies of a method without calls.
struct ReportBuilder {
    let percentiles: [Int]
    let alwaysReportedCodes: [Int]

    func build(metadata: RoundMetadata, records: RecordCounts, firstRecord: Int64?, lastRecord: Int64?,
               methods: [MethodStatistics], patterns: [PatternStatistics]) -> ReportDocument {
        var sections: [ReportDocument.Section] = []
        sections.reserveCapacity(methods.count + 4)

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

        // Every code of every method is among these (they are the sum of the methods' codes,
        // plus the ones always reported), so each `rcNNN` key is made once, here, and the
        // methods' sections share it: interpolating it per method and code cost 0.45 million
        // instructions for the benchmark's report (callgrind).
        let codes = Self.responseCodes(of: methods).all(including: alwaysReportedCodes)
        let codeKeys = codes.map { "rc\($0.code)" }
        sections.append(ReportDocument.Section(name: "response_codes", entries:
            codes.indices.map { (codeKeys[$0], DecimalText.of(codes[$0].hits)) }))

        let percentileKeys = percentiles.map { "p\($0)" }
        // Sorted as indices: moving the statistics themselves cost 0.3 million instructions
        // for the benchmark's 97 methods.
        for index in methods.indices.sorted(by: { methods[$0].id < methods[$1].id }) {
            let method = methods[index]
            let latencies = method.latencies
            let statuses = method.statuses.all(including: alwaysReportedCodes)
            // One array of the section's final size, appended to (an array literal appended
            // with `+=` cost 1,800 instructions per method, callgrind).
            var entries: [(key: String, value: String)] = []
            entries.reserveCapacity(7 + percentiles.count + statuses.count)
            entries.append(("group", method.group))
            entries.append(("method", method.method))
            entries.append(("calls", DecimalText.of(method.calls)))
            entries.append(("stalled_calls", DecimalText.of(method.stalledCalls)))
            entries.append(("shortest", latencies.count > 0 ? DecimalText.of(latencies.shortest) : "U"))
            entries.append(("longest", latencies.count > 0 ? DecimalText.of(latencies.longest) : "U"))
            entries.append(("average", latencies.average.map(DecimalText.of) ?? "U"))
            for (key, value) in zip(percentileKeys, latencies.percentiles(percentiles)) {
                entries.append((key, value.map(DecimalText.of) ?? "U"))
            }
            var known = 0
            for (code, hits) in statuses {
                // Both lists are in numeric order.
                while known < codes.count, codes[known].code < code { known += 1 }
                let key = known < codes.count && codes[known].code == code ? codeKeys[known] : "rc\(code)"
                entries.append((key, DecimalText.of(hits)))
            }
            sections.append(ReportDocument.Section(name: "method_" + method.id, entries: entries))
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
