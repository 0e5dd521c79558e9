/// Creating the directories elfstatsd writes into, with messages that name them.
import ElfstatsCore

public enum Directories {
    /// `mkdir -p` with mode 0755; fine when the directory exists. Returns true when it created
    /// `path` itself.
    @discardableResult
    public static func create(_ path: String, purpose: String) throws(SystemError) -> Bool {
        if path.isEmpty || isDirectory(path) { return false }
        let parent = parent(of: path)
        if parent != path { try create(parent, purpose: purpose) }
        if mkdir(path, 0o755) != 0 {
            if errno == EEXIST { return false }
            throw SystemError("create the \(purpose) directory", path: path)
        }
        return true
    }

    public static func isDirectory(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR
    }

    /// The directory part of a path ("." for a bare name, "/" for the root).
    public static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }

    /// True when this process may create files in `path`.
    public static func isWritable(_ path: String) -> Bool {
        access(path, W_OK | X_OK) == 0
    }
}
