import Testing
@testable import ElfstatsCore

/// docs/rules.md, "Request": split %r on single spaces; the second token is the request.
@Suite("The request in a request line")
struct RequestTargetTests {
    func target(_ requestLine: String) -> String? {
        // Padded on both sides, so that a read outside start..<end would show.
        let bytes = Array(("xx" + requestLine + " yy").utf8)
        return bytes.withUnsafeBufferPointer { buffer -> String? in
            guard let range = RequestTarget.find(in: buffer.baseAddress!, start: 2, end: 2 + requestLine.utf8.count) else { return nil }
            return String(decoding: buffer[range], as: UTF8.self)
        }
    }

    @Test(arguments: [
        ("GET /content/x HTTP/1.1", "/content/x"),
        (" /content/x HTTP/1.1", "/content/x"),           // empty method: still the second token
        ("GET /content/x", "/content/x"),                 // HTTP/0.9, no protocol
        ("GET /content/x HTTP/1.1 trailing words", "/content/x"),
        ("GET /a\tb HTTP/1.1", "/a\tb"),                  // only spaces separate tokens
        ("POST /content/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s/t/u/v/w/x/y/z HTTP/1.1",
         "/content/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s/t/u/v/w/x/y/z"),
    ])
    func theSecondTokenIsTheRequest(requestLine: String, expected: String) {
        #expect(target(requestLine) == expected)
    }

    @Test(arguments: ["", "-", "GET", "GET  /content/x HTTP/1.1", "GET ", " "])
    func withoutASecondTokenThereIsNoRequest(requestLine: String) {
        #expect(target(requestLine) == nil)
    }

    /// Against a plain split on spaces, for request lines of every length up to 70 bytes with
    /// spaces anywhere (before and after the sixteen-byte block the search looks at first).
    @Test func findsWhatASplitOnSpacesFinds() {
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next(_ bound: Int) -> Int {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return Int(state % UInt64(bound))
        }
        for round in 0..<3000 {
            let length = round % 71
            let requestLine = String((0..<length).map { _ in next(6) == 0 ? " " : "a" })
            let tokens = requestLine.split(separator: " ", omittingEmptySubsequences: false)
            let expected = tokens.count >= 2 && !tokens[1].isEmpty ? String(tokens[1]) : nil
            #expect(target(requestLine) == expected, "'\(requestLine)'")
        }
    }

    @Test func anEmptyMethodIsClassifiedByItsPath() throws {
        let analyzer = try analyze([elfLine(request: " /content/csl/get HTTP/1.1"),
                                    elfLine(request: "GET  /content/csl/get HTTP/1.1")])
        #expect(analyzer.records == RecordCounts(parsed: 1, error: 1))
        #expect(report(of: analyzer).value("method_csl_get", "calls") == "1")
    }
}
