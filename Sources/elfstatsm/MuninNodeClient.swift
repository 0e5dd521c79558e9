import ElfstatsPlatform
import ElfstatsMunin

/// Talks the munin-node protocol (`cap`, `list`, `config`, `quit`, one request a line, a
/// multi-line answer ended by a line `.`) over TCP, as the Munin master does on port 4949.
/// The whole conversation may take at most `timeout` seconds, and a node may send at most
/// `maximumBytes`, so a hung, slow or hostile node costs time and memory bounded here, not by what
/// it sends (a legitimate node answers the config of six plugins in well under a second).
struct MuninNodeClient {
    static let maximumBytes = 64 << 20

    private let descriptor: Int32
    private let deadline: Int
    private var buffer: [UInt8] = []
    private var received = 0

    /// Connects to `address` (a name or IP) at `port`; the reason when it cannot.
    init(address: String, port: Int, timeout: Int) throws(NodeError) {
        deadline = Int(time(nil)) + timeout
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(address, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw NodeError("cannot resolve \(address): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(list) }
        var lastError = "no address"
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let candidate = entry {
            entry = candidate.pointee.ai_next
            let socket = Glibc.socket(candidate.pointee.ai_family, candidate.pointee.ai_socktype, candidate.pointee.ai_protocol)
            guard socket >= 0 else { lastError = String(cString: strerror(errno)); continue }
            var limit = timeval(tv_sec: timeout, tv_usec: 0)
            // On Linux SO_SNDTIMEO bounds connect() as well as writes.
            setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(socket, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
            if connect(socket, candidate.pointee.ai_addr, candidate.pointee.ai_addrlen) == 0 {
                descriptor = socket
                return
            }
            lastError = String(cString: strerror(errno))
            _ = Glibc.close(socket)
        }
        throw NodeError("cannot connect to \(address) port \(port): \(lastError)")
    }

    func close() { _ = Glibc.close(descriptor) }

    /// The greeting, `# munin node at NAME`.
    mutating func greeting() throws(NodeError) -> String {
        let line = try readLine()
        guard line.hasPrefix("# munin node at ") else { throw NodeError("not a munin-node: it said '\(printable(line))'") }
        return line
    }

    /// Sends one request line and reads the one-line answer (`cap`, `list`).
    mutating func ask(_ request: String) throws(NodeError) -> String {
        try send(request)
        return try readLine()
    }

    /// Sends one request and reads the lines of its answer up to the line `.` (`config`).
    mutating func askForLines(_ request: String) throws(NodeError) -> String {
        try send(request)
        var text = ""
        while true {
            let line = try readLine()
            if line == "." { return text }
            text += line + "\n"
        }
    }

    func send(_ request: String) throws(NodeError) {
        if let code = writeAll(Array((request + "\n").utf8), to: descriptor) {
            throw NodeError("cannot send '\(request)': \(String(cString: strerror(code)))")
        }
    }

    /// One line without its `\n` (and `\r`).
    mutating func readLine() throws(NodeError) -> String {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                var line = buffer[..<newline]
                if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
                let text = String(decoding: line, as: UTF8.self)
                buffer.removeSubrange(...newline)
                return text
            }
            let remaining = deadline - Int(time(nil))
            guard remaining > 0 else { throw NodeError("no complete answer within the time-out") }
            var limit = timeval(tv_sec: remaining, tv_usec: 0)
            setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK { throw NodeError("no answer within the time-out") }
                throw NodeError("cannot read: \(String(cString: strerror(errno)))")
            }
            if count == 0 { throw NodeError("the node closed the connection") }
            received += count
            if received > Self.maximumBytes { throw NodeError("the node sent more than \(Self.maximumBytes >> 20) MB") }
            buffer += chunk[0..<count]
        }
    }

    private func printable(_ text: String) -> String {
        String(text.prefix(80).map { $0.isASCII && !($0.asciiValue! < 0x20) ? $0 : "?" })
    }
}

/// Why a node could not be read, in words.
struct NodeError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
