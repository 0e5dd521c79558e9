/// Text broken into lines at spaces for an 80-column terminal, as `--help` prints it.
enum TextWrapping {
    /// Lines of at most 79 characters, as swift-argument-parser wrapped `--help` when not on a
    /// terminal (80 columns, a line may not reach the last one unless it is the text's only
    /// line), so that the help reads as before, in a pipe, a log and a terminal alike.
    static let columns = 80

    /// The words of `text` in lines that fit `columns` once the caller has put `firstIndent`
    /// columns before the first line and `indent` before the others; a word longer than that
    /// gets a line of its own.
    static func lines(_ text: String, columns: Int = columns, firstIndent: Int = 0, indent: Int = 0) -> [String] {
        if text.count <= columns - firstIndent { return [text] }
        var lines: [String] = []
        var line = ""
        var room = columns - 1 - firstIndent
        for word in text.split(separator: " ") {
            if line.isEmpty {
                line = String(word)
            } else if line.count + 1 + word.count <= room {
                line += " " + word
            } else {
                lines.append(line)
                line = String(word)
                room = columns - 1 - indent
            }
        }
        lines.append(line)
        return lines
    }
}
