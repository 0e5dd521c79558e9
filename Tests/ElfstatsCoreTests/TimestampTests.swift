import Testing
@testable import ElfstatsCore

@Suite("Request times")
struct TimestampTests {
    func parse(_ text: String) -> Int64? {
        var copy = text
        return copy.withUTF8 { Timestamp.parse($0.baseAddress!, count: $0.count) }
    }

    @Test func honoursTheUTCOffset() {
        // 2013-08-08 08:59:59 UTC
        #expect(parse("[08/Aug/2013:10:59:59 +0200]") == 1_375_952_399)
        #expect(parse("08/Aug/2013:10:59:59 +0200") == 1_375_952_399)
        #expect(parse("08/Aug/2013:03:59:59 -0500") == 1_375_952_399)
        #expect(parse("2013-08-08T10:59:59+02:00") == 1_375_952_399)
        #expect(parse("2013-08-08T08:59:59Z") == 1_375_952_399)
    }

    @Test func leapDaysAndYearEnds() {
        #expect(parse("29/Feb/2024:00:00:00 +0000") == 1_709_164_800)
        #expect(parse("31/Dec/1999:23:59:59 +0000") == 946_684_799)
    }

    @Test(arguments: ["08/Jah/2013:10:59:59 +0200", "30/Feb/2013:10:59:59 +0200", "08/Aug/2013:25:59:59 +0200",
                      "08/Aug/2013:10:59:59 0200", "08/aug/2013:10:59:59 +0200", "08/Aug/2013 10:59:59 +0200", "", "[]"])
    func rejectsWhatIsNotATime(text: String) {
        #expect(parse(text) == nil)
    }
}
