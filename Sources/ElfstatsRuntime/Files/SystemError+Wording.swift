/// How a `SystemError` reads in a message: "cannot create /x: Permission denied", or for a
/// refused file "refusing to open /x: it is a symbolic link; ...". Every message names the path.
import ElfstatsCore

extension SystemError: CustomStringConvertible {
    public var description: String {
        if let refusal { return "refusing to \(operation.verb) \(path): \(refusal.explanation)" }
        return "cannot \(operation.verb) \(path)\(operation.suffix): \(reason)"
    }

    /// The C library's text for `code`, e.g. "No such file or directory".
    public var reason: String { String(cString: strerror(code)) }
}

extension FileOperation {
    var verb: String {
        switch self {
        case .open: return "open"
        case .create: return "create"
        case .read: return "read"
        case .write: return "write"
        case .replace: return "replace"
        case .stat: return "look at"
        case .sync: return "flush"
        case .lock: return "lock"
        case .remove: return "remove"
        case .changeMode: return "set the permissions of"
        case .changeOwner: return "set the owner of"
        case .rename: return "rename"
        case .makeDirectory: return "create the directory"
        case .openDirectory: return "open the directory"
        case .readLink: return "read the symbolic link"
        case .rotate: return "rotate the log through"
        case .createPipe: return "create"
        case .fork: return "fork for"
        case .createSocket: return "create a socket for"
        case .notify: return "notify"
        case .switchUser: return "switch to the user"
        case .setCapabilities: return "set the capabilities of"
        }
    }

    var suffix: String {
        if case .rename(let target) = self { return " to \(target)" }
        return ""
    }
}

extension UnsafeFile {
    var explanation: String {
        switch self {
        case .symbolicLink:
            return "it is a symbolic link, which whoever may write in its directory could have planted to point elfstatsd at another file; remove it"
        case .hardLinks(let count):
            return "it has \(count) hard links, so another name may be a file elfstatsd must not change; remove this name"
        case .notRegularFile(let kind):
            return "it is \(kind), not a regular file; remove it"
        case .foreignOwner(let uid):
            return "it belongs to uid \(uid), neither root, nor the user elfstatsd runs as, nor the owner of its directory; remove it or give it to the user elfstatsd runs as"
        case .linkInUntrustedDirectory(let owner):
            return "the path goes through a symbolic link in a directory that uid \(owner) may change; use the real path in the configuration"
        }
    }
}
