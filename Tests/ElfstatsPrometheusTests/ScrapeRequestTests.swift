import Testing
@testable import ElfstatsPrometheus

@Suite("Scrape requests")
struct ScrapeRequestTests {
    func answer(_ head: String) -> ScrapeRequest.Answer? {
        let bytes = Array(head.utf8)
        return bytes.withUnsafeBufferPointer { buffer in
            ScrapeRequest.headLength(buffer).map { ScrapeRequest.answer(head: UnsafeBufferPointer(rebasing: buffer[0..<$0])) }
        }
    }

    @Test func aHeadEndsAtItsBlankLine() {
        #expect(answer("GET /metrics HTTP/1.1\r\nHost: x\r\n") == nil)
        #expect(answer("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n") == .metrics(.text, bodyless: false))
        #expect(answer("GET /metrics HTTP/1.0\n\n") == .metrics(.text, bodyless: false))
        let bytes = Array("GET /metrics HTTP/1.1\r\n\r\nextra".utf8)
        #expect(bytes.withUnsafeBufferPointer { ScrapeRequest.headLength($0) } == 25)
    }

    @Test(arguments: [
        ("GET /metrics HTTP/1.1\r\n\r\n", ScrapeRequest.Answer.metrics(.text, bodyless: false)),
        ("GET /metrics?name[]=x HTTP/1.1\r\n\r\n", .metrics(.text, bodyless: false)),
        ("HEAD /metrics HTTP/1.1\r\n\r\n", .metrics(.text, bodyless: true)),
        ("GET /metrics HTTP/1.1\r\naccept: application/openmetrics-text;version=1.0.0\r\n\r\n", .metrics(.openMetrics, bodyless: false)),
        ("GET / HTTP/1.1\r\n\r\n", .notFound),
        ("GET /metricsx HTTP/1.1\r\n\r\n", .notFound),
        ("GET /metrics/ HTTP/1.1\r\n\r\n", .notFound),
        ("POST /metrics HTTP/1.1\r\n\r\n", .methodNotAllowed),
        ("GET /metrics\r\n\r\n", .badRequest),
        ("GET  /metrics HTTP/1.1\r\n\r\n", .badRequest),
        ("GET http://x/metrics HTTP/1.1\r\n\r\n", .badRequest),
        ("GET /metrics SPDY/3\r\n\r\n", .badRequest),
        ("\u{16}\u{03}\u{01}\u{02}\n\n", .badRequest),
    ])
    func answers(head: String, expected: ScrapeRequest.Answer) {
        #expect(answer(head) == expected)
    }

    @Test func responseHeads() {
        let ok = ScrapeRequest.responseHead(.metrics(.openMetrics, bodyless: false), bodyLength: 1234)
        #expect(String(decoding: ok.head, as: UTF8.self) == "HTTP/1.1 200 OK\r\nContent-Type: application/openmetrics-text; version=1.0.0; charset=utf-8\r\nContent-Length: 1234\r\nConnection: close\r\n\r\n")
        #expect(ok.errorBody.isEmpty)
        let tooLarge = ScrapeRequest.responseHead(.headTooLarge, bodyLength: 0)
        #expect(String(decoding: tooLarge.head, as: UTF8.self).hasPrefix("HTTP/1.1 431 Request Header Fields Too Large\r\n"))
        #expect(String(decoding: tooLarge.head, as: UTF8.self).contains("Content-Length: \(tooLarge.errorBody.count)\r\n"))
        #expect(String(decoding: ScrapeRequest.responseHead(.methodNotAllowed, bodyLength: 0).head, as: UTF8.self).contains("Allow: GET, HEAD\r\n"))
    }
}
