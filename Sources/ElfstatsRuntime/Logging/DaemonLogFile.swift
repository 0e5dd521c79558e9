import ElfstatsCore
import Logging

/// The daemon's own log, `log_dir/elfstatsd.log`: one line per message, rotated when it reaches
/// `max_log_file_size` (elfstatsd.log.1 ... elfstatsd.log.N, N = `max_log_files`), and in the
/// foreground copied to standard error. Shared by every `Logger` of the process, hence locked.
/// log_dir belongs to the service account: the log and its rotated names are used only as plain
/// files of ours, never through a link (see `SafeDirectory`).
public final class DaemonLogFile: @unchecked Sendable {
    public static let name = "elfstatsd.log"
    public let path: String
    private let directory: SafeDirectory
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

    /// Opens (creating or appending to) `directory/elfstatsd.log`. A log this user may not
    /// write (root's, left by a start as root without --user) is rotated away first: log_dir is
    /// this user's, so the names are.
    public init(directory: String, settings: Settings) throws(SystemError) {
        path = directory + "/" + Self.name
        self.directory = try SafeDirectory.open(directory)
        do {
            descriptor = try self.directory.openOrCreate(Self.name, flags: O_WRONLY | O_APPEND, mode: 0o644, for: .write).descriptor
        } catch where error.refusal == nil && (error.code == EACCES || error.code == EPERM) {
            try Self.shiftNames(in: self.directory, kept: settings.keptFiles)
            descriptor = try self.directory.createNew(Self.name, flags: O_WRONLY | O_APPEND, mode: 0o644)
        }
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

    public func write(_ line: String) {
        var bytes = Array(line.utf8)
        bytes.append(0x0A)
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        if size > 0, size + Int64(bytes.count) > settings.maximumSize { rotate() }
        bytes.withUnsafeBytes { buffer in
            try? FileIO.writeAll(buffer, to: descriptor, path: path)
            if settings.alsoToStandardError { try? FileIO.writeAll(buffer, to: 2, path: "standard error") }
        }
        size += Int64(bytes.count)
    }

    /// elfstatsd.log.(N-1) -> .N, ..., elfstatsd.log -> .1, then a new elfstatsd.log. A name
    /// that is not a plain file of ours stops the rotation, with a message naming it; writing
    /// goes on in the current file and rotation is tried again after another
    /// max_log_file_size bytes.
    private func rotate() {
        size = 0
        do {
            try Self.shiftNames(in: directory, kept: settings.keptFiles)
        } catch {
            // A planted name, or no write access to log_dir: said in the log, tried again after
            // another max_log_file_size bytes.
            note("\(error)\(error.refusal == nil ? "; make log_dir writable by the user elfstatsd runs as" : "; the log is not rotated until then")")
            return
        }
        do throws(SystemError) {
            let fresh = try directory.createNew(Self.name, flags: O_WRONLY | O_APPEND, mode: 0o644)
            close(descriptor)
            descriptor = fresh
        } catch {
            // Keep writing to the renamed file rather than losing messages.
            note("\(error); still writing to \(path).1")
        }
    }

    /// elfstatsd.log.(N-1) -> .N, ..., elfstatsd.log -> .1 (the oldest dropped), after checking
    /// that every one of these names is a plain file of ours or absent.
    private static func shiftNames(in directory: SafeDirectory, kept keptFiles: Int) throws(SystemError) {
        let kept = max(1, keptFiles)
        for name in [Self.name] + (1...kept).map({ "\(Self.name).\($0)" }) {
            if let status = try directory.status(of: name) { try directory.checkPlainFile(status, name: name, for: .rotate) }
        }
        directory.remove("\(Self.name).\(kept)")
        if kept > 1 {
            for index in stride(from: kept - 1, through: 1, by: -1) where (try directory.status(of: "\(Self.name).\(index)")) != nil {
                try directory.rename("\(Self.name).\(index)", over: "\(Self.name).\(index + 1)")
            }
        }
        if try directory.status(of: Self.name) != nil { try directory.rename(Self.name, over: "\(Self.name).1") }
    }

    /// A problem of the log itself, said in the log (and on standard error in the foreground).
    private func note(_ message: String) {
        let line = "elfstatsd: \(message)\n"
        try? FileIO.writeAll(line, to: descriptor, path: path)
        if settings.alsoToStandardError { writeToStandardError(line) }
    }
}
