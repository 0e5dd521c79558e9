import Testing
import ElfstatsCore
@testable import ElfstatsRuntime

/// The listener on a real loopback socket, with the clients written here.
@Suite("Metrics listener", .serialized)
struct MetricsListenerTests {
    /// A port nobody listens on now (the kernel's choice for port 0).
    func freePort() -> UInt16 {
        let probe = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(probe) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                _ = bind(probe, pointer, length)
                return getsockname(probe, pointer, &length)
            }
        }
        return UInt16(bigEndian: address.sin_port)
    }

    func connectTo(_ port: UInt16) -> Int32 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        precondition(result == 0, "connect failed")
        return descriptor
    }

    func sendText(_ descriptor: Int32, _ text: String) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { send(descriptor, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if sent <= 0 { return }
            offset += sent
        }
    }

    /// Everything until the server closes, or what came within `seconds`.
    func receiveAll(_ descriptor: Int32, seconds: Double = 3) -> String {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        let end = SystemClock.monotonic() + seconds
        while SystemClock.monotonic() < end {
            var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&entry, 1, 100) > 0 else { continue }
            let got = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if got <= 0 { break }
            bytes += buffer[0..<got]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    func get(_ port: UInt16, _ head: String = "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n") -> String {
        let descriptor = connectTo(port)
        defer { close(descriptor) }
        sendText(descriptor, head)
        return receiveAll(descriptor)
    }

    func startListener() throws -> (MetricsListener, UInt16) {
        let port = freePort()
        let listener = try MetricsListener(address: ListenAddress(family: .ipv4, host: "127.0.0.1", port: port),
                                           board: MetricsBoard(MetricsSnapshot(text: "a 1\n", openMetrics: "a 1\n# EOF\n")))
        try listener.start()
        return (listener, port)
    }

    @Test func aScrapeGetsTheSnapshotOfTheMoment() throws {
        let (listener, port) = try startListener()
        defer { listener.stop() }
        #expect(get(port).hasSuffix("\r\nContent-Length: 4\r\nConnection: close\r\n\r\na 1\n"))
        listener.board.publish(MetricsSnapshot(text: "b 2\n", openMetrics: "b 2\n# EOF\n"))
        #expect(get(port).hasSuffix("\r\n\r\nb 2\n"))
        #expect(get(port, "GET /metrics HTTP/1.1\r\nAccept: application/openmetrics-text\r\n\r\n").hasSuffix("\r\n\r\nb 2\n# EOF\n"))
        #expect(get(port, "HEAD /metrics HTTP/1.1\r\n\r\n").hasSuffix("Content-Length: 4\r\nConnection: close\r\n\r\n"))
    }

    @Test func aHeadPastTheCapGets431() throws {
        let (listener, port) = try startListener()
        defer { listener.stop() }
        let answer = get(port, "GET /metrics HTTP/1.1\r\nX-Filler: " + String(repeating: "a", count: 200_000))
        #expect(answer.hasPrefix("HTTP/1.1 431 "))
    }

    @Test func slowClientsMakeRoomForAScrape() throws {
        let (listener, port) = try startListener()
        defer { listener.stop() }
        let slow = (0..<MetricsListener.maximumConnections).map { _ in connectTo(port) }
        defer { for descriptor in slow { close(descriptor) } }
        for descriptor in slow { sendText(descriptor, "GET /met") }
        usleep(useconds_t(MetricsListener.slowRequest * 1_000_000) + 200_000)
        #expect(get(port).hasSuffix("\r\n\r\na 1\n"))
        // The oldest slow client was closed for it.
        #expect(receiveAll(slow[0], seconds: 0.5) == "")
        var entry = pollfd(fd: slow[0], events: Int16(POLLIN), revents: 0)
        #expect(poll(&entry, 1, 0) == 1)
    }

    @Test func aSlowClientIsClosedAtTheDeadline() throws {
        let (listener, port) = try startListener()
        defer { listener.stop() }
        let descriptor = connectTo(port)
        defer { close(descriptor) }
        let started = SystemClock.monotonic()
        sendText(descriptor, "GET /metrics HTTP/1.1\r\n")
        #expect(receiveAll(descriptor, seconds: MetricsListener.connectionDeadline + 2) == "")
        let waited = SystemClock.monotonic() - started
        #expect(waited >= MetricsListener.connectionDeadline - 0.1 && waited < MetricsListener.connectionDeadline + 1.5)
    }

    @Test func aTakenPortFailsWithAMessageThatSaysSo() throws {
        let (listener, port) = try startListener()
        defer { listener.stop() }
        #expect {
            _ = try MetricsListener(address: ListenAddress(family: .ipv4, host: "127.0.0.1", port: port),
                                    board: MetricsBoard(MetricsSnapshot(text: "", openMetrics: "")))
        } throws: { error in
            "\(error)".contains("cannot listen on 127.0.0.1:\(port): Address already in use")
        }
    }
}
