import Testing
@testable import ElfstatsCore

@Suite("LogFormat compilation and line splitting")
struct LogFormatTests {
    /// The value of every field of `line` by directive, nil when the line does not fit.
    func split(_ line: String, by source: String) throws -> [String: String]? {
        let format = try LogFormat(source)
        let splitter = LineSplitter(format)
        let bytes = Array(line.utf8)
        return bytes.withUnsafeBufferPointer { buffer -> [String: String]? in
            let (fits, _, ranges) = splitter.splitAll(buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!, count: buffer.count)
            guard fits else { return nil }
            var values: [String: String] = [:]
            for (index, range) in ranges { values[format.fields[index].directive] = String(decoding: buffer[range], as: UTF8.self) }
            return values
        }
    }

    @Test func theOriginalDefaultFormat() throws {
        let line = #"10.0.0.1 - frank [08/Aug/2013:10:59:59 +0200] "GET /a b HTTP/1.1" 200 512 "-" "Mozilla/5.0 (X11; Linux)" w1 w2 OK 300 812 4466"#
        let fields = try #require(try split(line, by: Configuration.defaultLogFormat))
        #expect(fields["%h"] == "10.0.0.1")
        #expect(fields["%l"] == "-")
        #expect(fields["%u"] == "frank")
        #expect(fields["%t"] == "[08/Aug/2013:10:59:59 +0200]")
        #expect(fields["%r"] == "GET /a b HTTP/1.1")
        #expect(fields["%>s"] == "200")
        #expect(fields["%{User-Agent}i"] == "Mozilla/5.0 (X11; Linux)")
        #expect(fields["%{JK_LB_LAST_STATE}n"] == "OK")
        #expect(fields["%D"] == "4466")
        let format = try LogFormat(Configuration.defaultLogFormat)
        #expect(format.fields[format.latencyField!].directive == "%D")
        #expect(format.fields[format.statusField!].directive == "%>s")
    }

    @Test func quotedFieldsKeepEscapedQuotes() throws {
        let line = #"1.2.3.4 "GET /x HTTP/1.1" "agent \"quoted\" and \\ backslash" 200"#
        let fields = try #require(try split(line, by: #"%h "%r" "%{User-Agent}i" %>s"#))
        #expect(fields["%{User-Agent}i"] == #"agent \"quoted\" and \\ backslash"#)
        #expect(fields["%>s"] == "200")
    }

    @Test func backslashQuoteInTheFormatIsALiteralQuote() throws {
        let fields = try #require(try split(#"a "b c" 1"#, by: #"%h \"%r\" %s"#))
        #expect(fields["%r"] == "b c")
    }

    @Test func modifiersConditionsAndArguments() throws {
        let source = #"%a %!200,304{Referer}i %400,501{User-agent}i %<s %{%Y}t %{ms}T %^ti"#
        let format = try LogFormat(source)
        #expect(format.fields.map(\.directive) == ["%a", "%!200,304{Referer}i", "%400,501{User-agent}i", "%<s", "%{%Y}t", "%{ms}T", "%^ti"])
        #expect(format.fields[format.latencyField!].role == .latency(.milliseconds))
        #expect(format.timeField == nil)
    }

    @Test func dashValuesAreFields() throws {
        let fields = try #require(try split("- - - 200", by: "%h %l %u %s"))
        #expect(fields == ["%h": "-", "%l": "-", "%u": "-", "%s": "200"])
    }

    @Test func nginxVariables() throws {
        let source = #"$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" $request_time"#
        let line = #"1.2.3.4 - - [08/Aug/2013:10:59:59 +0200] "GET /x HTTP/1.1" 200 10 "-" "curl/8" 0.545"#
        let fields = try #require(try split(line, by: source))
        #expect(fields["$time_local"] == "08/Aug/2013:10:59:59 +0200")
        #expect(fields["$request"] == "GET /x HTTP/1.1")
        #expect(fields["$request_time"] == "0.545")
        let format = try LogFormat(source)
        #expect(format.fields[format.latencyField!].directive == "$request_time")
        #expect(format.fields[format.timeField!].directive == "$time_local")
        #expect(try LogFormat("${remote_addr} $status").fields.map(\.directive) == ["$remote_addr", "$status"])
    }

    @Test func anISO8601TimeEndsAtTheSpaceAfterIt() throws {
        let fields = try #require(try split("2013-08-08T10:59:59+02:00 404 /x 0.004", by: "$time_iso8601 $status $request_uri $request_time"))
        #expect(fields["$time_iso8601"] == "2013-08-08T10:59:59+02:00")
        #expect(fields["$status"] == "404")
        #expect(try split("08/Aug/2013:10:59:59 +0200 404", by: "$time_local $status")?["$status"] == "404")
    }

    @Test func aLineThatDoesNotFit() throws {
        #expect(try split(#"1.2.3.4 [08/Aug/2013:10:59:59 +0200] "GET /x"#, by: #"%h %t "%r" %>s"#) == nil)
        #expect(try split("1.2.3.4 [200] extra", by: "%h [%>s]") == nil)
        #expect(try split(#"1.2.3.4 "unclosed 200"#, by: #"%h "%r" %>s"#) == nil)
    }

    @Test func formatWithoutLatency() throws {
        let format = try LogFormat(#"%h %t "%r" %>s %b"#)
        #expect(format.latencyField == nil)
    }

    @Test func customLatencyField() throws {
        let format = try LogFormat(#"%h "%r" %>s %{X-Time}o"#, latencyField: "%{X-Time}o", integerLatencyUnit: .milliseconds)
        #expect(format.fields[format.latencyField!].role == .latency(.milliseconds))
        #expect(throws: LogFormatError.self) { try LogFormat("%h %s", latencyField: "%D") }
    }

    @Test func unknownDirectivesNameThemselvesAndTheirColumn() {
        do {
            _ = try LogFormat("%h %l %Q %s")
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "unknown directive '%Q' at column 7 of the format")
        }
        #expect(throws: LogFormatError.self) { try LogFormat("%h %{unclosed") }
        #expect(throws: LogFormatError.self) { try LogFormat("%h %") }
        #expect(throws: LogFormatError.self) { try LogFormat("%h %{minutes}T") }
        #expect(throws: LogFormatError.self) { try LogFormat("%h%s") }
    }
}

@Suite("Skipping runs of fields")
struct SkippedTokenTests {
    /// The hot path (merged steps) and explain's path (one step per field) must agree on every
    /// line, fitting or not.
    @Test(arguments: [
        "a b c 200 x", "a  c 200 x", "a b c 200", "a b c 200 x y", "a b 200", "", "a", "a b c", "a b c 200 ",
        "a b c 200 x\u{80}\u{ff}", "1.2.3.4 - - 404 - ",
    ])
    func mergedAndDetailedWalksAgree(line: String) throws {
        let format = try LogFormat("%h %l %u %>s %b")
        let splitter = LineSplitter(format)
        #expect(splitter.program.steps.count < splitter.detailedProgram.steps.count)
        let bytes = Array(line.utf8)
        bytes.withUnsafeBufferPointer { buffer in
            let base = buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!
            var fast = RecordFields()
            let fastFits = splitter.split(base, count: buffer.count, into: &fast)
            let (fits, detailed, _) = splitter.splitAll(base, count: buffer.count)
            #expect(fastFits == fits, "\(line)")
            if fits {
                #expect(fast.statusStart == detailed.statusStart && fast.statusEnd == detailed.statusEnd, "\(line)")
            }
        }
    }

    @Test func countsSeparatorsAcrossWords() {
        let text = Array("aa bb cc dd ee ff gg hh ii jj kk".utf8)
        text.withUnsafeBufferPointer { buffer in
            for occurrence in 0..<10 {
                #expect(StructuralScan(buffer.baseAddress!, count: buffer.count).nth(UInt8(ascii: " "), occurrence: occurrence, from: 0)
                        == 2 + 3 * occurrence)
            }
            #expect(StructuralScan(buffer.baseAddress!, count: buffer.count).nth(UInt8(ascii: " "), occurrence: 10, from: 0) == nil)
        }
    }
}
