/// One process at a time reads logs on behalf of a state directory: a daemon and a one-shot run
/// (or two one-shot runs) working from the same saved offsets would count records twice.
import ElfstatsCore

public final class StateDirectoryLock {
    private let descriptor: Int32

    public struct Busy: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Takes `directory/elfstatsd.lock` (creating the directory if need be), or throws at once.
    /// The lock file is opened read-only (flock needs no more) and only as a plain file of ours.
    public init(directory: String) throws(Busy) {
        let folder: SafeDirectory
        let descriptor: Int32
        do {
            folder = try SafeDirectory.open(directory, creating: true)
            descriptor = try folder.openOrCreate("elfstatsd.lock", flags: O_RDONLY, mode: 0o644, for: .lock).descriptor
        } catch {
            throw Busy(description: "\(error)\(error.refusal == nil ? "; make state_dir writable by the user elfstatsd runs as" : "")")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw Busy(description: "another elfstatsd (daemon or `once`) is using the state in \(directory); running both would count records twice")
        }
        guard faccessat(folder.descriptor, ".", W_OK | X_OK, AT_EACCESS) == 0 else {
            close(descriptor)
            throw Busy(description: "\(SystemError(.write, path: directory, code: EACCES)); make state_dir writable by the user elfstatsd runs as")
        }
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }
}
