import ElfstatsCore
import ElfstatsPrometheus
import Synchronization

/// Serves `GET /metrics` on its own thread, so that no scraper, slow or hostile, can delay a
/// round: the round loop only swaps a snapshot into the board.
///
/// One thread waits in `poll` on non-blocking sockets. Everything a stranger could grow is
/// bounded by constants, not by what is sent: at most `maximumConnections` connections, at most
/// `ScrapeRequest.maximumHeadSize` bytes of request each, and `connectionDeadline` seconds from
/// accept to close. Memory is those buffers plus the snapshots being sent. When every
/// connection is taken, a newcomer replaces the oldest one that has been sending its request
/// for longer than `slowRequest` (Prometheus 2.42 sends its 288 bytes at once; a client still
/// sending after that is trickling, and would otherwise lock Prometheus out with a few
/// connections); when none is that slow, the newcomer is closed at once.
public final class MetricsListener: Sendable {
    /// Prometheus needs one; the rest is room for curl and for a few slow clients not to lock
    /// it out. 16 request heads of 8 KiB are 128 KiB.
    public static let maximumConnections = 16
    /// Seconds a connection may take from accept to its last byte; Prometheus's own default
    /// scrape timeout is 10 s, and a body of a few hundred KB leaves loopback in milliseconds.
    public static let connectionDeadline = 5.0
    /// Seconds after which a connection still sending its request head may be closed to make
    /// room for a newcomer.
    public static let slowRequest = 0.5

    public let address: ListenAddress
    public let board: MetricsBoard
    private let listening: Int32
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let thread = Mutex<pthread_t?>(nil)

    /// Why the listener could not start, separate from the wording.
    public struct ListenError: Error, Sendable, CustomStringConvertible {
        public var operation: String
        public var address: ListenAddress
        public var code: Int32

        public var description: String {
            var text = "cannot \(operation) \(address): \(String(cString: strerror(code)))"
            switch code {
            case EADDRINUSE: text += "; another process listens there: stop it or choose another port"
            case EADDRNOTAVAIL: text += "; the address is not one of this machine's"
            case EACCES where address.port < 1024: text += "; ports below 1024 need root: choose a port above 1023 (9469 is usual)"
            case EAFNOSUPPORT, EPERM, EACCES:
                text += "; if elfstatsd runs under systemd, its unit forbids network sockets: install the drop-in elfstatsd-prometheus.conf (see the README, section Prometheus)"
            default: break
            }
            return text
        }
    }

    /// Binds and listens (so that a taken port fails the start); serving begins with `start`.
    public init(address: ListenAddress, board: MetricsBoard) throws(ListenError) {
        self.address = address
        self.board = board
        let family = address.family == .ipv4 ? AF_INET : AF_INET6
        let socketDescriptor = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard socketDescriptor >= 0 else { throw ListenError(operation: "open a socket for", address: address, code: errno) }
        var on: Int32 = 1
        setsockopt(socketDescriptor, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        let bound: Int32
        if address.family == .ipv4 {
            var socketAddress = sockaddr_in()
            socketAddress.sin_family = sa_family_t(AF_INET)
            socketAddress.sin_port = address.port.bigEndian
            inet_pton(AF_INET, address.host, &socketAddress.sin_addr)
            bound = bindSocket(socketDescriptor, to: socketAddress)
        } else {
            // [::] means IPv6 only; write 0.0.0.0 for IPv4 (one address, one family).
            setsockopt(socketDescriptor, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &on, socklen_t(MemoryLayout<Int32>.size))
            var socketAddress = sockaddr_in6()
            socketAddress.sin6_family = sa_family_t(AF_INET6)
            socketAddress.sin6_port = address.port.bigEndian
            inet_pton(AF_INET6, address.host, &socketAddress.sin6_addr)
            bound = bindSocket(socketDescriptor, to: socketAddress)
        }
        guard bound == 0, listen(socketDescriptor, 64) == 0 else {
            let code = errno
            close(socketDescriptor)
            throw ListenError(operation: "listen on", address: address, code: code)
        }
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else {
            let code = errno
            close(socketDescriptor)
            throw ListenError(operation: "create the wake-up pipe of", address: address, code: code)
        }
        for end in ends { makeNonBlocking(end) }
        listening = socketDescriptor
        wakeRead = ends[0]
        wakeWrite = ends[1]
    }

    deinit {
        close(listening)
        close(wakeRead)
        close(wakeWrite)
    }

    /// Starts the serving thread.
    public func start() throws(ListenError) {
        var created = pthread_t()
        let box = Unmanaged.passRetained(self).toOpaque()
        let result = pthread_create(&created, nil, { argument in
            let listener = Unmanaged<MetricsListener>.fromOpaque(argument!).takeRetainedValue()
            var loop = ServeLoop(listening: listener.listening, wake: listener.wakeRead, board: listener.board)
            loop.run()
            return nil
        }, box)
        guard result == 0 else {
            Unmanaged<MetricsListener>.fromOpaque(box).release()
            throw ListenError(operation: "start the thread serving", address: address, code: result)
        }
        thread.withLock { $0 = created }
    }

    /// Stops serving: closes every connection and waits for the thread to end.
    public func stop() {
        guard let running = thread.withLock({ value -> pthread_t? in defer { value = nil }; return value }) else { return }
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
        pthread_join(running, nil)
    }
}

/// The serving thread's state; confined to that thread.
private struct ServeLoop {
    let listening: Int32
    let wake: Int32
    let board: MetricsBoard
    var connections: [Connection] = []
    /// Until when accepting pauses after running out of descriptors (which `poll` would
    /// otherwise report as readable forever).
    var acceptPausedUntil = 0.0
    /// One buffer for reading what is thrown away after a response (64 KiB: a 1 MB request
    /// answered with 431 is drained in 16 reads).
    var scratch = [UInt8](repeating: 0, count: 65536)

    init(listening: Int32, wake: Int32, board: MetricsBoard) {
        self.listening = listening
        self.wake = wake
        self.board = board
    }

    struct Connection {
        enum Phase { case reading, writing, closing }
        var descriptor: Int32
        let accepted: Double
        var phase = Phase.reading
        var head: [UInt8] = []
        /// What is left to send: the response head, then the body.
        var chunks: [[UInt8]] = []
        var chunk = 0
        var offset = 0

        var deadline: Double { accepted + MetricsListener.connectionDeadline }
    }

    mutating func run() {
        while true {
            let now = SystemClock.monotonic()
            var descriptors: [pollfd] = [pollfd(fd: wake, events: Int16(POLLIN), revents: 0)]
            let accepting = now >= acceptPausedUntil
            descriptors.append(pollfd(fd: accepting ? listening : -1, events: Int16(POLLIN), revents: 0))
            for connection in connections {
                descriptors.append(pollfd(fd: connection.descriptor,
                                          events: Int16(connection.phase == .writing ? POLLOUT : POLLIN), revents: 0))
            }
            var timeout = accepting ? 1.0 : min(1.0, acceptPausedUntil - now)
            for connection in connections { timeout = min(timeout, connection.deadline - now) }
            let ready = poll(&descriptors, nfds_t(descriptors.count), Int32(max(0, (timeout * 1000).rounded(.up))))
            if ready < 0 && errno != EINTR { usleep(10_000) }
            if descriptors[0].revents != 0 { return closeAll() }

            // Connections first (their indices match the poll list), then new ones.
            let polled = connections.count
            for index in 0..<polled where descriptors[index + 2].revents != 0 {
                var connection = connections[index]
                serve(&connection, events: descriptors[index + 2].revents)
                connections[index] = connection
            }
            let later = SystemClock.monotonic()
            connections.removeAll { connection in
                let finished = connection.descriptor < 0 || connection.deadline <= later
                if finished && connection.descriptor >= 0 { close(connection.descriptor) }
                return finished
            }
            if descriptors[1].revents != 0 { acceptNew(now: later) }
        }
    }

    mutating func closeAll() {
        for connection in connections where connection.descriptor >= 0 { close(connection.descriptor) }
        connections.removeAll()
    }

    mutating func acceptNew(now: Double) {
        // A few per wake-up, so a flood of connects cannot keep the loop from serving.
        for _ in 0..<MetricsListener.maximumConnections {
            let descriptor = accept(listening, nil, nil)
            if descriptor < 0 {
                if errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM { acceptPausedUntil = now + 0.1 }
                return
            }
            makeNonBlocking(descriptor)
            let accepted = SystemClock.monotonic()
            if connections.count >= MetricsListener.maximumConnections {
                let slow = connections.indices.filter {
                    connections[$0].phase == .reading && accepted - connections[$0].accepted > MetricsListener.slowRequest
                }
                guard let oldest = slow.min(by: { connections[$0].accepted < connections[$1].accepted }) else {
                    close(descriptor)
                    continue
                }
                close(connections[oldest].descriptor)
                connections.remove(at: oldest)
            }
            var connection = Connection(descriptor: descriptor, accepted: accepted)
            connection.head.reserveCapacity(1024)
            connections.append(connection)
        }
    }

    mutating func serve(_ connection: inout Connection, events: Int16) {
        switch connection.phase {
        case .reading: read(&connection)
        case .writing: send(&connection)
        case .closing: drain(&connection)
        }
        if events & Int16(POLLERR | POLLNVAL) != 0 && connection.descriptor >= 0 && connection.phase != .closing {
            close(connection.descriptor)
            connection.descriptor = -1
        }
    }

    /// Reads what fits under the head cap; answers once the head is complete or too large.
    mutating func read(_ connection: inout Connection) {
        let room = ScrapeRequest.maximumHeadSize - connection.head.count
        let got = scratch.withUnsafeMutableBytes { recv(connection.descriptor, $0.baseAddress, min(room, $0.count), 0) }
        if got == 0 || (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
            close(connection.descriptor)
            connection.descriptor = -1
            return
        }
        guard got > 0 else { return }
        connection.head.append(contentsOf: scratch[0..<got])
        let answer: ScrapeRequest.Answer? = connection.head.withUnsafeBufferPointer { bytes in
            if let length = ScrapeRequest.headLength(bytes) {
                return ScrapeRequest.answer(head: UnsafeBufferPointer(rebasing: bytes[0..<length]))
            }
            return bytes.count >= ScrapeRequest.maximumHeadSize ? .headTooLarge : nil
        }
        guard let answer else { return }
        connection.head = []
        var body: [UInt8] = []
        var bodyless = false
        if case .metrics(let format, let headOnly) = answer {
            body = board.latest.body(format)
            bodyless = headOnly
        }
        let (head, errorBody) = ScrapeRequest.responseHead(answer, bodyLength: body.count)
        connection.chunks = [head, bodyless ? [] : (errorBody.isEmpty ? body : errorBody)]
        connection.phase = .writing
        send(&connection)
    }

    /// Sends as much as the socket takes now; then half-closes and waits for the client's end.
    mutating func send(_ connection: inout Connection) {
        while connection.chunk < connection.chunks.count {
            let bytes = connection.chunks[connection.chunk]
            if connection.offset >= bytes.count {
                connection.chunk += 1
                connection.offset = 0
                continue
            }
            let offset = connection.offset
            let sent = bytes.withUnsafeBytes { Glibc.send(connection.descriptor, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if sent < 0 {
                if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { return }
                close(connection.descriptor)
                connection.descriptor = -1
                return
            }
            connection.offset += sent
        }
        connection.chunks = []
        // Closing with unread request bytes would reset the connection and could destroy the
        // response in flight; so: half-close, then read and drop until the client closes.
        shutdown(connection.descriptor, Int32(SHUT_WR))
        connection.phase = .closing
    }

    mutating func drain(_ connection: inout Connection) {
        let got = scratch.withUnsafeMutableBytes { recv(connection.descriptor, $0.baseAddress, $0.count, 0) }
        if got == 0 || (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
            close(connection.descriptor)
            connection.descriptor = -1
        }
    }
}

/// Non-blocking and closed on exec (glibc's accept4 and pipe2 are not visible from Swift).
private func makeNonBlocking(_ descriptor: Int32) {
    _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
    _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
}

/// `bind` for either address family: the C call takes the address as a generic `sockaddr`.
private func bindSocket<Address>(_ descriptor: Int32, to address: Address) -> Int32 {
    withUnsafePointer(to: address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<Address>.size)) }
    }
}
