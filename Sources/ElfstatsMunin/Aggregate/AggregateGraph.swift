/// One graph of the virtual node, as munin.conf lines will say it. Every line it draws is a field
/// aliased to a real RRD of one host (`graph_order NAME=group;host:graph.field`); a sum is such a
/// field whose `cdef` adds hidden per-host fields with RRDtool's `+`, so that one unknown host
/// makes the sum unknown (a gap) rather than the sum of the others, which Munin's own
/// `field.sum` would draw: it turns each unknown into 0 (`x,UN,0,x,IF`) before adding.
public struct AggregateGraph: Sendable, Equatable {
    public struct Line: Sendable, Equatable {
        /// The field's name in this graph.
        public var name: String
        /// `group;host:graph.field`: where its RRD file is (a summed line takes its first source's).
        public var reference: String
        /// `label`, `info`, `draw`, `colour`, `graph`, `cdef`, in the order written.
        public var attributes: [(key: String, value: String)]

        public init(name: String, reference: String, attributes: [(key: String, value: String)]) {
            self.name = name
            self.reference = reference
            self.attributes = attributes
        }

        public static func == (left: Line, right: Line) -> Bool {
            left.name == right.name && left.reference == right.reference && left.attributes.elementsEqual(right.attributes, by: ==)
        }

        public func attribute(_ key: String) -> String? { attributes.first { $0.key == key }?.value }
    }

    public var id: String
    /// `graph_title`, `graph_category`, ... in the order written.
    public var attributes: [(key: String, value: String)]
    /// Hidden sources first (a cdef may only name fields defined before it), then drawn lines.
    public var lines: [Line]

    public init(id: String, attributes: [(key: String, value: String)], lines: [Line]) {
        self.id = id
        self.attributes = attributes
        self.lines = lines
    }

    public static func == (left: AggregateGraph, right: AggregateGraph) -> Bool {
        left.id == right.id && left.lines == right.lines && left.attributes.elementsEqual(right.attributes, by: ==)
    }

    public func line(_ name: String) -> Line? { lines.first { $0.name == name } }
}
