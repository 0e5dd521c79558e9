/// `elfstatsm_calls`: per group, the calls and the stalled calls of each method.
enum CallsGraphs {
    static func graphs(_ report: ReportContents, _ options: GraphOptions) -> [MuninGraph] {
        var names = MethodNames()
        var calls: [MuninGraph] = []
        var stalled: [MuninGraph] = []
        for (group, methods) in report.methodsByGroup {
            let g = names.group(group)
            let upper = group.uppercased()
            var total = MuninGraph(id: "elfstats_\(g)_total_calls",
                                   title: "elfstats - number of calls for \(upper) methods",
                                   info: "Method group \(upper): calls per method",
                                   arguments: MuninGraph.linear, verticalLabel: "calls per \(options.period)")
            var slow = MuninGraph(id: "elfstats_\(g)_stalled_calls",
                                  title: "elfstats - number of stalled calls for \(upper) methods",
                                  info: "Method group \(upper): calls slower than the daemon's stalled_call_threshold",
                                  arguments: MuninGraph.linear, verticalLabel: "stalled calls per \(options.period)")
            for method in methods {
                let m = names.method(method)
                let info = "\(upper):\(method.name)"
                total.fields.append(.init(name: m, label: method.name, info: info, value: MuninValue.count(method["calls"])))
                slow.fields.append(.init(name: m, label: method.name, info: info, value: MuninValue.count(method["stalled_calls"])))
            }
            calls.append(total)
            stalled.append(slow)
        }
        return calls + stalled
    }
}
