import ElfstatsCore
@testable import ElfstatsRuntime
import Logging
import Testing
@Suite struct DaemonLogFileTests {
    @Test func rotatesAtTheSizeAndKeepsTheConfiguredNumberOfFiles() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let file = try DaemonLogFile(directory: directory.path, settings: .init(level: .info, maximumSize: 1024, keptFiles: 3, alsoToStandardError: false))
        for index in 0..<100 { file.write("line \(index) " + String(repeating: "x", count: 90)) }
        for kept in ["", ".1", ".2", ".3"] {
            var status = stat()
            #expect(stat(file.path + kept, &status) == 0, "elfstatsd.log\(kept) is missing")
            #expect(status.st_size <= 1024)
        }
        #expect(access(file.path + ".4", F_OK) != 0)
        // The newest line is in the current file, the one before the rotation in .1.
        #expect(fileText(file.path)?.contains("line 99 ") == true)
        #expect(fileText(file.path + ".1")?.contains("line 99 ") == false)
    }

    @Test func theLevelFiltersAndCanChangeWhileRunning() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let file = try DaemonLogFile(directory: directory.path, settings: .init(level: .warning, maximumSize: 1 << 20, keptFiles: 2, alsoToStandardError: false))
        let logger = Logger(label: "test") { _ in DaemonLogHandler(file: file) }
        logger.info("not written")
        logger.error("written: disk full")
        file.update(.init(level: .debug, maximumSize: 1 << 20, keptFiles: 2, alsoToStandardError: false))
        logger.debug("written after the change")
        let text = try #require(fileText(file.path))
        #expect(!text.contains("not written"))
        #expect(text.contains(" error: written: disk full"))
        #expect(text.contains(" debug: written after the change"))
    }
}
