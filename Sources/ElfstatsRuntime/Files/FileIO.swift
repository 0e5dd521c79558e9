/// The one whole-file read and the one write-all loop of elfstatsd. Both retry on EINTR, loop
/// over short transfers, and capture `errno` at the failing call.
import ElfstatsCore

public enum FileIO {
    /// Writes every byte of `bytes` to `descriptor` (`path` names it in the error).
    public static func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32, path: String) throws(SystemError) {
        var done = 0
        while done < bytes.count {
            let result = write(descriptor, bytes.baseAddress! + done, bytes.count - done)
            if result < 0 {
                let code = errno
                if code == EINTR { continue }
                throw SystemError(.write, path: path, code: code)
            }
            if result == 0 { throw SystemError(.write, path: path, code: EIO) }
            done += result
        }
    }

    public static func writeAll(_ text: String, to descriptor: Int32, path: String) throws(SystemError) {
        var bytes = Array(text.utf8)
        var failure: SystemError? = nil
        bytes.withUnsafeMutableBytes { buffer in
            guard buffer.count > 0 else { return }
            do throws(SystemError) { try writeAll(UnsafeRawBufferPointer(buffer), to: descriptor, path: path) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Reads `descriptor` from its current position to the end. More than `limit` bytes is an
    /// error (EFBIG): files elfstatsd reads whole are small, and a planted huge one must not
    /// take the memory.
    public static func readAll(_ descriptor: Int32, path: String, limit: Int) throws(SystemError) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let got = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, $0.count) }
            if got < 0 {
                let code = errno
                if code == EINTR { continue }
                throw SystemError(.read, path: path, code: code)
            }
            if got == 0 { return bytes }
            if bytes.count + got > limit { throw SystemError(.read, path: path, code: EFBIG) }
            bytes.append(contentsOf: chunk[0..<got])
        }
    }

    /// A file read whole by path, following links: for /proc and files root gave us, never for
    /// names in a directory another user can write (use `SafeDirectory.readFile`).
    public static func readFile(_ path: String, limit: Int) throws(SystemError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw SystemError(.open, path: path) }
        defer { close(descriptor) }
        return try readAll(descriptor, path: path, limit: limit)
    }
}
