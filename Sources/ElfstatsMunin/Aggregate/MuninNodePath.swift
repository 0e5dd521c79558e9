/// Where a node sits in the Munin master's tree: its group(s) and host name, as munin.conf's
/// section `[group;host]` names it. A reference to another node's field is written with the full
/// path (`group;host:graph.field`) so that it finds the node from any group.
public struct MuninNodePath: Sendable, Equatable, Hashable, Comparable {
    /// Outermost first; never empty.
    public var groups: [String]
    public var host: String

    /// Reads a munin.conf section name the way Munin does: `group;host` (groups may nest,
    /// `a;b;host`), else `host.example.com` is in the group `example.com`, and a bare `host` is
    /// in a group of its own name. Nil for a name munin.conf could not hold (empty parts,
    /// whitespace, `[`, `]`, `:`, or control characters).
    public init?(section: String) {
        let forbidden: Set<Character> = [" ", "\t", "[", "]", ":", "=", ","]
        guard !section.isEmpty, !section.contains(where: { forbidden.contains($0) || $0.asciiValue.map { $0 < 0x20 || $0 == 0x7F } == true })
        else { return nil }
        let parts = section.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
        guard parts.allSatisfy({ !$0.isEmpty }) else { return nil }
        if parts.count > 1 {
            groups = Array(parts.dropLast())
            host = parts.last!
        } else if let dot = section.firstIndex(of: ".") {
            let domain = String(section[section.index(after: dot)...])
            guard !domain.isEmpty else { return nil }
            groups = [domain]
            host = section
        } else {
            groups = [section]
            host = section
        }
    }

    /// `group;host`, for the section header and for references.
    public var fullName: String { (groups + [host]).joined(separator: ";") }

    /// The reference to a field of this node: `group;host:graph.field`.
    public func reference(graph: String, field: String) -> String { "\(fullName):\(graph).\(field)" }

    public static func < (left: MuninNodePath, right: MuninNodePath) -> Bool {
        Array(left.fullName.utf8).lexicographicallyPrecedes(Array(right.fullName.utf8))
    }
}
