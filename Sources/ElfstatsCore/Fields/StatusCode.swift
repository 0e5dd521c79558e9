/// Reads the response status of a line: digits only (`200`), at most six of them. Anything else
/// (`200.1`, `2x0`, `-`, empty) makes the record an error.
public enum StatusCode {
    @inline(__always)
    public static func parse(_ text: UnsafePointer<UInt8>, count: Int) -> Int? {
        guard count > 0, count <= 6 else { return nil }
        var value = 0
        for index in 0..<count {
            let digit = Int(text[index]) &- 48
            guard digit >= 0, digit <= 9 else { return nil }
            value = value * 10 + digit
        }
        return value
    }
}
