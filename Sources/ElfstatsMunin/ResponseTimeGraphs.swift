/// `elfstatsm_response_times`: per group (except the small ones), the total time spent in each
/// method (calls × average) and its average response time, on logarithmic scales.
enum ResponseTimeGraphs {
    static func graphs(_ report: ReportContents, _ options: GraphOptions) -> [MuninGraph] {
        var names = MethodNames()
        var totals: [MuninGraph] = []
        var averages: [MuninGraph] = []
        for (group, methods) in report.methodsByGroup where !options.smallGroups.contains(group.lowercased()) {
            let g = names.group(group)
            let upper = group.uppercased()
            var total = MuninGraph(id: "elfstats_\(g)_response_total",
                                   title: "elfstats - total response time for \(upper) methods",
                                   info: "Method group \(upper): sum of the response times of all calls (calls x average)",
                                   arguments: MuninGraph.logarithmic, verticalLabel: "ms spent per \(options.period)")
            var average = MuninGraph(id: "elfstats_\(g)_response_avg",
                                     title: "elfstats - average response time for \(upper) methods",
                                     info: "Method group \(upper): average response time of a call",
                                     arguments: MuninGraph.logarithmic, verticalLabel: "ms per call, per \(options.period)")
            for method in methods {
                let m = names.method(method)
                let info = "\(upper):\(method.name)"
                let calls = MuninValue.count(method["calls"])
                let mean = MuninValue.from(method["average"])
                // No calls took no time, even though their average is unknown.
                let spent = calls == "0" ? "0" : MuninValue.product(calls, mean)
                total.fields.append(.init(name: m, label: method.name, info: info, value: spent))
                average.fields.append(.init(name: m, label: method.name, info: info, value: mean))
            }
            totals.append(total)
            averages.append(average)
        }
        return totals + averages
    }
}
