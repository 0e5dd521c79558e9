/// Writes metric families in one of the exposition formats: `# HELP`, `# TYPE` (and for
/// OpenMetrics `# UNIT`), then the samples, each `name{label="value",...} value`.
///
/// Label values come from the access logs (group and method names are parts of URLs), so
/// they are escaped as both formats require: backslash, double quote and line feed.
public struct ExpositionWriter {
    public enum MetricType: String, Sendable {
        case counter, gauge, summary
    }

    public let format: ExpositionFormat
    private var text = ""

    public init(format: ExpositionFormat) {
        self.format = format
        text.reserveCapacity(4096)
    }

    /// Starts a family. `name` is the name its samples carry (`..._total` for a counter); in
    /// OpenMetrics a counter family is named without `_total`.
    public mutating func family(_ name: String, _ type: MetricType, help: String, unit: String? = nil) {
        var familyName = name
        if format == .openMetrics, type == .counter, name.hasSuffix("_total") {
            familyName = String(name.dropLast("_total".count))
        }
        text += "# HELP \(familyName) \(Self.escapedHelp(help, format: format))\n"
        text += "# TYPE \(familyName) \(type.rawValue)\n"
        if format == .openMetrics, let unit { text += "# UNIT \(familyName) \(unit)\n" }
    }

    /// One sample line.
    public mutating func sample(_ name: String, _ labels: [(String, String)], _ value: SampleValue) {
        text += name
        if !labels.isEmpty {
            text += "{"
            for (index, (label, labelValue)) in labels.enumerated() {
                if index > 0 { text += "," }
                text += label
                text += "=\""
                text += Self.escapedLabelValue(labelValue)
                text += "\""
            }
            text += "}"
        }
        text += " "
        text += value.rendered
        text += "\n"
    }

    /// The body: what was written, closed with `# EOF` in OpenMetrics.
    public func finished() -> String {
        format == .openMetrics ? text + "# EOF\n" : text
    }

    /// A label value with `\`, `"` and line feed escaped (the same in both formats).
    public static func escapedLabelValue(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == 0x5C || $0 == 0x22 || $0 == 0x0A }) else { return value }
        var escaped = ""
        escaped.reserveCapacity(value.utf8.count + 8)
        for character in value.unicodeScalars {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }

    /// HELP text: `\` and line feed escaped in both formats, `"` as well in OpenMetrics.
    static func escapedHelp(_ help: String, format: ExpositionFormat) -> String {
        var escaped = ""
        for character in help.unicodeScalars {
            switch character {
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\"" where format == .openMetrics: escaped += "\\\""
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }
}

/// A sample's value, written exactly: counts as integers, milliseconds as decimal seconds
/// (`150` ms is `0.15`), so a value is the same number the report holds, not a float's
/// nearest neighbour printed back.
public enum SampleValue: Sendable, Equatable {
    case integer(Int)
    case milliseconds(Int)
    case notANumber

    public var rendered: String {
        switch self {
        case .integer(let value): return String(value)
        case .notANumber: return "NaN"
        case .milliseconds(let value):
            let sign = value < 0 ? "-" : ""
            let magnitude = value.magnitude
            let whole = magnitude / 1000
            var fraction = magnitude % 1000
            guard fraction > 0 else { return "\(sign)\(whole)" }
            var digits = 3
            while fraction % 10 == 0 { fraction /= 10; digits -= 1 }
            let text = String(fraction)
            return "\(sign)\(whole)." + String(repeating: "0", count: digits - text.count) + text
        }
    }
}
