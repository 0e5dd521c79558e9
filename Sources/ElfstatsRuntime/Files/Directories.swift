/// Creating the directories elfstatsd writes into, and taking paths apart.
import ElfstatsCore

public enum Directories {
    /// `mkdir -p` with mode 0755 (see `SafeDirectory.open`); fine when the directory exists.
    /// Returns true when it created `path` itself. `purpose` (state_dir, report, ...) is what
    /// the caller will say the directory is for; the error names the path.
    @discardableResult
    public static func create(_ path: String, purpose: String) throws(SystemError) -> Bool {
        if path.isEmpty { return false }
        return try !SafeDirectory.open(path, creating: true).created.isEmpty
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

    /// The last part of a path.
    public static func name(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }
}
