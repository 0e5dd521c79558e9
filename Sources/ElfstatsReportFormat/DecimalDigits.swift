/// The decimal digits of an integer, as `String(value)` writes them, put straight into memory:
/// the one digit writer of a report's numbers (`ReportText` writes them into the text,
/// `DecimalText` makes Strings of them for a report document).
public enum DecimalDigits {
    /// The most bytes `write` puts: a sign and the 19 digits of `Int.min`.
    public static let longest = 20

    /// Writes `value` at `out`, which must have room for `longest` bytes; returns how many it
    /// wrote.
    @inlinable
    public static func write(_ value: Int, to out: UnsafeMutablePointer<UInt8>) -> Int {
        var length = 0
        if value < 0 {
            out[0] = UInt8(ascii: "-")
            length = 1
        }
        var digits = 1
        var rest = value.magnitude
        while rest >= 10 {
            rest /= 10
            digits += 1
        }
        var magnitude = value.magnitude
        // in bounds: length + digits <= 1 + 19 = longest.
        for position in stride(from: length + digits - 1, through: length, by: -1) {
            out[position] = UInt8(truncatingIfNeeded: magnitude % 10) &+ UInt8(ascii: "0")
            magnitude /= 10
        }
        return length + digits
    }
}
