/// The unprivileged user given by `--user`, and the switch to it: done by a daemon started as
/// root (SysV init) before it opens any file, keeping at most the capabilities asked for.
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

    /// Supplementary groups, group, then user, keeping `kept` and nothing else: after this, root
    /// is gone for good (the bounding set holds only `kept`, no_new_privs is set, and a setuid
    /// back to root is checked to fail).
    public func become(keeping kept: CapabilitySet) throws(Failure) {
        if getuid() == uid && geteuid() == uid {
            try Privileges.limit(to: kept)
            return
        }
        do throws(SystemError) {
            try Privileges.dropBoundingSet(except: kept)
            if kept.mask != 0, KernelCapabilities.prctl(KernelCapabilities.setKeepCapabilities, 1) != 0 {
                throw SystemError(.setCapabilities, path: "this process")
            }
            guard initgroups(name, gid) == 0, setgid(gid) == 0, setuid(uid) == 0 else {
                throw SystemError(.switchUser, path: name)
            }
            try KernelCapabilities.set(kept)
            _ = KernelCapabilities.prctl(KernelCapabilities.setKeepCapabilities, 0)
            _ = KernelCapabilities.prctl(KernelCapabilities.setNoNewPrivileges, 1)
        } catch {
            throw Failure(description: "cannot switch to user '\(name)' keeping \(kept.description): \(error.reason); start elfstatsd as root to use --user")
        }
        guard setuid(0) != 0, getuid() == uid, geteuid() == uid else {
            throw Failure(description: "switching to user '\(name)' did not stick (still able to become root); not starting")
        }
    }
}

/// What a process not running as root can still do about its capabilities: give them up.
public enum Privileges {
    /// Keeps `kept` where this process has it (systemd gives it through AmbientCapabilities=)
    /// and drops every other capability, the ambient ones included. Returns what is kept.
    @discardableResult
    public static func limit(to kept: CapabilitySet) throws(UserAccount.Failure) -> CapabilitySet {
        do throws(SystemError) {
            let now = try KernelCapabilities.current()
            let keeping = CapabilitySet(mask: now.permitted.mask & kept.mask)
            _ = KernelCapabilities.prctl(KernelCapabilities.ambient, KernelCapabilities.ambientClearAll)
            if now.permitted != keeping || now.effective != keeping {
                try KernelCapabilities.set(keeping)
            }
            _ = KernelCapabilities.prctl(KernelCapabilities.setNoNewPrivileges, 1)
            return keeping
        } catch {
            throw UserAccount.Failure(description: "cannot limit the capabilities to \(kept.description): \(error.reason)")
        }
    }

    /// The capabilities in force now (effective set).
    public static func effective() -> CapabilitySet {
        (try? KernelCapabilities.current().effective) ?? CapabilitySet(mask: 0)
    }

    /// As root: no capability outside `kept` can ever come back, even through a setuid program.
    static func dropBoundingSet(except kept: CapabilitySet) throws(SystemError) {
        for number in 0...KernelCapabilities.lastCapability where kept.mask & (1 << UInt64(number)) == 0 {
            if KernelCapabilities.prctl(KernelCapabilities.dropFromBoundingSet, UInt(number)) != 0 && errno != EINVAL {
                throw SystemError(.setCapabilities, path: "this process")
            }
        }
    }
}
