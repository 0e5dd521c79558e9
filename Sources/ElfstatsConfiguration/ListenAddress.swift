import ElfstatsPlatform

/// Where a listening socket binds: a numeric IPv4 or IPv6 address and a port, written
/// `127.0.0.1:9469` or `[::1]:9469`.
///
/// Only numeric addresses are taken: a host name would need a resolver at start-up (and could
/// resolve to an address other than the one meant), and the point of writing the address is to
/// say exactly which interface the statistics are shown on.
public struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
    public enum Family: Sendable, Equatable { case ipv4, ipv6 }

    public var family: Family
    /// The address without brackets, as written (`127.0.0.1`, `::1`).
    public var host: String
    public var port: UInt16

    public init(family: Family, host: String, port: UInt16) {
        self.family = family
        self.host = host
        self.port = port
    }

    /// `host:port`, with an IPv6 host in brackets: the form it was read from.
    public var description: String {
        family == .ipv6 ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// True for 127.0.0.0/8 and ::1, which only processes on this machine can reach.
    public var isLoopback: Bool {
        switch family {
        case .ipv4: return host.hasPrefix("127.")
        case .ipv6: return Self.ipv6Bytes(host) == Self.ipv6Bytes("::1")
        }
    }

    /// Why text is not a listen address, separate from the wording of the message.
    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        case missingPort
        case badPort(String)
        case missingHost
        case badIPv4(String)
        case badIPv6(String)
        case unbracketedIPv6

        public var description: String {
            switch self {
            case .missingPort: return "no port; write host:port, e.g. '127.0.0.1:9469'"
            case .badPort(let port): return "'\(port)' is not a port; use 1...65535"
            case .missingHost: return "no address before the port; write '127.0.0.1:PORT' (this machine only) or '0.0.0.0:PORT' (every IPv4 address)"
            case .badIPv4(let host): return "'\(host)' is not a numeric IPv4 address (host names are not looked up); e.g. '127.0.0.1'"
            case .badIPv6(let host): return "'\(host)' is not a numeric IPv6 address; e.g. '[::1]'"
            case .unbracketedIPv6: return "write an IPv6 address in brackets: '[::1]:9469'"
            }
        }
    }

    /// Reads `host:port` or `[ipv6]:port`.
    public init(parsing text: String) throws(Problem) {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw .badIPv6(String(text.dropFirst())) }
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { throw .missingPort }
            portText = rest.dropFirst()
            guard Self.ipv6Bytes(String(host)) != nil else { throw .badIPv6(String(host)) }
            family = .ipv6
        } else {
            guard let colon = text.lastIndex(of: ":") else { throw .missingPort }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
            if host.contains(":") { throw .unbracketedIPv6 }
            guard !host.isEmpty else { throw .missingHost }
            guard Self.isIPv4(String(host)) else { throw .badIPv4(String(host)) }
            family = .ipv4
        }
        guard !portText.isEmpty else { throw .missingPort }
        guard portText.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), portText.count <= 5,
              let port = Int(portText), (1...65535).contains(port) else { throw .badPort(String(portText)) }
        self.host = String(host)
        self.port = UInt16(port)
    }

    private static func isIPv4(_ host: String) -> Bool {
        // inet_pton takes exactly four dotted decimal parts, no octal or shortened forms.
        var address = in_addr()
        return inet_pton(AF_INET, host, &address) == 1
    }

    private static func ipv6Bytes(_ host: String) -> [UInt8]? {
        var address = in6_addr()
        guard inet_pton(AF_INET6, host, &address) == 1 else { return nil }
        return withUnsafeBytes(of: &address) { Array($0) }
    }
}
