/// The text of `config` and `fetch` for multigraph plugins: a `multigraph ID` line before each
/// graph's lines.
enum MuninOutput {
    static func config(_ graphs: [(id: String, title: String, graph: MuninGraph)], category: String, withValues: Bool) -> String {
        var out = ""
        for (id, title, graph) in graphs {
            out += "multigraph \(id)\n"
            out += "graph_title \(oneLine(title))\n"
            out += "graph_category \(oneLine(category))\n"
            if let info = graph.info { out += "graph_info \(oneLine(info))\n" }
            out += "graph_args \(graph.arguments)\n"
            out += "graph_vlabel \(oneLine(graph.verticalLabel))\n"
            for field in graph.fields {
                out += "\(field.name).label \(oneLine(field.label))\n"
                if let info = field.info { out += "\(field.name).info \(oneLine(info))\n" }
                out += "\(field.name).type GAUGE\n"
                out += "\(field.name).draw \(field.draw)\n"
                if let colour = field.colour { out += "\(field.name).colour \(colour)\n" }
                out += "\(field.name).min 0\n"
            }
            if withValues {
                for field in graph.fields { out += "\(field.name).value \(field.value)\n" }
            }
        }
        return out
    }

    static func fetch(_ graphs: [(id: String, title: String, graph: MuninGraph)]) -> String {
        var out = ""
        for (id, _, graph) in graphs {
            out += "multigraph \(id)\n"
            for field in graph.fields { out += "\(field.name).value \(field.value)\n" }
        }
        return out
    }

    /// Munin reads one attribute per line; a newline in a label or title would start a new one,
    /// and other control characters (from a report's keys) have no place in a graph either.
    private static func oneLine(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : $0 }))
    }
}
