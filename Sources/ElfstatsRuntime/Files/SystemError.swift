/// A failed system call on a file, kept with the path and the reason, so that every message a
/// sysadmin reads names the file and what the system said about it.
import ElfstatsCore

public struct SystemError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was being done: "open", "read", "rename", ...
    public var operation: String
    public var path: String
    public var code: Int32

    public init(_ operation: String, path: String, code: Int32 = errno) {
        self.operation = operation
        self.path = path
        self.code = code
    }

    /// The C library's text for `code`, e.g. "No such file or directory".
    public var reason: String { String(cString: strerror(code)) }

    /// True when the file does not exist (as opposed to existing but being unreadable).
    public var isMissingFile: Bool { code == ENOENT || code == ENOTDIR }

    public var description: String { "cannot \(operation) \(path): \(reason)" }
}
