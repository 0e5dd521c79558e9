import ElfstatsCore
@testable import ElfstatsRuntime
import Testing

@Suite("The configuration file and the machine's time zone")
struct ConfigurationFileTests {
    @Test func aMissingFileSaysSo() {
        do {
            _ = try ConfigurationFile.load(path: "/nonexistent/elfstatsd.conf")
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "/nonexistent/elfstatsd.conf: cannot read the configuration file: No such file or directory")
        }
    }

    /// The file is read, and every regex compiled: a bad one is reported with its line.
    @Test func regexesAreCompiledWithTheirLine() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("elfstatsd.conf")
        append("interval = 60\nrequests_to_skip = ['^/$', '(']\n", to: path)
        do {
            _ = try ConfigurationFile.load(path: path)
            Issue.record("expected an error")
        } catch {
            #expect(error.description.hasPrefix("\(path):2: requests_to_skip[1]: invalid regex '('"), "\(error)")
        }
    }

    /// `UTCOffsetRule.system` gives what the C library's localtime_r gives, in whatever time
    /// zone the tests run (no TZ is set here: that would change it for every test at once).
    @Test func theSystemTimeZoneIsTheCLibrarys() {
        var epoch: Int64 = 1_000_000_000
        while epoch < 2_000_000_000 {
            var seconds = time_t(epoch)
            var parts = tm()
            localtime_r(&seconds, &parts)
            var buffer = [CChar](repeating: 0, count: 32)
            strftime(&buffer, buffer.count, "%Y-%m-%d %H:%M:%S", &parts)
            let expected = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            #expect(LocalTime.format(epoch) == expected, "epoch \(epoch)")
            epoch += 7_777_777
        }
    }
}
