/// The Linux capabilities elfstatsd may keep, and the calls that set them.
///
/// The daemon needs one privilege at most: reading logs the web server keeps to root
/// (/var/log/httpd is root:root 0700 on EL). CAP_DAC_READ_SEARCH grants exactly that (read
/// any file, search any directory) and no write, no ownership change, no signal to others.
import ElfstatsCore

public enum Capability: String, Sendable, CaseIterable {
    /// CAP_DAC_READ_SEARCH: read every file and search every directory.
    case dacReadSearch = "dac_read_search"

    /// The kernel's number for it (linux/capability.h).
    var number: Int { 2 }
}

/// A set of capabilities as the kernel's 64-bit masks read it.
public struct CapabilitySet: Sendable, Equatable {
    public var mask: UInt64

    public init(_ capabilities: [Capability]) {
        mask = capabilities.reduce(0) { $0 | (1 << UInt64($1.number)) }
    }

    init(mask: UInt64) { self.mask = mask }

    public var capabilities: [Capability] { Capability.allCases.filter { mask & (1 << UInt64($0.number)) != 0 } }

    /// "cap_dac_read_search", or "none".
    public var description: String {
        capabilities.isEmpty ? "none" : capabilities.map { "cap_\($0.rawValue)" }.joined(separator: ",")
    }
}

/// capget/capset and prctl. Swift cannot call C functions with variable arguments (prctl) and
/// Glibc's headers do not declare capset, so both are looked up once in the C library and
/// called with fixed arguments: prctl reads its optional arguments as unsigned longs, which a
/// fixed call passes in the same registers on x86-64 and aarch64.
enum KernelCapabilities {
    private typealias PrctlFunction = @convention(c) (Int32, UInt, UInt, UInt, UInt) -> Int32
    private typealias CapabilityFunction = @convention(c) (UnsafeMutableRawPointer, UnsafeMutableRawPointer) -> Int32

    private static let prctlFunction: PrctlFunction? = dlsym(nil, "prctl").map { unsafeBitCast($0, to: PrctlFunction.self) }
    private static let capgetFunction: CapabilityFunction? = dlsym(nil, "capget").map { unsafeBitCast($0, to: CapabilityFunction.self) }
    private static let capsetFunction: CapabilityFunction? = dlsym(nil, "capset").map { unsafeBitCast($0, to: CapabilityFunction.self) }

    // linux/prctl.h
    static let setKeepCapabilities: Int32 = 8
    static let dropFromBoundingSet: Int32 = 24
    static let setNoNewPrivileges: Int32 = 38
    static let ambient: Int32 = 47
    static let ambientClearAll: UInt = 4

    /// prctl(option, argument, 0, 0, 0); errno is left as the call set it.
    static func prctl(_ option: Int32, _ argument: UInt = 0, _ second: UInt = 0) -> Int32 {
        guard let prctlFunction else { errno = ENOSYS; return -1 }
        return prctlFunction(option, argument, second, 0, 0)
    }

    /// _LINUX_CAPABILITY_VERSION_3: two 32-bit words per set.
    private struct Header { var version: UInt32 = 0x2008_0522; var pid: Int32 = 0 }
    private struct Data { var effective: UInt32 = 0; var permitted: UInt32 = 0; var inheritable: UInt32 = 0 }

    /// This process's (effective, permitted) sets.
    static func current() throws(SystemError) -> (effective: CapabilitySet, permitted: CapabilitySet) {
        var header = Header()
        var data = [Data(), Data()]
        let result = data.withUnsafeMutableBytes { words in
            withUnsafeMutableBytes(of: &header) { capgetFunction?($0.baseAddress!, words.baseAddress!) ?? -1 }
        }
        guard result == 0 else { throw SystemError(.setCapabilities, path: "this process") }
        return (CapabilitySet(mask: UInt64(data[0].effective) | UInt64(data[1].effective) << 32),
                CapabilitySet(mask: UInt64(data[0].permitted) | UInt64(data[1].permitted) << 32))
    }

    /// Effective = permitted = `set`, inheritable empty (so nothing is passed on across exec).
    static func set(_ set: CapabilitySet) throws(SystemError) {
        var header = Header()
        let low = UInt32(truncatingIfNeeded: set.mask), high = UInt32(truncatingIfNeeded: set.mask >> 32)
        var data = [Data(effective: low, permitted: low, inheritable: 0), Data(effective: high, permitted: high, inheritable: 0)]
        let result = data.withUnsafeMutableBytes { words in
            withUnsafeMutableBytes(of: &header) { capsetFunction?($0.baseAddress!, words.baseAddress!) ?? -1 }
        }
        guard result == 0 else { throw SystemError(.setCapabilities, path: "this process") }
    }

    /// The highest capability number this kernel knows.
    static var lastCapability: Int {
        readSmallTextFile("/proc/sys/kernel/cap_last_cap").flatMap { Int($0.trimmingSpaces) } ?? 63
    }
}

extension String {
    var trimmingSpaces: String {
        String(self.drop(while: { $0 == " " || $0 == "\n" }).reversed().drop(while: { $0 == " " || $0 == "\n" }).reversed())
    }
}

extension CapabilitySet {
    public struct UnknownCapability: Error, Sendable, CustomStringConvertible {
        public var name: String
        public var description: String {
            "unknown capability '\(name)' (--capabilities): give 'dac_read_search' or 'none'"
        }
    }

    /// "none" (or nothing), or names separated by commas, with or without the "cap_" prefix.
    public init(parsing text: String) throws(UnknownCapability) {
        var found: [Capability] = []
        for part in text.lowercased().split(separator: ",") {
            var name = part.trimmingCharacters()
            if name.hasPrefix("cap_") { name = name.dropFirst(4) }
            if name == "none" || name.isEmpty { continue }
            guard let capability = Capability(rawValue: String(name)) else { throw UnknownCapability(name: String(part)) }
            found.append(capability)
        }
        self.init(found)
    }
}
