import ElfstatsReportFormat

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

    /// Label, title and info text as one Munin line: Munin reads one attribute per line, so a
    /// line break (CR LF is one Swift `Character`, so this works on Unicode scalars) would start
    /// a new one; any other control character (NUL, tab, ESC...) becomes `?` too, as in the
    /// report (`LineSafeText`); and a backslash becomes `/`, since rrdtool reads `\n`, `\l`,
    /// `\g`... in a legend as layout commands. `]`, `=` and `:` need nothing: Munin escapes
    /// what rrdtool needs itself, and reads the attribute's value to the end of the line.
    static func oneLine(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { LineSafeText.isLineBreaking($0) || $0 == "\\" }) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            out.append(LineSafeText.isLineBreaking(scalar) ? "?" : scalar == "\\" ? "/" : scalar)
        }
        return String(out)
    }
}
