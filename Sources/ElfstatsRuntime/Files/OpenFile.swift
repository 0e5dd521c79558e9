/// A file opened for reading, closed when the last reference goes. The daemon keeps its
/// current log open between rounds, so that a log renamed away by rotation can still be read
/// to its end through this descriptor.
import ElfstatsCore

public final class OpenFile {
    public let path: String
    public let descriptor: Int32
    public let identity: FileIdentity

    public init(path: String) throws(SystemError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw SystemError(.open, path: path) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let error = SystemError(.stat, path: path)
            close(descriptor)
            throw error
        }
        if (status.st_mode & S_IFMT) == S_IFDIR {
            close(descriptor)
            throw SystemError(.read, path: path, code: EISDIR)
        }
        self.path = path
        self.descriptor = descriptor
        self.identity = FileIdentity(status)
    }

    deinit { close(descriptor) }

    /// The size now; the file may be growing while it is read.
    public func size() throws(SystemError) -> Int64 {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw SystemError(.stat, path: path) }
        return Int64(status.st_size)
    }
}

extension OpenFile: ByteSource {
    /// Reads up to `count` bytes at `offset`, fewer only at the end of the file.
    public func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(SystemError) -> Int {
        var total = 0
        while total < buffer.count {
            let got = pread(descriptor, buffer.baseAddress! + total, buffer.count - total, off_t(offset) + off_t(total))
            if got < 0 {
                let code = errno
                if code == EINTR { continue }
                throw SystemError(.read, path: path, code: code)
            }
            if got == 0 { break }
            total += got
        }
        return total
    }
}
