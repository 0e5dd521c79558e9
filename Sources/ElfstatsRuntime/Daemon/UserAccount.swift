/// The unprivileged user given by `--user`, and the switch to it, done once the pid file and
/// the daemon's own log (which need root in /var/run and /var/log) are open.
import ElfstatsCore

public struct UserAccount: Sendable {
    public var name: String
    public var uid: uid_t
    public var gid: gid_t

    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Looks the user up in the system's user database.
    public init(named name: String) throws(Failure) {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>? = nil
        var buffer = [CChar](repeating: 0, count: 16384)
        let status = getpwnam_r(name, &entry, &buffer, buffer.count, &result)
        guard status == 0, result != nil else {
            throw Failure(description: "there is no user '\(name)' (--user); create it or name another")
        }
        self.name = name
        uid = entry.pw_uid
        gid = entry.pw_gid
    }

    /// Supplementary groups, group, then user: after this, root is gone for good.
    public func become() throws(Failure) {
        if getuid() == uid && geteuid() == uid { return }
        guard initgroups(name, gid) == 0, setgid(gid) == 0, setuid(uid) == 0 else {
            throw Failure(description: "cannot switch to user '\(name)': \(SystemError("setuid", path: name).reason); start elfstatsd as root to use --user")
        }
    }
}
