/// The whole-file read and the write-all of elfstatsd, worded with the path: the loops
/// themselves are `DescriptorIO`'s (ElfstatsPlatform), which the Munin plugins share.
import ElfstatsCore

public enum FileIO {
    /// Writes every byte of `bytes` to `descriptor` (`path` names it in the error).
    public static func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32, path: String) throws(SystemError) {
        do throws(DescriptorIO.Failure) { try DescriptorIO.writeAll(bytes, to: descriptor) } catch {
            throw SystemError(.write, path: path, code: error.code)
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
        do throws(DescriptorIO.Failure) { return try DescriptorIO.readAll(descriptor, limit: limit) } catch {
            throw SystemError(.read, path: path, code: error.code)
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
