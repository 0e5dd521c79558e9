/// What the metrics endpoint makes of an HTTP request head, and the response it gives.
///
/// The endpoint serves one resource, so it reads only the request line and `Accept`: no
/// keep-alive (every response closes the connection), no body, no chunking. Whoever can connect
/// is a stranger: the head is capped by the caller (`maximumHeadSize`), and anything that is not
/// a well-formed `GET`/`HEAD` of `/metrics` gets a short error.
public enum ScrapeRequest {
    /// The most bytes of request head read; Prometheus 2.42 sends 288 (measured).
    public static let maximumHeadSize = 8192

    /// The answer to a request.
    public enum Answer: Sendable, Equatable {
        /// 200 with the metrics in `format`; `bodyless` for HEAD.
        case metrics(ExpositionFormat, bodyless: Bool)
        case notFound
        case methodNotAllowed
        case badRequest
        case headTooLarge

        public var status: String {
            switch self {
            case .metrics: return "200 OK"
            case .notFound: return "404 Not Found"
            case .methodNotAllowed: return "405 Method Not Allowed"
            case .badRequest: return "400 Bad Request"
            case .headTooLarge: return "431 Request Header Fields Too Large"
            }
        }
    }

    /// The length of the head (through its blank line) at the start of `bytes`, or nil while
    /// the blank line has not arrived.
    public static func headLength(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard bytes.count >= 2 else { return nil }
        var index = 1
        while index < bytes.count {
            if bytes[index] == 0x0A {
                if bytes[index - 1] == 0x0A { return index + 1 }
                if index >= 2, bytes[index - 1] == 0x0D, bytes[index - 2] == 0x0A { return index + 1 }
            }
            index += 1
        }
        return nil
    }

    /// The answer to a complete head (request line, header lines, blank line).
    public static func answer(head: UnsafeBufferPointer<UInt8>) -> Answer {
        // Lines are split on bytes: as Characters, "\r\n" is one grapheme and no "\n".
        var lines = head.split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
            String(decoding: line.last == 0x0D ? line.dropLast() : line[...], as: UTF8.self)
        }
        guard !lines.isEmpty else { return .badRequest }
        let requestLine = lines.removeFirst().split(separator: " ", omittingEmptySubsequences: false)
        guard requestLine.count == 3, requestLine[2].hasPrefix("HTTP/1."), !requestLine[0].isEmpty else { return .badRequest }
        let method = requestLine[0]
        let target = requestLine[1]
        guard target.hasPrefix("/") else { return .badRequest }
        let path = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0]
        var accept: String? = nil
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            if line[..<colon].lowercased() == "accept" {
                accept = (accept.map { $0 + "," } ?? "") + String(line[line.index(after: colon)...])
            }
        }
        guard path == "/metrics" else { return .notFound }
        switch method {
        case "GET": return .metrics(ExpositionFormat.negotiate(accept: accept), bodyless: false)
        case "HEAD": return .metrics(ExpositionFormat.negotiate(accept: accept), bodyless: true)
        default: return .methodNotAllowed
        }
    }

    /// The response head for `answer`, whose body is `bodyLength` bytes (0 for errors, whose
    /// short text this adds).
    public static func responseHead(_ answer: Answer, bodyLength: Int) -> (head: [UInt8], errorBody: [UInt8]) {
        var contentType = "text/plain; charset=utf-8"
        var length = bodyLength
        var errorBody: [UInt8] = []
        var extra = ""
        switch answer {
        case .metrics(let format, _):
            contentType = format.contentType
        default:
            errorBody = Array("\(answer.status)\(answer == .notFound ? ": the metrics are at /metrics" : "")\n".utf8)
            length = errorBody.count
            if answer == .methodNotAllowed { extra = "Allow: GET, HEAD\r\n" }
        }
        let head = "HTTP/1.1 \(answer.status)\r\nContent-Type: \(contentType)\r\nContent-Length: \(length)\r\n\(extra)Connection: close\r\n\r\n"
        return (Array(head.utf8), errorBody)
    }
}
