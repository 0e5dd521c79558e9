/// The munin.conf section of the virtual node that draws the aggregate graphs. The text depends
/// only on the node's name and the hosts' graphs (no date, no order of arrival), so writing it
/// again for an unchanged set of hosts gives the same bytes, and a change shows as a plain diff.
public enum AggregateConfiguration {
    /// The section for the virtual node `node` over `hosts`. `percentiles` as for `AggregatePlan`.
    public static func text(node: MuninNodePath, hosts: [AggregateHost], percentiles: [String]? = nil) -> String {
        let graphs = AggregatePlan.graphs(hosts: hosts, percentiles: percentiles)
        let names = hosts.map(\.path).sorted().map(\.fullName)
        var out = """
            # Aggregate graphs of elfstatsd over \(names.count) web host\(names.count == 1 ? "" : "s"): \(names.joined(separator: " "))
            # Written by `elfstatsm aggregate`; do not edit, run it again instead whenever a host gains a
            # graph or field (a new method, response code, pattern, instance) or a host is added or removed.
            # A sum is drawn only while every host that has the field reports it: one unknown host
            # gives a gap, never the sum of the others.

            """
        out += "[\(node.fullName)]\n"
        out += "    update no\n"
        for graph in graphs {
            out += "\n"
            for (key, value) in graph.attributes {
                out += "    \(graph.id).\(key) \(escaped(value))\n"
            }
            let order = graph.lines.map { "\($0.name)=\($0.reference)" }.joined(separator: " ")
            out += "    \(graph.id).graph_order \(order)\n"
            for line in graph.lines {
                for (key, value) in line.attributes {
                    out += "    \(graph.id).\(line.name).\(key) \(escaped(value))\n"
                }
            }
        }
        return out
    }

    /// A value as munin.conf reads it back: `#` starts a comment unless written `\#`, and a line
    /// ending in `\` continues on the next one, so trailing backslashes are dropped.
    static func escaped(_ value: String) -> String {
        var text = value
        while text.hasSuffix("\\") || text.hasSuffix(" ") { text.removeLast() }
        var out = ""
        for character in text {
            if character == "#" { out += "\\" }
            out.append(character)
        }
        return out
    }
}
