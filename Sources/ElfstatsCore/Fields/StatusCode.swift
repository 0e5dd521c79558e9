/// Reads the response status of a line: digits only (`200`), at most six of them. Anything else
/// (`200.1`, `2x0`, `-`, empty) makes the record an error.
public enum StatusCode {
    @inline(__always)
    public static func parse(_ text: UnsafePointer<UInt8>, count: Int) -> Int? {
        // Nearly every status has three digits: read them without a loop (measured with
        // callgrind on the benchmark: the loop cost about 45 instructions per line).
        if count == 3 {
            // in bounds: text[0..<3]. A byte below "0" wraps to above 9.
            let hundreds = text[0] &- 0x30, tens = text[1] &- 0x30, ones = text[2] &- 0x30
            guard hundreds <= 9, tens <= 9, ones <= 9 else { return nil }
            return Int(hundreds) &* 100 &+ Int(tens) &* 10 &+ Int(ones)
        }
        guard count > 0, count <= 6 else { return nil }
        var value = 0
        var index = 0
        while index < count {
            let digit = text[index] &- 0x30  // in bounds: index < count
            guard digit <= 9 else { return nil }
            // At most six digits: below 10^6, no overflow.
            value = value &* 10 &+ Int(digit)
            index &+= 1
        }
        return value
    }
}
