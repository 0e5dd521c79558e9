/// Replaces a file all at once: the bytes go to a new temporary file (random name, O_EXCL) in
/// the same directory, are flushed to disk, and the temporary file is renamed over the target.
/// A reader (a Munin plugin reading a report, the daemon reading its state after a crash) sees
/// the old content or the new, never half of it; an existing target that is not a plain file
/// of ours is refused (see `SafeDirectory`).
import ElfstatsCore

public enum AtomicFileWriter {
    /// Writes `text` to `path` with permissions `mode` (0644 by default: Munin's plugin user
    /// must be able to read reports).
    public static func write(_ text: String, to path: String, mode: mode_t = 0o644) throws(SystemError) {
        let directory = try SafeDirectory.open(Directories.parent(of: path))
        try directory.replace(Directories.name(of: path), with: Array(text.utf8), mode: mode)
    }
}
