import Testing
@testable import ElfstatsCore

@Suite("Latency conversion to milliseconds")
struct LatencyTests {
    @Test(arguments: [("4466", 4), ("99999", 100), ("5104543", 5105), ("114", 0), ("500", 1), ("499", 0), ("0", 0)])
    func microsecondsRoundHalfAwayFromZero(text: String, expected: Int) {
        #expect(Latency.milliseconds(text, unit: .microseconds) == .value(expected))
    }

    @Test(arguments: [("0.54478", 545), ("1.123456789", 1123), ("0.0005", 1), ("0.0004999", 0), ("2.5", 2500), ("3.", 3000), (".25", 250), ("0.000", 0)])
    func secondsWithAFractionAreExactFromTheDigits(text: String, expected: Int) {
        #expect(Latency.milliseconds(text, unit: .microseconds) == .value(expected))
        #expect(Latency.milliseconds(text, unit: .milliseconds) == .value(expected))
    }

    /// Integer latencies against a plain reading of the digits (`Int` of the text, rounded as
    /// documented) for fields of every length up to 16 bytes made of digits and other bytes,
    /// in every unit.
    @Test func integerDigitsAreReadExactly() {
        // Bytes next to the digits ('/' 0x2F, ':' 0x3A, '?' 0x3F) and high bytes, for the
        // four-digits-at-once check.
        let alphabet: [UInt8] = Array("0123456789./:;?-x ".utf8) + [0x80, 0xBA, 0xFA, 0xFF]
        var state: UInt64 = 0xD1B5_4A32_D192_ED03
        for round in 0..<30_000 {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            let length = round % 17
            var bits = state
            let text: [UInt8] = (0..<length).map { _ in
                defer { bits = bits >> 4 | bits << 60 }
                // Mostly digits, so that long numbers occur.
                return bits & 0xF < 12 ? UInt8(ascii: "0") + UInt8(bits % 10) : alphabet[Int(bits >> 8 % 16) % alphabet.count]
            }
            let string = String(decoding: text, as: UTF8.self)
            for unit in [LatencyUnit.microseconds, .milliseconds, .seconds] {
                let expected: Latency.Reading
                if text.contains(UInt8(ascii: ".")) || text.contains(UInt8(ascii: "-")) {
                    continue  // fractions and dashes are checked by the tests above
                } else if text.isEmpty || !text.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
                    expected = .invalid
                } else if length > 13 {
                    expected = .outOfRange
                } else {
                    let value = Int(string)!
                    let milliseconds: Int
                    switch unit {
                    case .microseconds: milliseconds = (value + 500) / 1000
                    case .milliseconds: milliseconds = value
                    case .seconds: milliseconds = value * 1000
                    }
                    expected = milliseconds > Latency.maximumMilliseconds ? .outOfRange : .value(milliseconds)
                }
                #expect(Latency.milliseconds(string, unit: unit) == expected, "\(string) \(unit)")
            }
        }
    }

    @Test func integerUnitsFollowTheDirective() {
        #expect(Latency.milliseconds("4466", unit: .milliseconds) == .value(4466))
        #expect(Latency.milliseconds("3", unit: .seconds) == .value(3000))
    }

    @Test func nginxUpstreamListsCountTheirFirstValue() {
        #expect(Latency.milliseconds("0.012, 0.003", unit: .seconds, list: true) == .value(12))
        #expect(Latency.milliseconds("0.020 : 0.001", unit: .seconds, list: true) == .value(20))
        #expect(Latency.milliseconds("0.020, 0.003 : 0.001", unit: .seconds, list: true) == .value(20))
        #expect(Latency.milliseconds("-, 0.003", unit: .seconds, list: true) == .unknown)
    }

    @Test(arguments: ["0.012, x", "0.012,", "0.012 : ", "0.012, 99999999999.1"])
    func everyValueOfAListMustBeANumber(text: String) {
        #expect(Latency.milliseconds(text, unit: .seconds, list: true) != .value(12))
    }

    @Test(arguments: ["0.012, 0.003", "0.020 : 0.001", "12 34", "0.5,7"])
    func onlyAListFieldMayHoldSeveralValues(text: String) {
        #expect(Latency.milliseconds(text, unit: .seconds) == .invalid)
    }

    @Test func onlyNginxUpstreamVariablesAreLists() {
        #expect(Latency.isList(directive: "$upstream_response_time"))
        #expect(Latency.isList(directive: "${upstream_header_time}"))
        #expect(!Latency.isList(directive: "$request_time"))
        #expect(!Latency.isList(directive: "%D"))
    }

    @Test func latenciesAboveTheCapAreOutOfRangeInEveryUnit() {
        #expect(Latency.milliseconds("2147483.647", unit: .seconds) == .value(2_147_483_647))
        #expect(Latency.milliseconds("2147483.648", unit: .seconds) == .outOfRange)
        #expect(Latency.milliseconds("999999999999999.999", unit: .seconds) == .outOfRange)
        #expect(Latency.milliseconds("2147483647", unit: .milliseconds) == .value(2_147_483_647))
        #expect(Latency.milliseconds("2147483648", unit: .milliseconds) == .outOfRange)
        #expect(Latency.milliseconds("2147483647499", unit: .microseconds) == .value(2_147_483_647))
        #expect(Latency.milliseconds("2147483647500", unit: .microseconds) == .outOfRange)
        #expect(Latency.milliseconds("2147484", unit: .seconds) == .outOfRange)
        #expect(Latency.milliseconds("9223372036854775808", unit: .microseconds) == .outOfRange)
        #expect(Latency.milliseconds(String(repeating: "9", count: 400), unit: .seconds) == .outOfRange)
        #expect(Latency.milliseconds(String(repeating: "9", count: 400) + "x", unit: .seconds) == .invalid)
    }

    @Test func dashMeansUnknown() {
        #expect(Latency.milliseconds("-", unit: .microseconds) == .unknown)
    }

    @Test(arguments: ["12x", "1.2.3", "abc", ".", "-5", ""])
    func garbageIsInvalid(text: String) {
        #expect(Latency.milliseconds(text, unit: .microseconds) == .invalid)
    }
}
