/// A value as Munin takes it: a decimal number, or `U` for unknown. Whatever else a report holds
/// (an empty value, a half-written line, text) becomes `U`, so a damaged report never makes Munin
/// store a wrong number or reject the plugin's output.
enum MuninValue {
    static let unknown = "U"

    /// `text` when it is a plain decimal number (optional sign, digits, optional fraction), else `U`.
    static func from(_ text: String?) -> String {
        guard let text, isNumber(text) else { return unknown }
        return text
    }

    /// A count (calls, records, response codes, pattern matches): like `from`, but `U` is `0`.
    /// The original daemon writes `U` for every zero, and a count is never really unknown, so
    /// its reports draw a line at zero rather than a gap.
    static func count(_ text: String?) -> String {
        text == unknown ? "0" : from(text)
    }

    static func isNumber(_ text: String) -> Bool {
        var digits = 0, dots = 0
        // Scalars, not Characters: "4" with a combining accent is one Character between "0" and "9".
        for (index, character) in text.unicodeScalars.enumerated() {
            switch character {
            case "0"..."9": digits += 1
            case ".": dots += 1
            case "-", "+": if index != 0 { return false }
            default: return false
            }
        }
        return digits > 0 && dots <= 1 && text.last != "."
    }

    /// The product of two values, `U` when either is unknown; exact for integers.
    static func product(_ left: String, _ right: String) -> String {
        guard isNumber(left), isNumber(right) else { return unknown }
        if let a = Int(left), let b = Int(right) {
            let (result, overflow) = a.multipliedReportingOverflow(by: b)
            if !overflow { return String(result) }
        }
        guard let a = Double(left), let b = Double(right) else { return unknown }
        let result = a * b
        guard result.isFinite else { return unknown }
        if result == result.rounded(), abs(result) < 9e15 { return String(Int64(result)) }
        return String(result)
    }
}
