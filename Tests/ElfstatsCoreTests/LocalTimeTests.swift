import Testing
@testable import ElfstatsCore

@Suite("Local time in reports")
struct LocalTimeTests {
    @Test(arguments: [
        (Int64(0), 0, "1970-01-01 00:00:00"),
        (1_375_956_000, 0, "2013-08-08 10:00:00"),
        (1_375_956_000, 7200, "2013-08-08 12:00:00"),
        (1_375_956_000, -36_000, "2013-08-08 00:00:00"),
        (1_375_956_000, -36_001, "2013-08-07 23:59:59"),
        (951_782_400, 0, "2000-02-29 00:00:00"),
        (4_107_542_400, 0, "2100-03-01 00:00:00"),
        (-1, 0, "1969-12-31 23:59:59"),
        (-2_208_988_800, 0, "1900-01-01 00:00:00"),
    ])
    func knownInstants(epoch: Int64, offset: Int, expected: String) {
        #expect(LocalTime.format(epoch, in: .fixed(seconds: offset)) == expected)
    }

    /// The calendar arithmetic agrees with the C library's gmtime_r, one instant every
    /// 9,999,991 s (about 116 days, so every month and leap year comes up) from 1902 to 2100.
    @Test func agreesWithGmtime() {
        var epoch: Int64 = -2_145_916_800
        var checked = 0
        while epoch < 4_102_444_800 {
            var seconds = time_t(epoch)
            var parts = tm()
            gmtime_r(&seconds, &parts)
            var buffer = [CChar](repeating: 0, count: 32)
            strftime(&buffer, buffer.count, "%Y-%m-%d %H:%M:%S", &parts)
            let expected = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            #expect(LocalTime.format(epoch, in: .utc) == expected, "epoch \(epoch)")
            epoch += 9_999_991
            checked += 1
        }
        #expect(checked > 600)
    }

    @Test func reportsUseTheRoundsTimeZone() throws {
        let analyzer = try analyze([elfLine()])
        let amsterdamSummer = analyzer.finishRound(RoundMetadata(invoked: 1_375_956_000, worked: 0, timeZone: .fixed(seconds: 7200)))
        #expect(amsterdamSummer[section: "metadata"]?["daemon_invoked"] == "2013-08-08 12:00:00")
        // elfLine's record is at 10:59:59 +0200, 08:59:59 UTC.
        #expect(amsterdamSummer[section: "metadata"]?["first_record"] == "2013-08-08 10:59:59")
    }
}
