/// One web host as the aggregate sees it: where it is in the master's tree, and the graphs its
/// elfstatsm plugins describe (their `config` answers, read by `NodeGraph.parse`).
public struct AggregateHost: Sendable, Equatable {
    public var path: MuninNodePath
    public var graphs: [NodeGraph]

    public init(path: MuninNodePath, graphs: [NodeGraph]) {
        self.path = path
        self.graphs = graphs
    }

    public func graph(_ id: String) -> NodeGraph? { graphs.first { $0.id == id } }
}
