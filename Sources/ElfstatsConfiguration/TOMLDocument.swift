/// The part of TOML that elfstatsd's configuration uses, read with the line of every key kept,
/// so that every mistake can be reported as `FILE:LINE: key: what is wrong`.
///
/// Supported: comments, bare keys, `key = value`, `[table]`, `[[array-of-tables]]`, basic and
/// literal strings (also their multi-line forms), integers (with `_`, `0x`), floats, booleans and
/// arrays spanning lines. Not needed by the configuration and rejected with a clear message:
/// dotted and quoted keys, inline tables, dates.
public struct TOMLDocument: Sendable {
    /// A value and the line its key is on.
    public struct Entry: Sendable {
        public var key: String
        public var value: TOMLValue
        public var line: Int
    }

    /// A table: its entries in file order; `line` is the line of its header (0 for the root).
    public struct Table: Sendable {
        public var name: String
        public var line: Int
        public var entries: [Entry] = []

        public subscript(key: String) -> Entry? { entries.first { $0.key == key } }
    }

    /// Keys before the first header.
    public var root: Table
    /// `[name]` tables and `[[name]]` array elements, in file order.
    public var tables: [Table] = []
    /// Names that were written as `[[name]]`.
    public var arrayTableNames: Set<String> = []

    public init(parsing text: String) throws(TOMLSyntaxError) {
        var parser = TOMLParser(bytes: Array(text.utf8))
        self = try parser.parseDocument()
    }

    init(root: Table) { self.root = root }
}

public indirect enum TOMLValue: Sendable, Equatable {
    case string(String)
    case integer(Int)
    case float(Double)
    case boolean(Bool)
    case array([TOMLValue])

    /// How a value is named in messages: "a string", "an integer", ...
    public var kindDescription: String {
        switch self {
        case .string: return "a string"
        case .integer: return "an integer"
        case .float: return "a number with a fraction"
        case .boolean: return "a boolean"
        case .array: return "an array"
        }
    }
}

/// A syntax error with the line it is on.
public struct TOMLSyntaxError: Error, Sendable, Equatable {
    public var line: Int
    public var message: String
}

/// A recursive-descent reader over the bytes of the file.
struct TOMLParser {
    let bytes: [UInt8]
    var index = 0
    var line = 1

    init(bytes: [UInt8]) { self.bytes = bytes }

    private var atEnd: Bool { index >= bytes.count }
    private var current: UInt8 { bytes[index] }
    private func peek(_ offset: Int = 0) -> UInt8? {
        index + offset < bytes.count ? bytes[index + offset] : nil
    }

    private func fail(_ message: String) -> TOMLSyntaxError { TOMLSyntaxError(line: line, message: message) }

    mutating func parseDocument() throws(TOMLSyntaxError) -> TOMLDocument {
        var document = TOMLDocument(root: .init(name: "", line: 0))
        var table: TOMLDocument.Table? = nil   // nil: still in the root table
        func close(_ table: TOMLDocument.Table?, into document: inout TOMLDocument) {
            if let table { document.tables.append(table) }
        }
        while true {
            skipBlankAndComments()
            if atEnd { break }
            if current == UInt8(ascii: "[") {
                let headerLine = line
                index += 1
                let isArray = peek() == UInt8(ascii: "[")
                if isArray { index += 1 }
                skipSpaces()
                let name = try parseKey()
                skipSpaces()
                guard peek() == UInt8(ascii: "]") else { throw fail("expected ']' to close the table header") }
                index += 1
                if isArray {
                    guard peek() == UInt8(ascii: "]") else { throw fail("expected ']]' to close the array-of-tables header") }
                    index += 1
                }
                try expectEndOfLine()
                close(table, into: &document)
                if isArray {
                    document.arrayTableNames.insert(name)
                } else if document.tables.contains(where: { $0.name == name }) || document.arrayTableNames.contains(name) {
                    throw TOMLSyntaxError(line: headerLine, message: "table [\(name)] is defined twice")
                }
                table = TOMLDocument.Table(name: name, line: headerLine)
                continue
            }
            let keyLine = line
            let key = try parseKey()
            skipSpaces()
            guard peek() == UInt8(ascii: "=") else { throw fail("expected '=' after the key '\(key)'") }
            index += 1
            skipSpaces()
            let value = try parseValue()
            try expectEndOfLine()
            let entry = TOMLDocument.Entry(key: key, value: value, line: keyLine)
            if table != nil {
                if table![key] != nil { throw TOMLSyntaxError(line: keyLine, message: "\(key): defined twice in [\(table!.name)]") }
                table!.entries.append(entry)
            } else {
                if document.root[key] != nil { throw TOMLSyntaxError(line: keyLine, message: "\(key): defined twice") }
                document.root.entries.append(entry)
            }
        }
        close(table, into: &document)
        return document
    }

    private mutating func skipSpaces() {
        while let byte = peek(), byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") { index += 1 }
    }

    /// Skips whitespace, newlines and comments (used between statements and inside arrays).
    private mutating func skipBlankAndComments() {
        while let byte = peek() {
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"): index += 1
            case UInt8(ascii: "\n"): index += 1; line += 1
            case UInt8(ascii: "#"): while let b = peek(), b != UInt8(ascii: "\n") { index += 1 }
            default: return
            }
        }
    }

    private mutating func expectEndOfLine() throws(TOMLSyntaxError) {
        skipSpaces()
        if peek() == UInt8(ascii: "#") { while let b = peek(), b != UInt8(ascii: "\n") { index += 1 } }
        if peek() == UInt8(ascii: "\r") { index += 1 }
        guard let byte = peek() else { return }
        guard byte == UInt8(ascii: "\n") else { throw fail("unexpected text after the value; one `key = value` per line") }
    }

    private static func isBareKeyByte(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == UInt8(ascii: "_") || b == UInt8(ascii: "-")
    }

    private mutating func parseKey() throws(TOMLSyntaxError) -> String {
        let start = index
        while let byte = peek(), Self.isBareKeyByte(byte) { index += 1 }
        if index == start {
            if peek() == UInt8(ascii: "\"") || peek() == UInt8(ascii: "'") { throw fail("quoted keys are not used in this configuration") }
            throw fail("expected a key name (letters, digits, '_' or '-')")
        }
        if peek() == UInt8(ascii: ".") { throw fail("dotted keys are not used in this configuration") }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private mutating func parseValue() throws(TOMLSyntaxError) -> TOMLValue {
        guard let byte = peek() else { throw fail("expected a value after '='") }
        switch byte {
        case UInt8(ascii: "\""):
            if peek(1) == UInt8(ascii: "\""), peek(2) == UInt8(ascii: "\"") { return .string(try parseMultilineBasicString()) }
            return .string(try parseBasicString())
        case UInt8(ascii: "'"):
            if peek(1) == UInt8(ascii: "'"), peek(2) == UInt8(ascii: "'") { return .string(try parseMultilineLiteralString()) }
            return .string(try parseLiteralString())
        case UInt8(ascii: "["):
            return try parseArray()
        case UInt8(ascii: "{"):
            throw fail("inline tables are not used in this configuration; write a [table] instead")
        default:
            return try parseScalar()
        }
    }

    private mutating func parseArray() throws(TOMLSyntaxError) -> TOMLValue {
        let openLine = line
        index += 1
        var elements: [TOMLValue] = []
        while true {
            skipBlankAndComments()
            guard let byte = peek() else { throw TOMLSyntaxError(line: openLine, message: "array opened here is never closed with ']'") }
            if byte == UInt8(ascii: "]") { index += 1; break }
            elements.append(try parseValue())
            skipBlankAndComments()
            if peek() == UInt8(ascii: ",") { index += 1; continue }
            if peek() == UInt8(ascii: "]") { index += 1; break }
            if atEnd { throw TOMLSyntaxError(line: openLine, message: "array opened here is never closed with ']'") }
            throw fail("expected ',' or ']' in the array")
        }
        return .array(elements)
    }

    private mutating func parseLiteralString() throws(TOMLSyntaxError) -> String {
        index += 1
        let start = index
        while let byte = peek(), byte != UInt8(ascii: "'") {
            if byte == UInt8(ascii: "\n") { throw fail("string is not closed on its line (use ''' for several lines)") }
            index += 1
        }
        guard !atEnd else { throw fail("string is not closed") }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        index += 1
        return text
    }

    private mutating func parseMultilineLiteralString() throws(TOMLSyntaxError) -> String {
        index += 3
        if peek() == UInt8(ascii: "\n") { index += 1; line += 1 }
        let start = index
        while index + 2 < bytes.count {
            if bytes[index] == UInt8(ascii: "'"), bytes[index + 1] == UInt8(ascii: "'"), bytes[index + 2] == UInt8(ascii: "'") {
                let text = String(decoding: bytes[start..<index], as: UTF8.self)
                index += 3
                return text
            }
            if bytes[index] == UInt8(ascii: "\n") { line += 1 }
            index += 1
        }
        throw fail("multi-line string ''' is never closed")
    }

    private mutating func parseBasicString() throws(TOMLSyntaxError) -> String {
        index += 1
        var out: [UInt8] = []
        while let byte = peek() {
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\n"):
                throw fail("string is not closed on its line")
            case UInt8(ascii: "\\"):
                try parseEscape(into: &out)
            default:
                out.append(byte)
                index += 1
            }
        }
        throw fail("string is not closed")
    }

    private mutating func parseMultilineBasicString() throws(TOMLSyntaxError) -> String {
        index += 3
        if peek() == UInt8(ascii: "\n") { index += 1; line += 1 }
        var out: [UInt8] = []
        while let byte = peek() {
            if byte == UInt8(ascii: "\""), peek(1) == UInt8(ascii: "\""), peek(2) == UInt8(ascii: "\"") {
                index += 3
                return String(decoding: out, as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") {
                try parseEscape(into: &out)
                continue
            }
            if byte == UInt8(ascii: "\n") { line += 1 }
            out.append(byte)
            index += 1
        }
        throw fail("multi-line string \"\"\" is never closed")
    }

    private mutating func parseEscape(into out: inout [UInt8]) throws(TOMLSyntaxError) {
        index += 1
        guard let byte = peek() else { throw fail("string ends with a lone backslash") }
        index += 1
        switch byte {
        case UInt8(ascii: "\""): out.append(byte)
        case UInt8(ascii: "\\"): out.append(byte)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            let width = byte == UInt8(ascii: "u") ? 4 : 8
            guard index + width <= bytes.count,
                  let scalarValue = UInt32(String(decoding: bytes[index..<index + width], as: UTF8.self), radix: 16),
                  let scalar = Unicode.Scalar(scalarValue) else { throw fail("bad \\u escape in string") }
            index += width
            out.append(contentsOf: Array(String(Character(scalar)).utf8))
        default:
            throw fail("unknown escape '\\\(Character(Unicode.Scalar(byte)))' in a \"double-quoted\" string; regexes are easier in 'single quotes', which take backslashes as they are")
        }
    }

    private mutating func parseScalar() throws(TOMLSyntaxError) -> TOMLValue {
        let start = index
        while let byte = peek(), byte != UInt8(ascii: ","), byte != UInt8(ascii: "]"), byte != UInt8(ascii: "\n"),
              byte != UInt8(ascii: " "), byte != UInt8(ascii: "\t"), byte != UInt8(ascii: "#"), byte != UInt8(ascii: "\r") {
            index += 1
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if text == "true" { return .boolean(true) }
        if text == "false" { return .boolean(false) }
        let digits = text.replacingOccurrences(of: "_", with: "")
        if digits.hasPrefix("0x"), let value = Int(digits.dropFirst(2), radix: 16) { return .integer(value) }
        if let value = Int(digits) { return .integer(value) }
        if digits.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }), let value = Double(digits) { return .float(value) }
        if text.isEmpty { throw fail("expected a value") }
        throw fail("'\(text)' is not a value: strings need quotes ('text' or \"text\"), booleans are true/false")
    }
}

extension String {
    fileprivate func replacingOccurrences(of target: Character, with replacement: String) -> String {
        var out = ""
        for character in self { if character == target { out += replacement } else { out.append(character) } }
        return out
    }
}
