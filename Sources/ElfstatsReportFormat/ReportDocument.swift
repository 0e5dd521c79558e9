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
    /// section, one entry stays one line. Written by `ReportText`, which the daemon also uses to
    /// write a report without making its document, sized beforehand: cleaning replaces a
    /// character by one `?`, never by more bytes.
    public func rendered() -> String {
        var capacity = 0
        for section in sections {
            capacity += section.name.utf8.count + 4  // "\n[", "]\n"
            for entry in section.entries { capacity += entry.key.utf8.count + entry.value.utf8.count + 4 }
        }
        let text = ReportText(capacity: capacity)
        for section in sections {
            text.section(section.name)
            for entry in section.entries { text.entry(entry.key, entry.value) }
        }
        return text.text
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
