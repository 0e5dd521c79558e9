extension StringProtocol {
    /// The text with every `character` replaced: the quoting of help text for the manual page
    /// and the shells (Foundation's replacingOccurrences is not linked: elfstatsd uses none of it).
    func replacingEvery(_ character: Character, with replacement: String) -> String {
        var result = ""
        for each in self {
            if each == character { result += replacement } else { result.append(each) }
        }
        return result
    }
}
