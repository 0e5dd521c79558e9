/// `elfstatsm_patterns`: per configured pattern, how often it matched and how many distinct values
/// it matched, on a logarithmic scale.
enum PatternGraphs {
    static func graphs(_ report: ReportContents, _ options: GraphOptions) -> [MuninGraph] {
        var names = UniqueNames()
        return report.patterns.map { pattern in
            var graph = MuninGraph(id: "elfstats_patterns_\(names.part(for: pattern.name))",
                                   title: "elfstats - number of \(pattern.name.uppercased()) pattern appearances",
                                   info: "Matches of the pattern \(pattern.name) in the access log",
                                   arguments: MuninGraph.logarithmic, verticalLabel: "matches per \(options.period)")
            graph.fields = [
                .init(name: "total", label: "total", info: "requests that matched", draw: "LINE2", value: MuninValue.count(pattern.total)),
                pattern.distinctIsEstimate
                    ? .init(name: "distinct", label: "distinct (estimated)",
                            info: "distinct values matched: more than max_pattern_values, so estimated (HyperLogLog, standard error 0.81 %)",
                            draw: "LINE2", value: MuninValue.count(pattern.distinct))
                    : .init(name: "distinct", label: "distinct", info: "distinct values matched", draw: "LINE2", value: MuninValue.count(pattern.distinct)),
            ]
            return graph
        }
    }
}
