/// Compiles `%` formats: Apache mod_log_config `LogFormat`, Tomcat `AccessLogValve` patterns and
/// varnishncsa formats, which share the syntax `%[!][codes][<>]{argument}[<>]letter`.
enum ApacheFormatCompiler {
    /// Letters of mod_log_config, Tomcat's AccessLogValve and varnishncsa, with or without an argument.
    static let knownLetters: Set<UInt8> = Set("aAbBcCDeEfFhHiIklLmnoOpPqrRsStTuUvVXx".utf8)

    static func compile(_ source: String, integerLatencyUnit: LatencyUnit) throws(LogFormatError) -> [LogFormat.Element] {
        let bytes = Array(source.utf8)
        var elements: [LogFormat.Element] = []
        var literal: [UInt8] = []
        var fieldCount = 0
        var index = 0

        func flushLiteral() {
            if !literal.isEmpty { elements.append(.literal(literal)); literal = [] }
        }
        func fail(_ message: String, at column: Int) -> LogFormatError {
            LogFormatError(format: source, position: column + 1, message: message)
        }

        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\"), index + 1 < bytes.count {
                switch bytes[index + 1] {
                case UInt8(ascii: "\""): literal.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): literal.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "t"): literal.append(0x09)
                default: literal.append(byte); index += 1; continue
                }
                index += 2
                continue
            }
            guard byte == UInt8(ascii: "%") else {
                literal.append(byte)
                index += 1
                continue
            }
            let start = index
            index += 1
            guard index < bytes.count else { throw fail("the format ends with a lone '%'", at: start) }
            if bytes[index] == UInt8(ascii: "%") {
                literal.append(UInt8(ascii: "%"))
                index += 1
                continue
            }
            // Status conditions (`%400,501{User-agent}i`, `%!200{Referer}i`) and `<`/`>` modifiers.
            while index < bytes.count, bytes[index] == UInt8(ascii: "!") || bytes[index] == UInt8(ascii: ",")
                    || bytes[index] == UInt8(ascii: "<") || bytes[index] == UInt8(ascii: ">")
                    || (bytes[index] >= UInt8(ascii: "0") && bytes[index] <= UInt8(ascii: "9")) {
                index += 1
            }
            var argument: String? = nil
            if index < bytes.count, bytes[index] == UInt8(ascii: "{") {
                guard let close = bytes[index...].firstIndex(of: UInt8(ascii: "}")) else {
                    throw fail("'{' is not closed by '}'", at: index)
                }
                argument = String(decoding: bytes[(index + 1)..<close], as: UTF8.self)
                index = close + 1
                while index < bytes.count, bytes[index] == UInt8(ascii: "<") || bytes[index] == UInt8(ascii: ">") { index += 1 }
            }
            guard index < bytes.count else { throw fail("directive '\(String(decoding: bytes[start...], as: UTF8.self))' has no letter", at: start) }
            var letterEnd = index + 1
            if bytes[index] == UInt8(ascii: "^") {
                // %{VARNAME}^ti and %{VARNAME}^to: request and response trailers.
                guard index + 2 < bytes.count, bytes[index + 1] == UInt8(ascii: "t"),
                      bytes[index + 2] == UInt8(ascii: "i") || bytes[index + 2] == UInt8(ascii: "o") else {
                    throw fail("unknown directive '\(String(decoding: bytes[start..<min(index + 3, bytes.count)], as: UTF8.self))'", at: start)
                }
                letterEnd = index + 3
            } else if !knownLetters.contains(bytes[index]) {
                throw fail("unknown directive '\(String(decoding: bytes[start...index], as: UTF8.self))'", at: start)
            }
            let directive = String(decoding: bytes[start..<letterEnd], as: UTF8.self)
            let role = Self.role(letter: bytes[index], argument: argument, integerLatencyUnit: integerLatencyUnit)
            if bytes[index] == UInt8(ascii: "T"), let argument, !["s", "ms", "us"].contains(argument) {
                throw fail("unknown unit in '\(directive)'; use %{s}T, %{ms}T or %{us}T", at: start)
            }
            flushLiteral()
            elements.append(.field(.init(directive: directive, role: role, terminator: .endOfLine, index: fieldCount)))
            fieldCount += 1
            index = letterEnd
        }
        flushLiteral()
        return elements
    }

    private static func role(letter: UInt8, argument: String?, integerLatencyUnit: LatencyUnit) -> FieldRole {
        switch letter {
        case UInt8(ascii: "t"): return argument == nil ? .time : .other
        case UInt8(ascii: "r"): return .requestLine
        case UInt8(ascii: "U"): return .requestURI
        case UInt8(ascii: "s"): return .status
        case UInt8(ascii: "D"): return .latency(integerLatencyUnit)
        case UInt8(ascii: "T"):
            switch argument {
            case nil, "s": return .latency(.seconds)
            case "ms": return .latency(.milliseconds)
            case "us": return .latency(.microseconds)
            default: return .other
            }
        default: return .other
        }
    }
}
