/// Which file a path pointed at: device and inode. A log rotated by rename + create keeps its
/// path but gets a new identity, which is how the daemon notices it.
import ElfstatsCore

public struct FileIdentity: Sendable, Hashable, CustomStringConvertible {
    public var device: UInt64
    public var inode: UInt64

    public init(device: UInt64, inode: UInt64) {
        self.device = device
        self.inode = inode
    }

    init(_ status: stat) {
        device = UInt64(status.st_dev)
        inode = UInt64(status.st_ino)
    }

    public var description: String { "device \(device) inode \(inode)" }
}

/// What `stat` says about a path right now.
public struct FileStatus: Sendable, Equatable {
    public var identity: FileIdentity
    public var size: Int64

    /// Follows symbolic links, as opening the path would.
    public static func of(path: String) throws(SystemError) -> FileStatus {
        var status = stat()
        guard stat(path, &status) == 0 else { throw SystemError(.stat, path: path) }
        return FileStatus(identity: FileIdentity(status), size: Int64(status.st_size))
    }
}
