/// `elfstatsm_total_records`: one logarithmic graph of the records the daemon could not use, by
/// status (`error`, `skipped`, ...: every key of `[records]` but `total` and `parsed`). Its fields
/// are known without a report, so a missing report still gives this graph, with unknown values.
enum TotalRecordsGraphs {
    static let hiddenStatuses: Set<String> = ["total", "parsed"]
    static let usualStatuses = ["error", "skipped"]

    static func graphs(_ report: ReportContents, _ options: GraphOptions) -> [MuninGraph] {
        var graph = MuninGraph(id: "elfstats_total_records",
                               title: "elfstats - number of log records per status",
                               info: "Records of the access log that were not parsed into a method call, by reason",
                               arguments: MuninGraph.logarithmic, verticalLabel: "records per \(options.period)")
        var names = UniqueNames()
        var statuses: [(key: String, value: String?)] = report.records.filter { !hiddenStatuses.contains($0.key) }
            .map { ($0.key, $0.value) }
        for usual in usualStatuses.reversed() where !statuses.contains(where: { $0.key == usual }) {
            statuses.insert((usual, nil), at: 0)
        }
        for (status, value) in statuses {
            graph.fields.append(.init(name: names.name(for: status), label: status, info: "\(status) records", draw: "LINE2",
                                      value: MuninValue.count(value)))
        }
        return [graph]
    }
}
