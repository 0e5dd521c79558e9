/// What the name a plugin was started under says: which plugin, and which instance (the data file
/// whose report it reads). Munin wildcard plugins are links named `elfstatsm_<kind>_<instance>`;
/// the bare `elfstatsm_<kind>_` is what munin-node-configure runs for `autoconf` and `suggest`.
public struct PluginName: Equatable, Sendable {
    public var kind: PluginKind
    /// The suffix after `elfstatsm_<kind>_`; nil when there is none.
    public var instance: String?

    public init(kind: PluginKind, instance: String?) {
        self.kind = kind
        self.instance = instance
    }

    /// Reads a program name (any directory part is ignored). Kinds are matched longest first, so
    /// that an instance may itself contain `_`. Nil when the name is not one of the plugins.
    public init?(programName: String) {
        let base = programName.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? programName
        for kind in PluginKind.allCases.sorted(by: { $0.pluginName.count > $1.pluginName.count }) {
            guard base.hasPrefix(kind.pluginName) else { continue }
            let rest = base.dropFirst(kind.pluginName.count)
            if rest.isEmpty {
                self.init(kind: kind, instance: nil)
                return
            }
            guard rest.first == "_" else { continue }
            let suffix = String(rest.dropFirst())
            self.init(kind: kind, instance: suffix.isEmpty ? nil : suffix)
            return
        }
        return nil
    }
}
