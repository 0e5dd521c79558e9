/// Replaces a file all at once: the bytes go to a temporary file in the same directory, are
/// flushed to disk, and the temporary file is renamed over the target. A reader (a Munin plugin
/// reading a report, the daemon reading its state after a crash) sees the old content or the
/// new, never half of it.
import ElfstatsCore

public enum AtomicFileWriter {
    /// Writes `text` to `path` with permissions `mode` (0644 by default: Munin's plugin user
    /// must be able to read reports).
    public static func write(_ text: String, to path: String, mode: mode_t = 0o644) throws(SystemError) {
        let temporary = temporaryPath(for: path)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw SystemError("create", path: temporary) }
        var failure: SystemError? = nil
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBytes { buffer in
            var written = 0
            while written < buffer.count {
                let result = Glibc.write(descriptor, buffer.baseAddress! + written, buffer.count - written)
                if result < 0 {
                    if errno == EINTR { continue }
                    failure = SystemError("write", path: temporary)
                    return
                }
                written += result
            }
        }
        // The umask must not take read access away from Munin.
        if failure == nil, fchmod(descriptor, mode) != 0 { failure = SystemError("chmod", path: temporary) }
        if failure == nil, fsync(descriptor) != 0 { failure = SystemError("flush", path: temporary) }
        close(descriptor)
        if failure == nil, rename(temporary, path) != 0 { failure = SystemError("rename \(temporary) to", path: path) }
        if let failure {
            unlink(temporary)
            throw failure
        }
        syncDirectory(of: path)
    }

    /// Flushes the directory holding `path`, so that a rename into it survives a power cut
    /// before the next step relies on it (the state is committed only once the report's rename
    /// is on disk). Best effort: some file systems cannot sync a directory, and the rename has
    /// already happened.
    public static func syncDirectory(of path: String) {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }

    /// `dir/.name.tmp.PID`: in the target's directory (rename does not cross file systems),
    /// hidden, and unique per process.
    static func temporaryPath(for path: String) -> String {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        return "\(directory).\(name).tmp.\(getpid())"
    }
}
