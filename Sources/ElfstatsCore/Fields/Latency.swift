/// Converts a latency field to whole milliseconds, exactly, from its digits.
///
/// Integer text is in the field's unit (Apache `%D` microseconds, Tomcat `%D` milliseconds,
/// `%T` seconds); text with a decimal point is seconds (nginx `$request_time`). Rounding is to
/// the nearest millisecond, halves away from zero, done on the digits rather than through binary
/// floating point, so `0.0005` s is 1 ms and not 0.
public enum Latency {
    /// The outcome of reading a latency field.
    public enum Reading: Sendable, Equatable {
        /// Milliseconds.
        case value(Int)
        /// `-`: the server did not know (e.g. nginx `$upstream_response_time` without an upstream).
        case unknown
        /// Not a number.
        case invalid
    }

    @inline(__always)
    public static func milliseconds(_ text: UnsafePointer<UInt8>, count: Int, unit: LatencyUnit) -> Reading {
        var index = 0
        var end = count
        if end == 1 && text[0] == UInt8(ascii: "-") { return .unknown }
        // An empty field is not the server saying "unknown": the line was cut short.
        if end == 0 { return .invalid }
        var whole = 0
        var wholeDigits = 0
        while index < end, text[index] >= 0x30, text[index] <= 0x39 {
            whole = whole &* 10 &+ Int(text[index] - 0x30)
            wholeDigits += 1
            index += 1
            if wholeDigits > 15 { return .invalid }
        }
        // nginx lists one value per upstream tried ("0.012, 0.003" or "0.012 : 0.003"); the
        // first one counts. Looked for only past the digits, which is where it can end.
        if index < end, let cut = firstSeparator(text, from: index, to: end) { end = cut }
        if index == end {
            guard wholeDigits > 0 else { return .invalid }
            switch unit {
            case .microseconds: return .value((whole + 500) / 1000)
            case .milliseconds: return .value(whole)
            case .seconds: return .value(whole * 1000)
            }
        }
        guard text[index] == UInt8(ascii: ".") else { return .invalid }
        index += 1
        // Seconds with a fraction: the first three fraction digits are milliseconds, the fourth rounds.
        var fraction = 0
        var fractionDigits = 0
        var roundUp = false
        while index < end {
            let digit = Int(text[index]) &- 48
            guard digit >= 0, digit <= 9 else { return .invalid }
            if fractionDigits < 3 {
                fraction = fraction * 10 + digit
            } else if fractionDigits == 3 {
                roundUp = digit >= 5
            }
            fractionDigits += 1
            index += 1
        }
        guard wholeDigits + fractionDigits > 0 else { return .invalid }
        for _ in min(fractionDigits, 3)..<3 { fraction *= 10 }
        return .value(whole * 1000 + fraction + (roundUp ? 1 : 0))
    }

    @inline(__always)
    static func firstSeparator(_ text: UnsafePointer<UInt8>, from: Int, to end: Int) -> Int? {
        for position in from..<end where text[position] == UInt8(ascii: ",") || text[position] == UInt8(ascii: " ") {
            return position
        }
        return nil
    }

    /// Reads a string (for tools and tests).
    public static func milliseconds(_ text: String, unit: LatencyUnit) -> Reading {
        var copy = text
        return copy.withUTF8 { buffer in
            guard let base = buffer.baseAddress else { return .unknown }
            return milliseconds(base, count: buffer.count, unit: unit)
        }
    }
}
