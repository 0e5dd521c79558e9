/// Which graphs of the web hosts become which graphs of the virtual node:
///
/// - calls and stalled calls (per method), response codes and records: every field summed over
///   the hosts that have it (a method only some hosts serve is the sum over those);
/// - patterns: `total` summed; `distinct` one line per host, since the same value may be counted
///   on several hosts and a sum would overstate it;
/// - percentiles: one graph per method and percentile (`elfstats_<group>_<method>_<instance>_p90`)
///   with one line per host, since percentiles of different hosts cannot be added;
/// - response times: left out. Their totals could be summed, but their averages would need the
///   calls of the same round from another plugin; the per-host graphs stay the place for them.
///
/// The result depends only on the hosts' graphs, not on the order the hosts are given in.
public enum AggregatePlan {
    /// The graphs of the virtual node. `percentiles`: the percentile fields to draw per host
    /// (e.g. `["p50", "p99"]`); nil for every `pNN` field the hosts' plugins declare.
    public static func graphs(hosts unsorted: [AggregateHost], percentiles: [String]? = nil) -> [AggregateGraph] {
        let hosts = unsorted.sorted { $0.path < $1.path }
        var membersByID: [String: [(index: Int, graph: NodeGraph)]] = [:]
        for (index, host) in hosts.enumerated() {
            for graph in host.graphs where !isNoDataGraph(graph) {
                membersByID[graph.id, default: []].append((index, graph))
            }
        }
        let ids = membersByID.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        var result: [AggregateGraph] = []
        var derived: [AggregateGraph] = []
        for id in ids {
            let members = membersByID[id]!
            switch members[0].graph.kind {
            case .calls, .responseCodes, .totalRecords:
                result.append(summed(id: id, members: members, hosts: hosts, perHost: []))
            case .patterns:
                result.append(summed(id: id, members: members, hosts: hosts, perHost: ["distinct"]))
            case .percentiles:
                derived += percentileGraphs(id: id, members: members, hosts: hosts, wanted: percentiles)
            case .responseTimes:
                continue
            }
        }
        // Derived ids give way to the hosts' own ones should they ever meet.
        var graphIDs = UniqueNames(reserved: result.map(\.id))
        for (index, var graph) in derived.enumerated() {
            graph.id = graphIDs.name(for: "derived \(index)", candidate: graph.id)
            result.append(graph)
        }
        return result
    }

    /// The "no data available" graph a plugin draws while its report holds nothing.
    static func isNoDataGraph(_ graph: NodeGraph) -> Bool {
        graph.fields.map(\.name) == ["nodata"]
    }

    /// A graph whose fields are the sums over the hosts that have them; the fields in `perHost`
    /// are drawn once per host instead.
    static func summed(id: String, members: [(index: Int, graph: NodeGraph)], hosts: [AggregateHost], perHost: Set<String>) -> AggregateGraph {
        let first = members[0].graph
        var fieldNames: [String] = []
        for (_, graph) in members {
            for field in graph.fields where !fieldNames.contains(field.name) { fieldNames.append(field.name) }
        }
        fieldNames.sort { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        var names = UniqueNames(reserved: fieldNames.filter { !perHost.contains($0) })
        var hidden: [AggregateGraph.Line] = []
        var drawn: [AggregateGraph.Line] = []
        for (fieldIndex, fieldName) in fieldNames.enumerated() {
            let sources = members.compactMap { member in member.graph.field(fieldName).map { (member.index, $0) } }
            let looks = sources[0].1
            if perHost.contains(fieldName) {
                for (hostIndex, field) in sources {
                    let host = hosts[hostIndex].path
                    let name = names.name(for: "\(fieldName)@\(hostIndex)", candidate: "\(fieldName)_h\(hostIndex + 1)")
                    drawn.append(.init(name: name, reference: host.reference(graph: id, field: fieldName),
                                       attributes: lineLooks(field, label: "\(field.attributes["label"] ?? fieldName) on \(host.host)", withColour: false)))
                }
                continue
            }
            var aliases: [String] = []
            for (hostIndex, _) in sources {
                let host = hosts[hostIndex].path
                let alias = names.name(for: "\(fieldName)@\(hostIndex)", candidate: "s\(fieldIndex + 1)h\(hostIndex + 1)")
                aliases.append(alias)
                hidden.append(.init(name: alias, reference: host.reference(graph: id, field: fieldName),
                                    attributes: [("label", "\(looks.attributes["label"] ?? fieldName) on \(host.host)"), ("graph", "no")]))
            }
            let cdef = aliases.count == 1 ? aliases[0] : aliases[0] + "," + aliases.dropFirst().map { $0 + ",+" }.joined(separator: ",")
            var attributes = lineLooks(looks, label: looks.attributes["label"] ?? fieldName, withColour: true)
            attributes.append(("cdef", cdef))
            drawn.append(.init(name: fieldName, reference: hosts[sources[0].0].path.reference(graph: id, field: fieldName),
                               attributes: attributes))
        }
        let hostCount = members.count
        return AggregateGraph(id: id, attributes: graphLooks(first, titleSuffix: " - sum over \(hostCount) host\(hostCount == 1 ? "" : "s")"),
                              lines: hidden + drawn)
    }

    /// Per method and percentile field, a graph with one line per host.
    static func percentileGraphs(id: String, members: [(index: Int, graph: NodeGraph)], hosts: [AggregateHost], wanted: [String]?) -> [AggregateGraph] {
        var fieldNames: [String] = []
        for (_, graph) in members {
            for field in graph.fields where !fieldNames.contains(field.name) {
                if let wanted, !wanted.contains(field.name) { continue }
                if wanted == nil && percentileNumber(field.name) == nil { continue }
                fieldNames.append(field.name)
            }
        }
        fieldNames.sort { (percentileNumber($0) ?? -1, $0) < (percentileNumber($1) ?? -1, $1) }
        var graphs: [AggregateGraph] = []
        for fieldName in fieldNames {
            var lines: [AggregateGraph.Line] = []
            var looks: NodeGraph.Field?
            for (hostIndex, graph) in members {
                guard let field = graph.field(fieldName) else { continue }
                looks = looks ?? field
                let host = hosts[hostIndex].path
                var attributes: [(key: String, value: String)] = [("label", host.host)]
                if let info = field.attributes["info"] { attributes.append(("info", "\(info), on \(host.host)")) }
                lines.append(.init(name: "h\(hostIndex + 1)", reference: host.reference(graph: id, field: fieldName), attributes: attributes))
            }
            let label = looks?.attributes["label"] ?? fieldName
            graphs.append(AggregateGraph(id: "\(id)_\(fieldName)",
                                         attributes: graphLooks(members[0].graph, titleSuffix: " - \(label) per host"),
                                         lines: lines))
        }
        return graphs
    }

    /// 90 for `p90`, 99.9 for `p99_9`; nil for a field that is not a percentile.
    static func percentileNumber(_ name: String) -> Double? {
        guard name.hasPrefix("p"), name.count > 1 else { return nil }
        let digits = name.dropFirst().map { $0 == "_" ? "." : $0 }
        guard digits.first?.isNumber == true, digits.allSatisfy({ $0.isNumber || $0 == "." }) else { return nil }
        return Double(String(digits))
    }

    /// The graph's title (with `suffix`), category, info, arguments and vertical label, as the
    /// first host gave them; arguments only when they are the plain scale options the plugins use.
    static func graphLooks(_ graph: NodeGraph, titleSuffix: String) -> [(key: String, value: String)] {
        var out: [(key: String, value: String)] = [("graph_title", (graph.attributes["graph_title"] ?? graph.id) + titleSuffix)]
        if let category = graph.attributes["graph_category"], !category.isEmpty,
           category.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) {
            out.append(("graph_category", category))
        }
        if let info = graph.attributes["graph_info"] { out.append(("graph_info", info)) }
        out.append(("graph_args", safeArguments(graph.attributes["graph_args"])))
        if let label = graph.attributes["graph_vlabel"] { out.append(("graph_vlabel", label)) }
        return out
    }

    /// A line's label, info, draw style and colour; the style and colour only when they are
    /// ones Munin knows, so that nothing else reaches RRDtool's command line.
    static func lineLooks(_ field: NodeGraph.Field, label: String, withColour: Bool) -> [(key: String, value: String)] {
        var out: [(key: String, value: String)] = [("label", label)]
        if let info = field.attributes["info"] { out.append(("info", info)) }
        if let draw = field.attributes["draw"], drawStyles.contains(draw) { out.append(("draw", draw)) }
        if withColour, let colour = field.attributes["colour"], colour.count == 6, colour.allSatisfy(\.isHexDigit) {
            out.append(("colour", colour))
        }
        return out
    }

    static let drawStyles: Set<String> = ["LINE1", "LINE2", "LINE3", "AREA", "STACK", "AREASTACK", "LINESTACK1", "LINESTACK2", "LINESTACK3"]

    /// `graph_args` when every word is one of the scale options the elfstatsm plugins use (or a
    /// number), else `--base 1000`.
    static func safeArguments(_ text: String?) -> String {
        let allowed: Set<Substring> = ["--base", "--logarithmic", "--units=si", "--lower-limit", "--upper-limit", "-l", "-u", "--rigid"]
        guard let text else { return "--base 1000" }
        let words = text.split(separator: " ")
        guard !words.isEmpty, words.allSatisfy({ allowed.contains($0) || MuninValue.isNumber(String($0)) }) else { return "--base 1000" }
        return words.joined(separator: " ")
    }
}
