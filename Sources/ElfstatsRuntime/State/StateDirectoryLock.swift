/// One process at a time reads logs on behalf of a state directory: a daemon and a one-shot run
/// (or two one-shot runs) working from the same saved offsets would count records twice.
import ElfstatsCore

public final class StateDirectoryLock {
    private let descriptor: Int32

    public struct Busy: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Takes `directory/elfstatsd.lock` (creating the directory if need be), or throws at once.
    public init(directory: String) throws(Busy) {
        do {
            try Directories.create(directory, purpose: "state_dir")
        } catch {
            throw Busy(description: "\(error); create it and make it writable by the user elfstatsd runs as")
        }
        let path = directory + "/elfstatsd.lock"
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw Busy(description: "\(SystemError("create", path: path)); make state_dir writable by the user elfstatsd runs as")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw Busy(description: "another elfstatsd (daemon or `once`) is using the state in \(directory); running both would count records twice")
        }
        guard Directories.isWritable(directory) else {
            close(descriptor)
            throw Busy(description: "\(SystemError("write in", path: directory, code: EACCES)); make state_dir writable by the user elfstatsd runs as")
        }
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }
}
