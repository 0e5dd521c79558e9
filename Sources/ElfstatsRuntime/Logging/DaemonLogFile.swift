import ElfstatsCore
import Logging

/// The daemon's own log, `log_dir/elfstatsd.log`: one line per message, rotated when it reaches
/// `max_log_file_size` (elfstatsd.log.1 ... elfstatsd.log.N, N = `max_log_files`), and in the
/// foreground copied to standard error. Shared by every `Logger` of the process, hence locked.
public final class DaemonLogFile: @unchecked Sendable {
    public let path: String
    private var descriptor: Int32
    private var size: Int64
    private let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private var settings: Settings

    public struct Settings: Sendable, Equatable {
        public var level: Logger.Level
        public var maximumSize: Int64
        public var keptFiles: Int
        public var alsoToStandardError: Bool

        public init(level: Logger.Level, maximumSize: Int64, keptFiles: Int, alsoToStandardError: Bool) {
            self.level = level
            self.maximumSize = maximumSize
            self.keptFiles = keptFiles
            self.alsoToStandardError = alsoToStandardError
        }
    }

    /// Opens (creating or appending to) `directory/elfstatsd.log`.
    public init(directory: String, settings: Settings) throws(SystemError) {
        path = directory + "/elfstatsd.log"
        descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw SystemError("open the log file", path: path) }
        var status = stat()
        fstat(descriptor, &status)
        size = Int64(status.st_size)
        self.settings = settings
        pthread_mutex_init(lock, nil)
    }

    deinit {
        close(descriptor)
        pthread_mutex_destroy(lock)
        lock.deallocate()
    }

    /// The level and limits can change on reload.
    public func update(_ settings: Settings) {
        pthread_mutex_lock(lock)
        self.settings = settings
        pthread_mutex_unlock(lock)
    }

    /// The settings in force.
    public var settingsNow: Settings {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        return settings
    }

    public var level: Logger.Level {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        return settings.level
    }

    /// Hands the file to the user the daemon will run as, so that it can go on writing and
    /// rotating it after dropping root.
    public func changeOwner(user: uid_t, group: gid_t) {
        fchown(descriptor, user, group)
    }

    public func write(_ line: String) {
        var bytes = Array(line.utf8)
        bytes.append(0x0A)
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        if size > 0, size + Int64(bytes.count) > settings.maximumSize { rotate() }
        bytes.withUnsafeBytes { buffer in
            _ = Glibc.write(descriptor, buffer.baseAddress!, buffer.count)
            if settings.alsoToStandardError { _ = Glibc.write(2, buffer.baseAddress!, buffer.count) }
        }
        size += Int64(bytes.count)
    }

    /// elfstatsd.log.(N-1) -> .N, ..., elfstatsd.log -> .1, then a new elfstatsd.log.
    private func rotate() {
        let kept = max(1, settings.keptFiles)
        unlink("\(path).\(kept)")
        if kept > 1 {
            for index in stride(from: kept - 1, through: 1, by: -1) {
                rename("\(path).\(index)", "\(path).\(index + 1)")
            }
        }
        if rename(path, "\(path).1") != 0 {
            // Without write access to log_dir the log cannot rotate: say so in it, and try again
            // only after another max_log_file_size bytes.
            let line = "elfstatsd: \(SystemError("rotate", path: path)); make log_dir writable by the user elfstatsd runs as\n"
            _ = line.withCString { Glibc.write(descriptor, $0, strlen($0)) }
            size = 0
            return
        }
        let fresh = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        if fresh >= 0 {
            close(descriptor)
            descriptor = fresh
            size = 0
        } else {
            // Keep writing to the renamed file rather than losing messages.
            let message = "elfstatsd: \(SystemError("create the log file", path: path)); still writing to \(path).1\n"
            _ = message.withCString { Glibc.write(2, $0, strlen($0)) }
            size = 0
        }
    }
}
