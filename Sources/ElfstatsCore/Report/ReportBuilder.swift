/// Lays a round's statistics out as a report, section by section, in the order and with the
/// value conventions of the report contract: `0` for counts, `U` (Munin's "unknown") only for
/// values that do not exist, such as the latencies of a method without calls.
struct ReportBuilder {
    let percentiles: [Int]
    let alwaysReportedCodes: [Int]

    /// The report as a document, for those who read its values (Prometheus, tests).
    func build(metadata: RoundMetadata, records: RecordCounts, firstRecord: Int64?, lastRecord: Int64?,
               methods: [MethodStatistics], patterns: [PatternStatistics]) -> ReportDocument {
        var document = DocumentSink()
        document.sections.reserveCapacity(methods.count + 4)
        write(metadata: metadata, records: records, firstRecord: firstRecord, lastRecord: lastRecord,
              methods: methods, patterns: patterns, to: &document)
        return ReportDocument(sections: document.sections)
    }

    /// The report's text, the same as `build(...).rendered()`, written without the document.
    func text(metadata: RoundMetadata, records: RecordCounts, firstRecord: Int64?, lastRecord: Int64?,
              methods: [MethodStatistics], patterns: [PatternStatistics]) -> String {
        // About 330 bytes per method section (the benchmark's: 326), so it rarely grows.
        var text = ReportText(capacity: 1024 + 384 * methods.count)  // a class: `var` only for `inout`
        write(metadata: metadata, records: records, firstRecord: firstRecord, lastRecord: lastRecord,
              methods: methods, patterns: patterns, to: &text)
        return text.text
    }

    private func write<Sink: ReportSink>(metadata: RoundMetadata, records: RecordCounts, firstRecord: Int64?,
                                         lastRecord: Int64?, methods: [MethodStatistics], patterns: [PatternStatistics],
                                         to sink: inout Sink) {
        sink.section("metadata")
        sink.entry("daemon_invoked", LocalTime.format(metadata.invoked, in: metadata.timeZone))
        sink.entry("daemon_version", "v" + elfstatsVersion)
        sink.entry("daemon_worked", Self.seconds(metadata.worked) + " sec")
        sink.entry("first_record", firstRecord.map { LocalTime.format($0, in: metadata.timeZone) } ?? "U")
        sink.entry("last_record", lastRecord.map { LocalTime.format($0, in: metadata.timeZone) } ?? "U")
        for (key, value) in metadata.extra { sink.entry(key, value) }

        sink.section("records")
        sink.entry("error", records.error)
        sink.entry("parsed", records.parsed)
        sink.entry("skipped", records.skipped)
        sink.entry("total", records.total)

        // Every code of every method is among these (they are the sum of the methods' codes,
        // plus the ones always reported), so each `rcNNN` key is made once, here, and the
        // methods' sections share it: interpolating it per method and code cost 0.45 million
        // instructions for the benchmark's report (callgrind).
        let codes = Self.responseCodes(of: methods).all(including: alwaysReportedCodes)
        let codeKeys = codes.map { "rc\($0.code)" }
        sink.section("response_codes")
        for (key, code) in zip(codeKeys, codes) { sink.entry(key, code.hits) }

        let percentileKeys = percentiles.map { "p\($0)" }
        // Sorted as indices: moving the statistics themselves cost 0.3 million instructions
        // for the benchmark's 102 methods.
        for index in methods.indices.sorted(by: { methods[$0].id < methods[$1].id }) {
            let method = methods[index]
            let latencies = method.latencies
            let statuses = method.statuses.all(including: alwaysReportedCodes)
            sink.section("method_" + method.id, expectedEntries: 7 + percentiles.count + statuses.count)
            sink.entry("group", method.group)
            sink.entry("method", method.method)
            sink.entry("calls", method.calls)
            sink.entry("stalled_calls", method.stalledCalls)
            if latencies.count > 0 {
                sink.entry("shortest", latencies.shortest)
                sink.entry("longest", latencies.longest)
            } else {
                sink.entry("shortest", "U")
                sink.entry("longest", "U")
            }
            if let average = latencies.average { sink.entry("average", average) } else { sink.entry("average", "U") }
            for (key, value) in zip(percentileKeys, latencies.percentiles(percentiles)) {
                if let value { sink.entry(key, value) } else { sink.entry(key, "U") }
            }
            var known = 0
            for (code, hits) in statuses {
                // Both lists are in numeric order.
                while known < codes.count, codes[known].code < code { known += 1 }
                sink.entry(known < codes.count && codes[known].code == code ? codeKeys[known] : "rc\(code)", hits)
            }
        }

        if !patterns.isEmpty {
            sink.section("patterns")
            for pattern in patterns {
                sink.entry("\(pattern.name).total", pattern.total)
                sink.entry("\(pattern.name).distinct", pattern.distinct)
                // Only past max_pattern_values: the plugins then say the figure is estimated.
                if pattern.distinctIsEstimate { sink.entry("\(pattern.name).distinct_estimated", "1") }
            }
        }
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

/// Where `ReportBuilder` lays the report out: sections, each followed by its entries.
protocol ReportSink {
    mutating func section(_ name: String, expectedEntries: Int)
    mutating func entry(_ key: String, _ value: String)
    mutating func entry(_ key: String, _ value: Int)
}

extension ReportSink {
    mutating func section(_ name: String) { section(name, expectedEntries: 0) }
}

extension ReportText: ReportSink {
    func section(_ name: String, expectedEntries: Int) { section(name) }
}

/// The sections of a `ReportDocument`; numbers become their decimal text.
struct DocumentSink: ReportSink {
    var sections: [ReportDocument.Section] = []

    mutating func section(_ name: String, expectedEntries: Int) {
        var section = ReportDocument.Section(name: name)
        // One array of the section's final size (growing it cost 1,800 instructions per
        // method, callgrind).
        section.entries.reserveCapacity(expectedEntries)
        sections.append(section)
    }

    mutating func entry(_ key: String, _ value: String) {
        sections[sections.count - 1].entries.append((key, value))
    }

    mutating func entry(_ key: String, _ value: Int) {
        entry(key, DecimalText.of(value))
    }
}
