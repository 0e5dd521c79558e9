/// The `[prometheus]` table: where the daemon serves `GET /metrics` to a Prometheus server.
///
/// Opt-in: without the table nothing listens. The address is numeric and names one interface;
/// the documented choice is loopback (`127.0.0.1:9469`), reached by a Prometheus on the same
/// host or through a proxy that adds authentication, because the endpoint has none and shows the
/// URLs' method names to whoever connects.
public struct PrometheusSettings: Sendable, Equatable {
    public var listen: ListenAddress

    public init(listen: ListenAddress) { self.listen = listen }

    /// The settings a `[prometheus]` table takes.
    public static let keys = ["listen"]

    /// Reads the `[prometheus]` table. `globalKeys` are the settings that belong above the first
    /// table, named in the message when one of them was written below `[prometheus]` by mistake.
    public static func read(_ table: TOMLDocument.Table, path: String, globalKeys: [String]) throws(ConfigurationError) -> PrometheusSettings {
        var listen: ListenAddress? = nil
        for entry in table.entries {
            let key = "prometheus.\(entry.key)"
            switch entry.key {
            case "listen":
                guard case .string(let text) = entry.value else {
                    throw ConfigurationError(path: path, line: entry.line, key: key,
                                             message: "expected a string such as '127.0.0.1:9469', found \(entry.value.kindDescription)")
                }
                do {
                    listen = try ListenAddress(parsing: text)
                } catch {
                    throw ConfigurationError(path: path, line: entry.line, key: key, message: error.description)
                }
            default:
                if globalKeys.contains(entry.key) {
                    throw ConfigurationError(path: path, line: entry.line, key: key,
                                             message: "\(entry.key) is a global setting, but TOML reads every key after [prometheus] as part of that table: move it above the first [table]")
                }
                throw ConfigurationError(path: path, line: entry.line, key: key,
                                         message: "unknown setting; [prometheus] takes \(keys.joined(separator: ", "))")
            }
        }
        guard let listen else {
            throw ConfigurationError(path: path, line: table.line, key: "prometheus.listen",
                                     message: "missing; write listen = '127.0.0.1:9469', or remove [prometheus] to serve no metrics")
        }
        return PrometheusSettings(listen: listen)
    }
}
