import Testing
@testable import ElfstatsCore

/// The status field: digits only, one to six of them.
@Suite("Status codes")
struct StatusCodeTests {
    func parse(_ text: [UInt8]) -> Int? {
        // Padded with digits on both sides, so that a read outside the field would show.
        let padded = [UInt8(ascii: "9")] + text + [UInt8(ascii: "9")]
        return padded.withUnsafeBufferPointer { StatusCode.parse($0.baseAddress! + 1, count: text.count) }
    }

    @Test(arguments: [("200", 200), ("404", 404), ("000", 0), ("999", 999), ("5", 5), ("42", 42), ("1234", 1234), ("123456", 123456)])
    func digitsAreTheStatus(text: String, expected: Int) {
        #expect(parse(Array(text.utf8)) == expected)
    }

    /// Every field of up to seven bytes drawn from digits and the bytes around them in ASCII
    /// ('/' and ':' are next to '0' and '9'), against a plain reading.
    @Test func onlyDigitFieldsOfOneToSixBytesAreStatuses() {
        let alphabet: [UInt8] = Array("/0159:-x ".utf8) + [0x00, 0xFF]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for round in 0..<20_000 {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            let length = round % 8
            let text = (0..<length).map { alphabet[Int((state >> (8 * UInt64($0))) % UInt64(alphabet.count))] }
            let expected: Int? = (1...6).contains(length) && text.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
                ? Int(String(decoding: text, as: UTF8.self)) : nil
            #expect(parse(text) == expected, "\(text)")
        }
    }
}
