import ElfstatsCore
@testable import ElfstatsRuntime
import Testing
@Suite struct StartOffsetSeekerTests {
    let start: Int64 = 1_764_000_000

    /// Writes `blocks` blocks of about 1 MB; block i holds lines stamped start + 10·i ... + 9
    /// (in +0200, so the offset is honoured). Returns the size of each block.
    func writeLog(_ path: String, blocks: Int) -> [Int] {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        defer { close(descriptor) }
        var sizes: [Int] = []
        for block in 0..<blocks {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(1 << 20 + 4096)
            var second = 0
            let lines = (0..<10).map { Array(logLine(at: start + Int64(block * 10 + $0), method: "m\($0)").utf8) }
            while bytes.count < 1 << 20 {
                bytes.append(contentsOf: lines[second / 400])
                second = min(second + 1, 3999)
            }
            _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress!, $0.count) }
            sizes.append(bytes.count)
        }
        return sizes
    }

    func seeker() throws -> StartOffsetSeeker {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let (configuration, dataFile) = makeConfiguration(in: directory)
        let analyzer = try LogAnalyzer(configuration: configuration, dataFile: dataFile)
        return StartOffsetSeeker { analyzer.recordTime(ofLine: $0) }
    }

    @Test func findsTheStartInA200MBLogReadingOnlyAFewMB() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("access_log")
        let sizes = writeLog(path, blocks: 200)
        let total = sizes.reduce(0, +)
        #expect(total >= 200 << 20)
        let seeker = try seeker()
        for block in [0, 1, 57, 123, 199] {
            let source = CountingByteSource(try OpenFile(path: path))
            let offset = try seeker.offset(in: source, ofFirstRecordAtOrAfter: start + Int64(block * 10))
            #expect(offset == Int64(sizes[0..<block].reduce(0, +)), "block \(block)")
            #expect(source.bytesRead < 2 << 20, "read \(source.bytesRead) bytes to find block \(block)")
        }
        // Before every record: the start; after every record: the end.
        let early = CountingByteSource(try OpenFile(path: path))
        #expect(try seeker.offset(in: early, ofFirstRecordAtOrAfter: start - 100) == 0)
        let late = CountingByteSource(try OpenFile(path: path))
        #expect(try seeker.offset(in: late, ofFirstRecordAtOrAfter: start + 100_000) == Int64(total))
        #expect(late.bytesRead < 2 << 20)
    }

    @Test func findsARecordInsideABlockExactly() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("access_log")
        let lines = (0..<5000).map { logLine(at: start + Int64($0 / 3)) }
        append(lines.joined(), to: path)
        let seeker = try seeker()
        for target in [1, 2, 700, 1500, 1666] {
            let offset = try seeker.offset(in: try OpenFile(path: path), ofFirstRecordAtOrAfter: start + Int64(target))
            #expect(offset == Int64(lines[0..<(target * 3)].joined().utf8.count), "second \(target)")
        }
    }

    @Test func linesWithoutATimeDoNotMisleadIt() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("access_log")
        var text = ""
        var expected = 0
        for index in 0..<3000 {
            if index == 2000 { expected = text.utf8.count }
            text += index % 5 == 0 ? "garbage without a time\n" : logLine(at: start + Int64(index))
        }
        append(text, to: path)
        // Line 2000 is garbage; the first timed record at or after start+2000 is line 2001.
        let offset = try seeker().offset(in: try OpenFile(path: path), ofFirstRecordAtOrAfter: start + 2000)
        #expect(offset == Int64(expected + "garbage without a time\n".utf8.count))
    }

    @Test func anEmptyLogStartsAtZero() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("access_log")
        append("", to: path)
        #expect(try seeker().offset(in: try OpenFile(path: path), ofFirstRecordAtOrAfter: start) == 0)
    }
}
