/// systemd's readiness protocol (sd_notify) without libsystemd: one datagram per state change
/// to the socket named by $NOTIFY_SOCKET. Under `Type=notify` systemd counts the service as
/// started at READY=1, so `systemctl start` returns once the daemon really runs, and it shows
/// RELOADING=1 ... READY=1 around a SIGHUP and STOPPING=1 at the end. Without $NOTIFY_SOCKET
/// (SysV init, a shell) nothing is sent.
import ElfstatsCore

public struct ServiceNotifier: Sendable {
    /// The socket's address: a path, or an abstract name written with a leading "@".
    public let socketPath: String?

    public init(socketPath: String?) {
        self.socketPath = socketPath.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// From $NOTIFY_SOCKET.
    public static func fromEnvironment() -> ServiceNotifier {
        ServiceNotifier(socketPath: getenv("NOTIFY_SOCKET").map { String(cString: $0) })
    }

    public func ready(status: String) { send("READY=1\nSTATUS=\(status)") }
    public func reloading() { send("RELOADING=1\nSTATUS=reloading the configuration") }
    public func stopping() { send("STOPPING=1\nSTATUS=stopping") }

    /// Best effort: systemd may be gone, and the daemon works the same without it.
    @discardableResult
    public func send(_ message: String) -> Bool {
        guard let socketPath else { return false }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var name = Array(socketPath.utf8)
        if name.first == UInt8(ascii: "@") { name[0] = 0 }   // abstract namespace
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard name.count < capacity else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { path in
            for (index, byte) in name.enumerated() { path[index] = byte }
        }
        let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \sockaddr_un.sun_path)! + name.count)
        let socket = Glibc.socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard socket >= 0 else { return false }
        defer { close(socket) }
        let bytes = Array(message.utf8)
        let sent = bytes.withUnsafeBytes { buffer in
            withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(socket, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL), $0, length)
                }
            }
        }
        return sent == bytes.count
    }
}
