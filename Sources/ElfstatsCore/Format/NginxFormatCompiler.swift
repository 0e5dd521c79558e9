/// Compiles nginx `log_format` strings, whose fields are `$variable` or `${variable}`.
///
/// nginx has hundreds of variables and lets configurations define more (`map`, `set`), so every
/// syntactically valid name is accepted; the ones a report needs are recognised by name.
enum NginxFormatCompiler {
    /// A format is nginx's when it has `$name` fields and no `%` directives.
    static func looksLikeNginx(_ source: String) -> Bool {
        let bytes = Array(source.utf8)
        var hasVariable = false
        for index in bytes.indices where index + 1 < bytes.count {
            let next = bytes[index + 1]
            if bytes[index] == UInt8(ascii: "$"), isNameStart(next) || next == UInt8(ascii: "{") { hasVariable = true }
            if bytes[index] == UInt8(ascii: "%"), next != UInt8(ascii: " ") { return false }
        }
        return hasVariable
    }

    static func compile(_ source: String) throws(LogFormatError) -> [LogFormat.Element] {
        let bytes = Array(source.utf8)
        var elements: [LogFormat.Element] = []
        var literal: [UInt8] = []
        var fieldCount = 0
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\"") || bytes[index + 1] == UInt8(ascii: "\\") {
                literal.append(bytes[index + 1])
                index += 2
                continue
            }
            guard byte == UInt8(ascii: "$"), index + 1 < bytes.count,
                  isNameStart(bytes[index + 1]) || bytes[index + 1] == UInt8(ascii: "{") else {
                literal.append(byte)
                index += 1
                continue
            }
            let start = index
            var name: String
            if bytes[index + 1] == UInt8(ascii: "{") {
                guard let close = bytes[(index + 2)...].firstIndex(of: UInt8(ascii: "}")) else {
                    throw LogFormatError(format: source, position: start + 1, message: "'${' is not closed by '}'")
                }
                name = String(decoding: bytes[(index + 2)..<close], as: UTF8.self)
                guard !name.isEmpty, name.utf8.allSatisfy(isNameByte) else {
                    throw LogFormatError(format: source, position: start + 1, message: "'${\(name)}' is not a variable name")
                }
                index = close + 1
            } else {
                var end = index + 1
                while end < bytes.count, isNameByte(bytes[end]) { end += 1 }
                name = String(decoding: bytes[(index + 1)..<end], as: UTF8.self)
                index = end
            }
            if !literal.isEmpty { elements.append(.literal(literal)); literal = [] }
            elements.append(.field(.init(directive: "$" + name, role: role(of: name), terminator: .endOfLine, index: fieldCount)))
            fieldCount += 1
        }
        if !literal.isEmpty { elements.append(.literal(literal)) }
        return elements
    }

    private static func role(of name: String) -> FieldRole {
        switch name {
        case "time_local", "time_iso8601": return .time
        case "request": return .requestLine
        case "request_uri": return .requestURI
        case "status": return .status
        case "request_time", "upstream_response_time", "upstream_header_time": return .latency(.seconds)
        default: return .other
        }
    }

    private static func isNameStart(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == UInt8(ascii: "_")
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        isNameStart(byte) || (byte >= 0x30 && byte <= 0x39)
    }
}
