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

    @Test func integerUnitsFollowTheDirective() {
        #expect(Latency.milliseconds("4466", unit: .milliseconds) == .value(4466))
        #expect(Latency.milliseconds("3", unit: .seconds) == .value(3000))
    }

    @Test func nginxUpstreamListsCountTheirFirstValue() {
        #expect(Latency.milliseconds("0.012, 0.003", unit: .seconds) == .value(12))
        #expect(Latency.milliseconds("0.020 : 0.001", unit: .seconds) == .value(20))
    }

    @Test func dashMeansUnknown() {
        #expect(Latency.milliseconds("-", unit: .microseconds) == .unknown)
    }

    @Test(arguments: ["12x", "1.2.3", "abc", ".", "-5", ""])
    func garbageIsInvalid(text: String) {
        #expect(Latency.milliseconds(text, unit: .microseconds) == .invalid)
    }
}
