/// A compiled access-log format: the user's LogFormat string (Apache, Tomcat AccessLogValve,
/// varnishncsa, or nginx `log_format`) turned into a sequence of literal bytes and fields that
/// `LineSplitter` walks over the raw bytes of each line.
///
/// How a field ends is decided once, here, from what follows it in the format:
/// - a field written inside quotes (`"%r"`) runs to the next unescaped quote, so it may hold
///   spaces and Apache's `\"` escapes;
/// - Apache's `%t` is the bracketed `[08/Aug/2013:10:59:59 +0200]`;
/// - any other field runs up to the first byte of the literal text after it (usually a space),
///   or to the end of the line when it is last.
public struct LogFormat: Sendable {
    /// One step of the walk over a line.
    public enum Element: Sendable, Equatable {
        /// Bytes that must be present exactly.
        case literal([UInt8])
        /// A field; `index` numbers fields from 0 in format order.
        case field(Field)
    }

    /// How the end of a field is found.
    public enum Terminator: Sendable, Equatable {
        /// Up to (not including) this byte, or the end of the line.
        case byte(UInt8)
        /// Up to an unescaped `"`; backslash escapes the next byte.
        case quote
        /// `[` ... `]`, brackets included in the field.
        case bracketed
        /// Up to this byte, after first passing one space (nginx `$time_local` written without brackets).
        case byteAfterSpace(UInt8)
        /// To the end of the line.
        case endOfLine
    }

    public struct Field: Sendable, Equatable {
        /// The directive as written, e.g. `%>s`, `%{User-Agent}i`, `$request_time`.
        public var directive: String
        public var role: FieldRole
        public var terminator: Terminator
        /// Position of the field among fields, from 0.
        public var index: Int
    }

    /// The format as the user wrote it.
    public let source: String
    public let elements: [Element]
    /// The fields, in order.
    public var fields: [Field] {
        elements.compactMap { if case .field(let field) = $0 { return field } else { return nil } }
    }

    /// Indices (into `fields`) of the fields a record is made of; nil when the format lacks one.
    public let timeField: Int?
    public let requestField: Int?
    public let statusField: Int?
    public let latencyField: Int?

    /// Compiles a format. `latencyField` names the directive holding the latency when it is not
    /// the format's own (e.g. `%{X-Response-Time}o`); integer values in it are read in
    /// `customLatencyUnit`.
    public init(_ source: String, latencyField customLatency: String? = nil,
                integerLatencyUnit: LatencyUnit = .microseconds) throws(LogFormatError) {
        self.source = source
        var elements = NginxFormatCompiler.looksLikeNginx(source)
            ? try NginxFormatCompiler.compile(source)
            : try ApacheFormatCompiler.compile(source, integerLatencyUnit: integerLatencyUnit)
        LogFormat.assignTerminators(&elements)
        try LogFormat.checkFieldsAreSeparated(elements, source: source)

        var fields: [Field] = []
        for element in elements { if case .field(let field) = element { fields.append(field) } }

        if let customLatency {
            guard let index = fields.firstIndex(where: { $0.directive == customLatency }) else {
                throw LogFormatError(format: source, position: nil,
                                     message: "latency_field '\(customLatency)' is not a field of the format; write it exactly as in the format")
            }
            let unit: LatencyUnit
            if case .latency(let own) = fields[index].role { unit = own } else { unit = integerLatencyUnit }
            for (position, element) in elements.enumerated() {
                if case .field(var field) = element, field.index == index {
                    field.role = .latency(unit)
                    elements[position] = .field(field)
                }
            }
            fields[index].role = .latency(unit)
            latencyField = index
        } else {
            latencyField = LogFormat.preferredLatency(in: fields)
        }
        self.elements = elements
        timeField = fields.firstIndex { $0.role == .time }
        requestField = fields.firstIndex { $0.role == .requestLine } ?? fields.firstIndex { $0.role == .requestURI }
        statusField = LogFormat.preferredStatus(in: fields)
    }

    /// When several directives hold a latency, the most precise one wins.
    private static func preferredLatency(in fields: [Field]) -> Int? {
        let ranked = fields.enumerated().compactMap { (index, field) -> (rank: Int, index: Int)? in
            guard case .latency = field.role else { return nil }
            let rank: Int
            switch field.directive {
            case "%D": rank = 0
            case "%{us}T", "%{ms}T": rank = 1
            case "$request_time": rank = 2
            case "%{s}T", "%T": rank = 3
            default: rank = 4
            }
            return (rank, index)
        }
        return ranked.min { $0.rank < $1.rank || ($0.rank == $1.rank && $0.index < $1.index) }?.index
    }

    /// `%>s` (the final status) is preferred over `%s` (the original one, before internal redirects).
    private static func preferredStatus(in fields: [Field]) -> Int? {
        let statuses = fields.indices.filter { fields[$0].role == .status }
        return statuses.first { fields[$0].directive.contains(">") } ?? statuses.first
    }

    private static func assignTerminators(_ elements: inout [Element]) {
        for position in elements.indices {
            guard case .field(var field) = elements[position] else { continue }
            let next: [UInt8]? = position + 1 < elements.count ? {
                if case .literal(let bytes) = elements[position + 1] { return bytes } else { return nil }
            }() : nil
            let previous: [UInt8]? = position > 0 ? {
                if case .literal(let bytes) = elements[position - 1] { return bytes } else { return nil }
            }() : nil
            let quoted = previous?.last == UInt8(ascii: "\"") && next?.first == UInt8(ascii: "\"")
            if field.directive == "%t" {
                field.terminator = .bracketed
            } else if quoted {
                field.terminator = .quote
            } else if let first = next?.first {
                // `08/Aug/2013:10:59:59 +0200` written without brackets holds a space; ISO 8601 does not.
                let spaced = field.role == .time && field.directive != "$time_iso8601"
                    && first == UInt8(ascii: " ") && previous?.last != UInt8(ascii: "[")
                field.terminator = spaced ? .byteAfterSpace(first) : .byte(first)
            } else {
                field.terminator = .endOfLine
            }
            elements[position] = .field(field)
        }
    }

    /// Two fields with nothing between them cannot be told apart in a line.
    private static func checkFieldsAreSeparated(_ elements: [Element], source: String) throws(LogFormatError) {
        for position in elements.indices.dropFirst() {
            if case .field(let second) = elements[position], case .field(let first) = elements[position - 1],
               first.terminator != .bracketed {
                throw LogFormatError(format: source, position: nil,
                                     message: "fields \(first.directive) and \(second.directive) follow each other with nothing between them, so a line cannot be split between them")
            }
        }
    }
}

/// A format elfstatsd cannot compile.
public struct LogFormatError: Error, Sendable, Equatable, CustomStringConvertible {
    public var format: String
    /// 1-based column in the format, when the error is at one place.
    public var position: Int?
    public var message: String

    public var description: String {
        if let position { return "\(message) at column \(position) of the format" }
        return message
    }
}
