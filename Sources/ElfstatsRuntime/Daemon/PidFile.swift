/// `pid_dir/elfstatsd.pid`: the process id for init scripts, and the guard against two daemons.
///
/// The file is locked (`flock`) for as long as the daemon runs; the lock goes with the process,
/// so a daemon killed with -9 leaves a stale file that the next start takes over. A file naming
/// a live elfstatsd process that does not hold the lock (written by another version) is
/// respected too. pid_dir belongs to the service account: the file is opened only as a plain
/// file of ours, never through a link (see `SafeDirectory`), and never handed to anyone.
import ElfstatsCore

public final class PidFile {
    public static let name = "elfstatsd.pid"
    public let path: String
    private let directoryPath: String
    private var directory: SafeDirectory?
    private var descriptor: Int32 = -1

    public init(directory: String) {
        directoryPath = directory
        path = directory + "/" + Self.name
    }

    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        case alreadyRunning(pid: Int32, path: String)
        case cannotWrite(SystemError)

        public var description: String {
            switch self {
            case .alreadyRunning(let pid, let path):
                return "elfstatsd is already running (pid \(pid), pid file \(path)); stop it first"
            case .cannotWrite(let error) where error.refusal != nil:
                return error.description
            case .cannotWrite(let error):
                return "\(error); create the directory and make it writable by the user elfstatsd runs as (pid_dir in the configuration)"
            }
        }
    }

    /// What was found in the file before it was taken.
    public private(set) var stalePid: Int32?

    /// Locks the file and writes this process's id into it.
    public func acquire() throws(Failure) {
        let folder: SafeDirectory
        do { folder = try SafeDirectory.open(directoryPath) } catch { throw .cannotWrite(error) }
        let descriptor = try open(in: folder)
        let recorded = Self.recordedPid(descriptor: descriptor)
        if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            close(descriptor)
            throw .alreadyRunning(pid: recorded ?? 0, path: path)
        }
        if let recorded, recorded != getpid(), Self.isElfstatsd(pid: recorded) {
            close(descriptor)
            throw .alreadyRunning(pid: recorded, path: path)
        }
        stalePid = recorded
        do throws(SystemError) {
            guard ftruncate(descriptor, 0) == 0 else { throw SystemError(.write, path: path) }
            try FileIO.writeAll("\(getpid())\n", to: descriptor, path: path)
        } catch {
            close(descriptor)
            throw .cannotWrite(error)
        }
        self.directory = folder
        self.descriptor = descriptor
    }

    /// The pid file, opened for writing. One this user may not write (root's, left by a start
    /// as root) is read instead: when it names no running elfstatsd, its name is removed (pid_dir
    /// is this user's) and a new file made.
    private func open(in folder: SafeDirectory) throws(Failure) -> Int32 {
        do {
            return try folder.openOrCreate(Self.name, flags: O_RDWR, mode: 0o644, for: .write).descriptor
        } catch where error.refusal == nil && (error.code == EACCES || error.code == EPERM) {
            if let live = Self.livePid(in: folder) { throw .alreadyRunning(pid: live, path: path) }
            folder.remove(Self.name)
            do { return try folder.createNew(Self.name, flags: O_RDWR, mode: 0o644) } catch { throw .cannotWrite(error) }
        } catch {
            throw .cannotWrite(error)
        }
    }

    /// The pid in the plain file `elfstatsd.pid` of `folder`, when it names a live elfstatsd
    /// other than this process.
    private static func livePid(in folder: SafeDirectory) -> Int32? {
        guard let readable = try? folder.openExisting(name, flags: O_RDONLY, for: .read) else { return nil }
        defer { close(readable) }
        guard let recorded = recordedPid(descriptor: readable), recorded != getpid(), isElfstatsd(pid: recorded) else { return nil }
        return recorded
    }

    /// Removes the file (only if the name still is this file and names this process) and
    /// releases the lock.
    public func release() {
        guard descriptor >= 0 else { return }
        var mine = stat()
        if Self.recordedPid(descriptor: descriptor) == getpid(), fstat(descriptor, &mine) == 0,
           let directory, let named = try? directory.status(of: Self.name),
           named.st_dev == mine.st_dev, named.st_ino == mine.st_ino {
            directory.remove(Self.name)
        }
        close(descriptor)
        descriptor = -1
    }

    /// The pid in `directory/elfstatsd.pid`, when it names a live elfstatsd. A pid file that
    /// is not a plain file of ours names nothing.
    public static func runningDaemon(directory: String) -> Int32? {
        guard let folder = try? SafeDirectory.open(directory) else { return nil }
        return livePid(in: folder)
    }

    static func recordedPid(descriptor: Int32) -> Int32? {
        var bytes = [UInt8](repeating: 0, count: 32)
        let got = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress!, $0.count, 0) }
        guard got > 0 else { return nil }
        let text = String(decoding: bytes[0..<got], as: UTF8.self).split(whereSeparator: { $0 == "\n" || $0 == " " }).first
        return text.flatMap { Int32($0) }.flatMap { $0 > 0 ? $0 : nil }
    }

    /// A live process whose command name is elfstatsd (so a reused pid is not taken for it).
    /// A zombie is not live: a daemon killed where nothing reaps it (a container whose first
    /// process is a shell) keeps its pid until then, and must not block the next start.
    static func isElfstatsd(pid: Int32) -> Bool {
        guard kill(pid, 0) == 0 || errno == EPERM else { return false }
        if let stat = readSmallTextFile("/proc/\(pid)/stat"), isZombie(stat: stat) { return false }
        guard let name = readSmallTextFile("/proc/\(pid)/comm") else { return true }
        return name.hasPrefix("elfstatsd")
    }

    /// Whether a `/proc/PID/stat` line says the process has exited: its state, the field after
    /// the command name in parentheses (which may itself hold spaces and parentheses), is `Z` or `X`.
    static func isZombie(stat: String) -> Bool {
        guard let close = stat.lastIndex(of: ")") else { return false }
        let state = stat[stat.index(after: close)...].drop(while: { $0 == " " }).first
        return state == "Z" || state == "X"
    }
}
