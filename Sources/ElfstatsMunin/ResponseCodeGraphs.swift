/// `elfstatsm_response_codes`: a logarithmic graph of its own for each important code, and one
/// graph per hundred (`2XX`, `4XX`, ...) for the other codes of the report's `[response_codes]`.
enum ResponseCodeGraphs {
    static func graphs(_ report: ReportContents, _ options: GraphOptions) -> [MuninGraph] {
        var graphs: [MuninGraph] = []
        for code in options.importantCodes {
            let name = MuninName.sanitisedPart(code)
            var graph = MuninGraph(id: "elfstats_response_code_\(name)",
                                   title: "elfstats - calls per response code - \(code)",
                                   info: "Calls answered with response code \(code)",
                                   arguments: MuninGraph.logarithmic, verticalLabel: "calls per \(options.period)")
            let value = report.responseCodes.first { $0.code == code }?.value
            // An important code the report does not list had no calls (the report omits zero codes
            // unless configured), but only a sound report can say so.
            graph.fields = [.init(name: "rc" + name, label: code, info: "response code \(code)", draw: "LINE2",
                                  value: value.map { MuninValue.count($0) } ?? (report.damage == nil && !report.records.isEmpty ? "0" : MuninValue.unknown))]
            graphs.append(graph)
        }
        for (code, value) in report.responseCodes where !options.importantCodes.contains(code) {
            let hundred = "\(code.first!)XX"
            let id = "elfstats_response_codes_\(hundred)"
            if !graphs.contains(where: { $0.id == id }) {
                graphs.append(MuninGraph(id: id,
                                         title: "elfstats - calls per response codes - \(hundred)",
                                         info: "Calls answered with a response code \(hundred)",
                                         arguments: MuninGraph.linear, verticalLabel: "calls per \(options.period)"))
            }
            let index = graphs.firstIndex { $0.id == id }!
            graphs[index].fields.append(.init(name: "rc" + code, label: code, info: "response code \(code)", value: MuninValue.count(value)))
        }
        return graphs
    }
}
