import ElfstatsReportFormat

/// One graph as a munin-node describes it in a plugin's `config` answer: what an aggregate on the
/// Munin master needs to refer to the host's fields (`host:graph.field`) and to copy their looks.
///
/// The text comes over the network from the web hosts, so it is read as a stranger's: only names
/// Munin itself would accept are kept (a graph or field name with any other character is left
/// out, with a problem to report), and only a few attributes, cleaned of control characters and
/// cut to `maximumAttributeLength`, ever reach the master's configuration.
public struct NodeGraph: Sendable, Equatable {
    public struct Field: Sendable, Equatable {
        public var name: String
        /// `label`, `info`, `draw`, `colour`, ... as the node gave them (cleaned).
        public var attributes: [String: String] = [:]

        public init(name: String, attributes: [String: String] = [:]) {
            self.name = name
            self.attributes = attributes
        }
    }

    /// The graph id (`multigraph` name), with the instance suffix the plugin gave it.
    public var id: String
    /// The plugin that drew it.
    public var kind: PluginKind
    /// `graph_title`, `graph_category`, ... (cleaned).
    public var attributes: [String: String] = [:]
    /// In the order the node listed them.
    public var fields: [Field] = []

    public init(id: String, kind: PluginKind, attributes: [String: String] = [:], fields: [Field] = []) {
        self.id = id
        self.kind = kind
        self.attributes = attributes
        self.fields = fields
    }

    public func field(_ name: String) -> Field? { fields.first { $0.name == name } }

    /// Titles and labels longer than this are cut: Munin draws them on one line anyway.
    public static let maximumAttributeLength = 200

    /// The graphs of one plugin's `config` answer (the lines up to a line `.`), with what was
    /// left out and why. Value lines (`x.value`, sent with dirty config) are ignored.
    public static func parse(config text: String, kind: PluginKind) -> (graphs: [NodeGraph], problems: [String]) {
        var graphs: [NodeGraph] = []
        var problems: [String] = []
        var current: NodeGraph?
        var skipping = false
        func finish() {
            if let graph = current { graphs.append(graph) }
            current = nil
        }
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            if line == "." { break }
            if line.isEmpty || line.hasPrefix("#") { continue }
            let key: Substring
            let value: Substring
            if let space = line.firstIndex(where: { $0 == " " || $0 == "\t" }) {
                key = line[..<space]
                value = line[line.index(after: space)...].drop { $0 == " " || $0 == "\t" }
            } else {
                key = line
                value = ""
            }
            if key == "multigraph" {
                finish()
                let id = String(value)
                if isMuninName(id) && !graphs.contains(where: { $0.id == id }) {
                    current = NodeGraph(id: id, kind: kind)
                    skipping = false
                } else {
                    problems.append("graph '\(cleaned(id))' left out: not a Munin name, or given twice")
                    skipping = true
                }
                continue
            }
            if skipping { continue }
            if current == nil {
                // Lines before any `multigraph` belong to a graph named after the plugin; the
                // elfstatsm plugins always start with `multigraph`, so there is nothing to keep.
                continue
            }
            if key.hasPrefix("graph_") {
                current!.attributes[String(key)] = cleaned(value)
                continue
            }
            guard let dot = key.firstIndex(of: ".") else { continue }
            let fieldName = String(key[..<dot])
            let attribute = String(key[key.index(after: dot)...])
            if attribute == "value" { continue }
            guard isMuninName(fieldName), !attribute.isEmpty else {
                problems.append("field '\(cleaned(Substring(fieldName)))' of \(current!.id) left out: not a Munin name")
                continue
            }
            if let index = current!.fields.firstIndex(where: { $0.name == fieldName }) {
                current!.fields[index].attributes[attribute] = cleaned(value)
            } else {
                current!.fields.append(Field(name: fieldName, attributes: [attribute: cleaned(value)]))
            }
        }
        finish()
        return (graphs, problems)
    }

    /// Munin's rule for graph and field names: an ASCII letter or `_`, then letters, digits, `_`.
    public static func isMuninName<S: StringProtocol>(_ name: S) -> Bool {
        guard let first = name.utf8.first, first == UInt8(ascii: "_") || isLetter(first) else { return false }
        return name.utf8.count <= 255 && name.utf8.allSatisfy { $0 == UInt8(ascii: "_") || isLetter($0) || ($0 >= 0x30 && $0 <= 0x39) }
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }

    /// Control characters (the same set `LineSafeText` keeps out of reports: C0, DEL, C1 and the
    /// Unicode line separators) become spaces and the text is cut to `maximumAttributeLength`
    /// characters: a value is copied into the master's configuration, one attribute a line.
    static func cleaned<S: StringProtocol>(_ text: S) -> String {
        var out = ""
        for scalar in text.unicodeScalars.prefix(maximumAttributeLength) {
            out.unicodeScalars.append(LineSafeText.isLineBreaking(scalar) ? " " : scalar)
        }
        return out
    }
}
