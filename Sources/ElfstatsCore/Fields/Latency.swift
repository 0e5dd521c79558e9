/// Converts a latency field to whole milliseconds, exactly, from its digits.
///
/// Integer text is in the field's unit (Apache `%D` microseconds, Tomcat `%D` milliseconds,
/// `%T` seconds); text with a decimal point is seconds (nginx `$request_time`). Rounding is to
/// the nearest millisecond, halves away from zero, done on the digits rather than through binary
/// floating point, so `0.0005` s is 1 ms and not 0.
///
/// The whole field the format delimits is read: `12 34` or `0.5,x` are not numbers. Only a field
/// the format declares a list (nginx's `$upstream_*_time`, one value per upstream tried:
/// `0.012, 0.003` or `0.012 : 0.004`) may hold several values; every one of them must be a
/// number or `-`, and the first counts, as it always has.
public enum Latency {
    /// The outcome of reading a latency field.
    public enum Reading: Sendable, Equatable {
        /// Milliseconds, at most `maximumMilliseconds`.
        case value(Int)
        /// `-`: the server did not know (e.g. nginx `$upstream_response_time` without an upstream).
        case unknown
        /// Not a number.
        case invalid
        /// A number above `maximumMilliseconds`: an error record, so that no sum, average or
        /// percentile can overflow.
        case outOfRange
    }

    /// 2^31 - 1 ms, 24.8 days: no request takes longer, and with every latency at most this,
    /// a method's sum of latencies cannot overflow 128 bits, nor a percentile's blend 64 bits.
    /// (A value of 999999999999999.999 s in ten lines made the average negative before.)
    public static let maximumMilliseconds = Int(Int32.max)

    @inline(__always)
    public static func milliseconds(_ text: UnsafePointer<UInt8>, count: Int, unit: LatencyUnit, list: Bool = false) -> Reading {
        if list { return listed(text, count: count, unit: unit) }
        if count == 1 && text[0] == UInt8(ascii: "-") { return .unknown }
        // An empty field is not the server saying "unknown": the line was cut short (`single`
        // finds no digits in it).
        return single(text, from: 0, to: count, unit: unit)
    }

    /// A field that may hold one value per upstream tried.
    @inline(never)
    static func listed(_ text: UnsafePointer<UInt8>, count: Int, unit: LatencyUnit) -> Reading {
        if count == 1 && text[0] == UInt8(ascii: "-") { return .unknown }
        if count == 0 { return .invalid }
        var first: Reading? = nil
        var start = 0
        while true {
            var end = start
            while end < count, text[end] != UInt8(ascii: ","), text[end] != UInt8(ascii: ":") { end += 1 }
            // Elements are separated by "," or ":" with optional spaces around.
            var from = start, to = end
            while from < to, text[from] == UInt8(ascii: " ") { from += 1 }
            while to > from, text[to - 1] == UInt8(ascii: " ") { to -= 1 }
            let element: Reading = (to - from == 1 && text[from] == UInt8(ascii: "-")) ? .unknown : single(text, from: from, to: to, unit: unit)
            switch element {
            case .invalid, .outOfRange: return element
            case .value, .unknown: if first == nil { first = element }
            }
            if end == count { return first! }
            start = end + 1
        }
    }

    /// One number in `text[from..<to]`.
    @inline(__always)
    static func single(_ text: UnsafePointer<UInt8>, from: Int, to end: Int, unit: LatencyUnit) -> Reading {
        var index = from
        var whole = 0
        if end &- index >= 4 {
            // Four digits at once (SWAR): Apache's `%D` has four to six. in bounds: the load
            // covers index..<index + 4 <= end.
            let word = UInt32(littleEndian: UnsafeRawPointer(text + index).loadUnaligned(as: UInt32.self))
            // Every byte 0x30...0x39: high nibble 3, and adding 6 keeps it 3 (no byte carries).
            if word & 0xF0F0_F0F0 == 0x3030_3030, (word &+ 0x0606_0606) & 0xF0F0_F0F0 == 0x3030_3030 {
                let digits = word &- 0x3030_3030
                // Byte 0 (the first digit) times ten plus byte 1, and byte 2 times ten plus byte 3.
                let pairs = (digits &* 10 &+ digits &>> 8) & 0x00FF_00FF
                whole = Int(pairs & 0xFFFF) &* 100 &+ Int(pairs &>> 16)
                index &+= 4
            }
        }
        while index < end {
            let digit = text[index] &- 0x30
            if digit > 9 { break }
            // Wrapping is harmless: more than 13 digits (10^13 µs and up) is out of range in
            // every unit, decided from the digit count below.
            whole = whole &* 10 &+ Int(digit)
            index &+= 1  // index < end
        }
        let tooLarge = index &- from > 13
        if index == end {
            guard index > from else { return .invalid }
            if tooLarge { return .outOfRange }
            let milliseconds: Int
            switch unit {
            case .microseconds: milliseconds = (whole &+ 500) / 1000  // whole < 10^13: no overflow
            case .milliseconds: milliseconds = whole
            case .seconds: milliseconds = whole > maximumMilliseconds ? maximumMilliseconds + 1 : whole * 1000
            }
            return milliseconds > maximumMilliseconds ? .outOfRange : .value(milliseconds)
        }
        return fraction(text, whole: whole, wholeDigits: index - from, tooLarge: tooLarge, from: index, to: end)
    }

    /// Seconds with a decimal point, from the point on: the first three fraction digits are
    /// milliseconds, the fourth rounds.
    @inline(never)
    static func fraction(_ text: UnsafePointer<UInt8>, whole: Int, wholeDigits: Int, tooLarge: Bool, from: Int, to end: Int) -> Reading {
        var index = from
        guard text[index] == UInt8(ascii: ".") else { return .invalid }
        index += 1
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
        if tooLarge || whole > maximumMilliseconds / 1000 + 1 { return .outOfRange }
        for _ in min(fractionDigits, 3)..<3 { fraction *= 10 }
        let milliseconds = whole * 1000 + fraction + (roundUp ? 1 : 0)
        return milliseconds > maximumMilliseconds ? .outOfRange : .value(milliseconds)
    }

    /// Whether a latency directive holds nginx's list of one value per upstream tried.
    public static func isList(directive: String) -> Bool {
        directive.hasPrefix("$upstream_") || directive.hasPrefix("${upstream_")
    }

    /// Reads a string (for tools and tests).
    public static func milliseconds(_ text: String, unit: LatencyUnit, list: Bool = false) -> Reading {
        var copy = text
        return copy.withUTF8 { buffer in
            guard let base = buffer.baseAddress else { return .invalid }
            return milliseconds(base, count: buffer.count, unit: unit, list: list)
        }
    }
}
