/// The two text formats a Prometheus server reads: the classic text format 0.0.4, and
/// OpenMetrics 1.0.0, which Prometheus asks for first. They differ only in small ways (the
/// family name of a counter, quoting in HELP, the closing `# EOF`), so serving both is cheap.
public enum ExpositionFormat: Sendable, Equatable, CaseIterable {
    case text
    case openMetrics

    /// The `Content-Type` of a body in this format.
    public var contentType: String {
        switch self {
        case .text: return "text/plain; version=0.0.4; charset=utf-8"
        case .openMetrics: return "application/openmetrics-text; version=1.0.0; charset=utf-8"
        }
    }

    /// The format to answer a request's `Accept` header with: OpenMetrics when it is asked for
    /// (any version, with a weight above zero and no lower than plain text's), else the text
    /// format, which every client reads, also when the header is absent or unreadable.
    public static func negotiate(accept: String?) -> ExpositionFormat {
        guard let accept else { return .text }
        var openMetrics = 0.0
        var text = 0.0
        for range in accept.split(separator: ",") {
            let parts = range.split(separator: ";").map { $0.trimmingSpaces().lowercased() }
            guard let type = parts.first else { continue }
            var weight = 1.0
            for parameter in parts.dropFirst() where parameter.hasPrefix("q=") {
                weight = Double(parameter.dropFirst(2)) ?? 0
            }
            switch type {
            case "application/openmetrics-text": openMetrics = max(openMetrics, weight)
            case "text/plain", "text/*", "*/*": text = max(text, weight)
            default: break
            }
        }
        return openMetrics > 0 && openMetrics >= text ? .openMetrics : .text
    }
}

extension StringProtocol {
    func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = lastIndex(where: { !isSpace($0) })!
        return String(self[first...last])
    }
}
