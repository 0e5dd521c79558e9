import Testing
@testable import ElfstatsCore

/// The structural scan (SIMD masks) must split every line exactly as the byte-by-byte walk does:
/// fitting lines, escaped quotes, bracketed times, lines cut anywhere, lines shorter than one
/// SIMD chunk and lines whose fields cross the 16- and 64-byte block edges.
@Suite("Structural scan")
struct StructuralScanTests {
    /// A small deterministic generator (xorshift), so a failure names a reproducible case.
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return Int(state % UInt64(bound))
        }
    }

    static let formats: [(format: String, line: String)] = [
        (Configuration.defaultLogFormat,
         #"10.1.2.3 - - [08/Aug/2013:10:00:00 +0200] "GET /content/a/b?x=\"1\" HTTP/1.1" 200 4 "http://r/" "Mozilla \\ 5.0" n1 n2 OK 409 50256 1886"#),
        (#"%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i""#,
         #"1.2.3.4 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326 "http://example.com/start.html" "Mozilla/4.08 [en]""#),
        (#"$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" $request_time"#,
         #"1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET /x HTTP/1.1" 200 12 "-" "curl/8" 0.004"#),
        (#"$time_local,$request,$status;$request_time|$body_bytes_sent"#,
         #"10/Oct/2000:13:55:36 -0700,GET /x HTTP/1.1,200;0.004|12"#),
        // Literals longer than one step's word (split into literal-only steps), a trailing literal.
        (#"%t host=%h user-identity=%l "%r" status-code=%>s bytes=%b duration_microseconds=%D end-of-record"#,
         #"[10/Oct/2000:13:55:36 -0700] host=1.2.3.4 user-identity=- "GET /x?q=\" HTTP/1.1" status-code=200 bytes=12 duration_microseconds=4021 end-of-record"#),
        // A bracketed time after a literal of exactly one word (its `[` cannot join the literal),
        // a run of skipped fields before a long literal.
        (#"%h logged:%t "%r" %>s %D %I %O ms-since-the-start-of-the-request=%{ms}T"#,
         #"1.2.3.4 logged:[10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" 200 5 310 4022 ms-since-the-start-of-the-request=4"#),
        // nginx's time without brackets: up to the space after its UTC offset.
        (#"$remote_addr $time_local "$request" $status"#,
         #"1.2.3.4 10/Oct/2000:13:55:36 -0700 "GET /x HTTP/1.1" 200"#),
    ]

    static let noise: [UInt8] = Array(#" "[]\\,;|x0-"#.utf8) + [0x0A, 0x80, 0xFF]

    /// The splitter's hot `split`, its `splitAll` (explain), and the reference walk, described
    /// alike: all three must agree.
    static func splitBothWays(_ format: LogFormat, _ bytes: [UInt8]) -> (String, String) {
        let splitter = LineSplitter(format)
        let reference = ReferenceLineSplitter(format).split(bytes)
        return bytes.withUnsafeBufferPointer { buffer in
            let base = buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!
            var fields = RecordFields()
            let fits = splitter.split(base, count: buffer.count, into: &fields)
            let all = splitter.splitAll(base, count: buffer.count)
            func describe(_ fits: Bool, _ fields: RecordFields, _ allFits: Bool, _ allFields: RecordFields, _ ranges: [(index: Int, range: Range<Int>)]) -> String {
                "\(fits) \(fields) \(allFits) \(allFields) \(ranges.map { "\($0.index):\($0.range)" })"
            }
            return (describe(fits, fields, all.fits, all.fields, all.ranges),
                    describe(reference.fits, reference.fields, reference.fits, reference.fields, reference.ranges))
        }
    }

    @Test(arguments: 0..<formats.count)
    func splitsLikeTheByteWalk(formatIndex: Int) throws {
        let (source, sample) = Self.formats[formatIndex]
        let format = try LogFormat(source)
        let original = Array(sample.utf8)
        var generator = Generator(state: 0x9E37_79B9_7F4A_7C15 &+ UInt64(formatIndex))
        var fitting = 0
        for round in 0..<4000 {
            var bytes = original
            // Lines cut at every length, then lines with a few bytes replaced, inserted or removed.
            if round < original.count {
                bytes = Array(original.prefix(round))
            } else {
                for _ in 0...generator.next(4) {
                    let at = generator.next(bytes.count + 1)
                    let byte = Self.noise[generator.next(Self.noise.count)]
                    switch generator.next(3) {
                    case 0 where at < bytes.count: bytes[at] = byte
                    case 1: bytes.insert(contentsOf: Array(repeating: byte, count: 1 + generator.next(40)), at: at)
                    default: if at < bytes.count { bytes.remove(at: at) }
                    }
                }
            }
            let (structural, bytewise) = Self.splitBothWays(format, bytes)
            #expect(structural == bytewise, "format \(formatIndex), line \(String(decoding: bytes, as: UTF8.self))")
            if structural.hasPrefix("true") { fitting += 1 }
        }
        // Both outcomes are exercised.
        #expect(fitting > 100 && fitting < 3900, "\(fitting) of 4000 lines fit")
    }

    /// The formats above walk every kind of step, in the hot program or in explain's.
    @Test func theFormatsCoverEveryKindOfStep() throws {
        var kinds = Set<LineSplitter.Kind>()
        var hostedRuns = 0, recordedRuns = 0
        for (source, _) in Self.formats {
            let splitter = LineSplitter(try LogFormat(source))
            for program in [splitter.program, splitter.detailedProgram] {
                for step in program.steps {
                    kinds.insert(step.kind)
                    if step.runFields > 0 { hostedRuns += 1 }
                    if step.runFields > 0, step.runSlot != .skip { recordedRuns += 1 }
                }
            }
        }
        #expect(kinds == Set(LineSplitter.Kind.allCases))
        #expect(hostedRuns >= 4 && recordedRuns >= 2)
    }

    /// A format without elements has no steps: only the empty line fits it.
    @Test func anEmptyFormatFitsOnlyTheEmptyLine() throws {
        let format = try LogFormat("")
        #expect(LineSplitter(format).program.steps.isEmpty)
        for line in ["", "x", " ", "[]"] {
            let (structural, reference) = Self.splitBothWays(format, Array(line.utf8))
            #expect(structural == reference && structural.hasPrefix(line.isEmpty ? "true" : "false"), "'\(line)'")
        }
    }

    @Test func manyDistinctStopBytes() throws {
        let format = try LogFormat("%h,%l;%u|%>s:%b/%D")
        let (structural, bytewise) = Self.splitBothWays(format, Array("a,b;c|200:5/7".utf8))
        #expect(structural == bytewise && structural.hasPrefix("true"))
    }

    /// Every occurrence of each sought byte in buffers of every length up to 200 bytes (blocks of
    /// 32 and 16 and a short tail), from many starts.
    @Test func findsEveryOccurrence() throws {
        var generator = Generator(state: 42)
        let sought: [UInt8] = Array(#" "]x"#.utf8)
        for length in 0...200 {
            let text = (0..<length).map { _ in generator.next(3) == 0 ? sought[generator.next(4)] : UInt8(ascii: "a") }
            text.withUnsafeBufferPointer { buffer in
                let base = buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!
                for index in 0..<4 {
                    let positions = text.indices.filter { text[$0] == sought[index] }
                    for from in stride(from: 0, through: length, by: 7) {
                        let expected = positions.filter { $0 >= from }
                        let scan = StructuralScan(base, count: length)
                        for occurrence in 0...expected.count {
                            let found = scan.nth(sought[index], occurrence: occurrence, from: from)
                            #expect(found == (occurrence < expected.count ? expected[occurrence] : nil),
                                    "length \(length) byte \(sought[index]) from \(from) occurrence \(occurrence)")
                        }
                    }
                }
            }
        }
    }
}
