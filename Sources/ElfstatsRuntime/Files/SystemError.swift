/// A failed system call, kept as data: what was being done, on which path, and the `errno` the
/// call left (captured at the failing call, before any clean-up can change it), or the reason
/// elfstatsd refused a file it found unsafe. The wording is in `SystemError+Wording.swift`, so
/// that code and tests compare cases, not sentences.
import ElfstatsCore

public struct SystemError: Error, Sendable, Equatable {
    public var operation: FileOperation
    public var path: String
    /// `errno` of the failing call; for a refusal, the closest `errno` (ELOOP, EMLINK, ...).
    public var code: Int32
    /// Set when no call failed but the file was refused (see `UnsafeFile`).
    public var refusal: UnsafeFile?

    /// `code` defaults to `errno`, so construct the error right after the failing call.
    public init(_ operation: FileOperation, path: String, code: Int32 = errno) {
        self.operation = operation
        self.path = path
        self.code = code
        self.refusal = nil
    }

    public init(refusing operation: FileOperation, path: String, because refusal: UnsafeFile) {
        self.operation = operation
        self.path = path
        self.refusal = refusal
        self.code = refusal.closestErrno
    }

    /// True when the file does not exist (as opposed to existing but being unreadable).
    public var isMissingFile: Bool { refusal == nil && (code == ENOENT || code == ENOTDIR) }
}

/// What elfstatsd was doing when a call failed.
public enum FileOperation: Sendable, Equatable {
    case open, create, read, write, replace, stat, sync, lock, remove, changeMode, changeOwner
    case rename(to: String)
    case makeDirectory, openDirectory, readLink, rotate
    case createPipe, fork, createSocket, notify
    case switchUser, setCapabilities
}

/// Why an existing file or directory was refused. A service account that owns the directory
/// can plant any of these to make a process with more rights (root running `once`, or `run`
/// before it drops to the user) write through them into a file it could not touch itself.
public enum UnsafeFile: Sendable, Equatable {
    /// The name is a symbolic link.
    case symbolicLink
    /// The file has this many names: another one may be a file elfstatsd must not change.
    case hardLinks(count: UInt64)
    /// A directory, FIFO, socket or device where a regular file belongs.
    case notRegularFile(kind: String)
    /// Owned by neither root, nor the user elfstatsd runs as, nor the directory's owner.
    case foreignOwner(uid: UInt32)
    /// A symbolic link among the directories of a path, in a directory another user may change.
    case linkInUntrustedDirectory(directoryOwner: UInt32)

    var closestErrno: Int32 {
        switch self {
        case .symbolicLink, .linkInUntrustedDirectory: return ELOOP
        case .hardLinks: return EMLINK
        case .notRegularFile: return EINVAL
        case .foreignOwner: return EPERM
        }
    }
}
