/// Settings that shape the graphs rather than the plugin's behaviour.
struct GraphOptions: Sendable {
    /// The daemon's round length in words, for vertical labels: "5 min".
    var period: String
    /// Groups that get no response-time graphs (their methods are too few to be worth them).
    var smallGroups: Set<String>
    /// Response codes with a graph of their own; the rest share one graph per hundred.
    var importantCodes: [String]

    /// "5 min" for 300 s, "1 h" for 3600 s, "45 s" for 45 s.
    static func period(ofSeconds seconds: Int) -> String {
        if seconds > 0 && seconds % 3600 == 0 { return "\(seconds / 3600) h" }
        if seconds > 0 && seconds % 60 == 0 { return "\(seconds / 60) min" }
        return "\(seconds) s"
    }
}
