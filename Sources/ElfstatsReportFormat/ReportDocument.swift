/// A report file as text: ordered `[section]`s of ordered `key = value` pairs (INI syntax).
///
/// This is the contract between the daemon, which renders one per data file every round, and
/// the Munin plugins, which read it back. Reading never fails: a half-written or garbled file
/// yields the sections it could read and counts the lines it could not, so a plugin can still
/// answer Munin (with unknown values) instead of crashing.
public struct ReportDocument: Sendable, Equatable {
    public struct Section: Sendable, Equatable {
        public var name: String
        public var entries: [(key: String, value: String)]

        public init(name: String, entries: [(key: String, value: String)] = []) {
            self.name = name
            self.entries = entries
        }

        /// The value of `key`, or nil when the section does not hold it.
        public subscript(key: String) -> String? {
            entries.first { $0.key == key }?.value
        }

        public static func == (lhs: Section, rhs: Section) -> Bool {
            lhs.name == rhs.name && lhs.entries.elementsEqual(rhs.entries) { $0.key == $1.key && $0.value == $1.value }
        }
    }

    public var sections: [Section]
    /// Lines that were neither a section header, a `key = value` pair, a comment nor blank.
    public var malformedLineCount: Int = 0

    public init(sections: [Section] = []) {
        self.sections = sections
    }

    /// The first section called `name`.
    public subscript(section name: String) -> Section? {
        sections.first { $0.name == name }
    }

    /// Reads INI text. Keys before any section header, comments (`;`, `#`) and blank lines are
    /// ignored; anything else that is not `key = value` is counted in `malformedLineCount`.
    public init(parsing text: String) {
        sections = []
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.trimmingWhitespace()
            if line.isEmpty || line.hasPrefix(";") || line.hasPrefix("#") { continue }
            if line.hasPrefix("[") {
                if line.hasSuffix("]") && line.count > 2 {
                    sections.append(Section(name: String(line.dropFirst().dropLast()).trimmingWhitespace()))
                } else {
                    malformedLineCount += 1
                }
                continue
            }
            guard let equals = line.firstIndex(of: "="), !sections.isEmpty else {
                malformedLineCount += 1
                continue
            }
            let key = line[..<equals].trimmingWhitespace()
            var value = line[line.index(after: equals)...].trimmingWhitespace()
            // Values may carry a trailing "; comment" as in the documentation's examples.
            if let semicolon = value.firstIndex(of: ";"), semicolon > value.startIndex,
               value[value.index(before: semicolon)] == " " {
                value = value[..<semicolon].trimmingWhitespace()
            }
            if key.isEmpty {
                malformedLineCount += 1
                continue
            }
            sections[sections.count - 1].entries.append((key: key, value: value))
        }
    }

    /// The INI text: `[name]`, then `key = value` lines, a blank line between sections. Control
    /// characters in names, keys and values are replaced (`LineSafeText`), so whatever reached a
    /// section, one entry stays one line.
    public func rendered() -> String {
        // Written once, straight into the String's storage, after measuring an upper bound of
        // its size: cleaning replaces a character by one `?`, never by more bytes. Appending
        // each piece to a byte array and decoding that cost 1.54 million instructions for the
        // benchmark's report (33 KB, 5,464 pieces; callgrind), a tenth of it in retaining the
        // pieces and a third in the array's generic append.
        var capacity = 0
        for section in sections {
            capacity += section.name.utf8.count + 4  // "\n[", "]\n"
            for entry in section.entries { capacity += entry.key.utf8.count + entry.value.utf8.count + 4 }
        }
        return String(unsafeUninitializedCapacity: capacity) { buffer in
            var out = ByteWriter(buffer)
            for (index, section) in sections.enumerated() {
                if index > 0 { out.put(0x0A) }
                out.put(UInt8(ascii: "["))
                out.putCleaned(section.name)
                out.put(UInt8(ascii: "]"))
                out.put(0x0A)
                for entry in section.entries {
                    out.putCleaned(entry.key)
                    out.put(UInt8(ascii: " "))
                    out.put(UInt8(ascii: "="))
                    out.put(UInt8(ascii: " "))
                    out.putCleaned(entry.value)
                    out.put(0x0A)
                }
            }
            return out.count
        }
    }
}

/// Bytes written into a buffer of a size fixed beforehand; every write checks that it fits.
private struct ByteWriter {
    let buffer: UnsafeMutableBufferPointer<UInt8>
    private(set) var count = 0

    init(_ buffer: UnsafeMutableBufferPointer<UInt8>) {
        self.buffer = buffer
    }

    mutating func put(_ byte: UInt8) {
        precondition(count < buffer.count)
        buffer.baseAddress![count] = byte  // within the buffer: checked on the line above
        count += 1
    }

    mutating func put(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress else { return }
        precondition(bytes.count <= buffer.count - count)
        (buffer.baseAddress! + count).update(from: source, count: bytes.count)  // fits: checked above
        count += bytes.count
    }

    /// `text` as `LineSafeText.cleaned` gives it. Printable ASCII, nearly every name, key and
    /// value, is checked and copied straight from the String's UTF-8 storage.
    mutating func putCleaned(_ text: String) {
        let copied = text.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            guard bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return false }
            put(bytes)
            return true
        }
        if copied != true {
            var cleaned = LineSafeText.cleaned(text)
            cleaned.withUTF8 { put($0) }
        }
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and carriage returns.
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = lastIndex(where: { !isSpace($0) })!
        return String(self[first...last])
    }
}
