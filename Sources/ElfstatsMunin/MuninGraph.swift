/// One graph of a multigraph plugin: what `config` says about it and what `fetch` reports.
public struct MuninGraph: Sendable, Equatable {
    public struct Field: Sendable, Equatable {
        public var name: String
        public var label: String
        public var info: String?
        public var draw: String = "LINE1"
        public var colour: String?
        /// A number or `U`.
        public var value: String

        init(name: String, label: String, info: String? = nil, draw: String = "LINE1", colour: String? = nil, value: String) {
            self.name = name
            self.label = label
            self.info = info
            self.draw = draw
            self.colour = colour
            self.value = value
        }
    }

    /// The graph id (`multigraph` name), without the instance suffix.
    public var id: String
    public var title: String
    public var info: String?
    public var arguments: String
    public var verticalLabel: String
    public var fields: [Field] = []

    static let linear = "--base 1000"
    static let logarithmic = "--base 1000 --logarithmic --units=si"
}
