/// A directory elfstatsd writes in, opened once and then used by descriptor, so that every name
/// in it is looked up relative to the directory actually checked.
///
/// Why: the pid, log, state and report directories belong to the service account, which may be
/// an attacker. Whatever runs with more rights than that account (root running `once`, or the
/// daemon before it drops to the user) must not be steered by names the account planted:
/// - names are opened with O_NOFOLLOW, and an existing file is used only when it is a regular
///   file with one link, owned by root, by the user elfstatsd runs as or by the directory's
///   owner (`checkPlainFile`); anything else is refused with a message naming the path;
/// - new files are created with O_EXCL (temporary ones under random names), so creating never
///   opens something that was already there, and only files created this way are chmod-ed;
/// - a file is replaced by renaming a new one over it, which changes the name, never the old
///   file's content, owner or mode;
/// - the directory path itself may go through symbolic links (/var/run -> /run) only where the
///   link sits in a directory that root or this process owns (`open`).
import ElfstatsCore

/// Glibc exports O_PATH only under _GNU_SOURCE, which Swift's Glibc module does not define;
/// its value is the same on x86-64 and aarch64.
let O_PATH: Int32 = 0o10000000

public final class SafeDirectory {
    public let path: String
    /// Read-only, for `openat` and friends and for `fsync` after a rename.
    public let descriptor: Int32
    /// The directory's owner: files it owns are its user's own business, not a plant.
    public let owner: uid_t
    /// The directories `open(_:creating:)` made, outermost first.
    public private(set) var created: [String] = []

    private init(path: String, descriptor: Int32, owner: uid_t) {
        self.path = path
        self.descriptor = descriptor
        self.owner = owner
    }

    deinit { close(descriptor) }

    /// Opens the directory at `path`, component by component. With `creating`, missing
    /// directories are made (mode 0755, whatever the umask) and, when `owner` is given, handed
    /// to that user (who must later create files in them).
    public static func open(_ path: String, creating: Bool = false,
                            owner newOwner: (uid: uid_t, gid: gid_t)? = nil) throws(SystemError) -> SafeDirectory {
        guard !path.isEmpty else { throw SystemError(.openDirectory, path: path, code: ENOENT) }
        var created: [String] = []
        var pending = components(of: path)
        var currentPath = path.hasPrefix("/") ? "/" : "."
        var current = Glibc.open(currentPath, O_PATH | O_DIRECTORY | O_CLOEXEC)
        guard current >= 0 else { throw SystemError(.openDirectory, path: currentPath) }
        var linksFollowed = 0
        while !pending.isEmpty {
            let name = pending.removeFirst()
            if name == "." { continue }
            let childPath = join(currentPath, name)
            var entry = stat()
            if fstatat(current, name, &entry, AT_SYMLINK_NOFOLLOW) != 0 {
                let code = errno
                guard code == ENOENT, creating, name != ".." else {
                    close(current)
                    throw SystemError(.openDirectory, path: path, code: code)
                }
                if mkdirat(current, name, 0o700) == 0 {
                    do throws(SystemError) {
                        try prepareCreated(in: current, name: name, path: childPath, owner: newOwner)
                    } catch {
                        close(current)
                        throw error
                    }
                    created.append(childPath)
                } else if errno != EEXIST {
                    let error = SystemError(.makeDirectory, path: childPath)
                    close(current)
                    throw error
                }
                pending.insert(name, at: 0)
                continue
            }
            if (entry.st_mode & S_IFMT) == S_IFLNK {
                var parent = stat()
                fstat(current, &parent)
                guard isTrusted(directory: parent), !isSticky(parent) || isTrustedOwner(entry.st_uid) else {
                    close(current)
                    throw SystemError(refusing: .openDirectory, path: childPath,
                                      because: .linkInUntrustedDirectory(directoryOwner: parent.st_uid))
                }
                linksFollowed += 1
                let target: String
                do throws(SystemError) {
                    guard linksFollowed <= 40 else { throw SystemError(.openDirectory, path: path, code: ELOOP) }
                    target = try readLink(in: current, name: name, path: childPath)
                } catch {
                    close(current)
                    throw error
                }
                if target.hasPrefix("/") {
                    close(current)
                    current = Glibc.open("/", O_PATH | O_DIRECTORY | O_CLOEXEC)
                    currentPath = "/"
                    guard current >= 0 else { throw SystemError(.openDirectory, path: "/") }
                }
                pending.insert(contentsOf: components(of: target), at: 0)
                continue
            }
            // O_NOFOLLOW: a directory swapped for a link since fstatat fails here instead.
            let next = openat(current, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            let code = errno
            close(current)
            guard next >= 0 else { throw SystemError(.openDirectory, path: path, code: code) }
            current = next
            currentPath = name == ".." ? Directories.parent(of: currentPath) : childPath
        }
        let final = openat(current, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        let code = errno
        close(current)
        guard final >= 0 else { throw SystemError(.openDirectory, path: path, code: code) }
        var status = stat()
        fstat(final, &status)
        let directory = SafeDirectory(path: path, descriptor: final, owner: status.st_uid)
        directory.created = created
        return directory
    }

    /// `dir/name` for messages.
    public func pathOf(_ name: String) -> String { Self.join(path, name) }

    // MARK: Existing files

    /// The file `name` as it is now, without following a link; nil when there is none.
    public func status(of name: String) throws(SystemError) -> stat? {
        var status = stat()
        guard fstatat(descriptor, name, &status, AT_SYMLINK_NOFOLLOW) == 0 else {
            let code = errno
            if code == ENOENT { return nil }
            throw SystemError(.stat, path: pathOf(name), code: code)
        }
        return status
    }

    /// Refuses, as `operation` on `name`, a file that is not a plain file of ours (see the type).
    public func checkPlainFile(_ status: stat, name: String, for operation: FileOperation) throws(SystemError) {
        let refusal: UnsafeFile?
        switch status.st_mode & S_IFMT {
        case S_IFREG:
            if status.st_nlink > 1 {
                refusal = .hardLinks(count: UInt64(status.st_nlink))
            } else if !Self.isTrustedOwner(status.st_uid) && status.st_uid != owner {
                refusal = .foreignOwner(uid: UInt32(status.st_uid))
            } else {
                refusal = nil
            }
        case S_IFLNK: refusal = .symbolicLink
        case S_IFDIR: refusal = .notRegularFile(kind: "a directory")
        case S_IFIFO: refusal = .notRegularFile(kind: "a FIFO")
        case S_IFSOCK: refusal = .notRegularFile(kind: "a socket")
        case S_IFCHR, S_IFBLK: refusal = .notRegularFile(kind: "a device")
        default: refusal = .notRegularFile(kind: "not a regular file")
        }
        if let refusal { throw SystemError(refusing: operation, path: pathOf(name), because: refusal) }
    }

    /// Opens the existing file `name` (`flags`: O_RDONLY, O_WRONLY | O_APPEND, ...) when it is a
    /// plain file of ours; nil when there is none.
    public func openExisting(_ name: String, flags: Int32, for operation: FileOperation = .open) throws(SystemError) -> Int32? {
        guard let before = try status(of: name) else { return nil }
        try checkPlainFile(before, name: name, for: operation)
        // O_NONBLOCK: a FIFO swapped in since the check must not hang the open.
        let file = openat(descriptor, name, flags | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)
        guard file >= 0 else {
            let code = errno
            if code == ENOENT { return nil }
            if code == ELOOP { throw SystemError(refusing: operation, path: pathOf(name), because: .symbolicLink) }
            throw SystemError(operation, path: pathOf(name), code: code)
        }
        var after = stat()
        guard fstat(file, &after) == 0 else {
            let error = SystemError(.stat, path: pathOf(name))
            close(file)
            throw error
        }
        do throws(SystemError) {
            try checkPlainFile(after, name: name, for: operation)
        } catch {
            close(file)
            throw error
        }
        _ = fcntl(file, F_SETFL, fcntl(file, F_GETFL) & ~O_NONBLOCK)
        return file
    }

    /// Reads the plain file `name` whole (at most `limit` bytes); nil when there is none.
    public func readFile(_ name: String, limit: Int) throws(SystemError) -> [UInt8]? {
        guard let file = try openExisting(name, flags: O_RDONLY, for: .read) else { return nil }
        defer { close(file) }
        return try FileIO.readAll(file, path: pathOf(name), limit: limit)
    }

    // MARK: New files

    /// Creates `name`, which must not exist, with `mode` (set explicitly: the umask does not
    /// decide who may read a report). Returns the descriptor, opened with `flags`.
    public func createNew(_ name: String, flags: Int32, mode: mode_t) throws(SystemError) -> Int32 {
        let file = openat(descriptor, name, flags | O_CREAT | O_EXCL | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC, mode)
        guard file >= 0 else { throw SystemError(.create, path: pathOf(name)) }
        // This process made the file just now: it may set its mode.
        guard fchmod(file, mode) == 0 else {
            let error = SystemError(.changeMode, path: pathOf(name))
            close(file)
            unlinkat(descriptor, name, 0)
            throw error
        }
        return file
    }

    /// The existing plain file `name`, or a new one; `created` says which.
    public func openOrCreate(_ name: String, flags: Int32, mode: mode_t,
                             for operation: FileOperation = .open) throws(SystemError) -> (descriptor: Int32, created: Bool) {
        for _ in 0..<8 {
            if let existing = try openExisting(name, flags: flags, for: operation) { return (existing, false) }
            do {
                return (try createNew(name, flags: flags, mode: mode), true)
            } catch where error.code == EEXIST {
                continue   // made by someone else in between: look at it again
            }
        }
        throw SystemError(.create, path: pathOf(name), code: EEXIST)
    }

    /// A new file `.NAME.RANDOM.tmp` beside `name`: random, so nobody can plant it beforehand;
    /// hidden, so no reader takes it for a report.
    public func createTemporary(for name: String, mode: mode_t) throws(SystemError) -> (descriptor: Int32, name: String) {
        for _ in 0..<100 {
            let temporary = ".\(name).\(Self.randomSuffix()).tmp"
            do {
                return (try createNew(temporary, flags: O_WRONLY, mode: mode), temporary)
            } catch where error.code == EEXIST {
                continue
            }
        }
        throw SystemError(.create, path: pathOf(".\(name).XXXXXXXXXXXX.tmp"), code: EEXIST)
    }

    // MARK: Names

    /// Renames `from` over `to` in this directory. An existing `to` must be a plain file of ours:
    /// the rename would not hurt another file, but a plant there means someone is at work.
    public func rename(_ from: String, over to: String) throws(SystemError) {
        if let existing = try status(of: to) { try checkPlainFile(existing, name: to, for: .replace) }
        guard renameat(descriptor, from, descriptor, to) == 0 else {
            throw SystemError(.rename(to: pathOf(to)), path: pathOf(from))
        }
    }

    /// Removes the name (never what a link points to).
    public func remove(_ name: String) {
        unlinkat(descriptor, name, 0)
    }

    /// Flushes the directory, so that a rename into it survives a power cut before the next
    /// step relies on it. Best effort: some file systems cannot sync a directory.
    public func sync() {
        fsync(descriptor)
    }

    /// Replaces `name` all at once with `bytes`: a temporary file, flushed, renamed over it.
    /// A reader sees the old content or the new, never half of it.
    public func replace(_ name: String, with bytes: [UInt8], mode: mode_t) throws(SystemError) {
        if let existing = try status(of: name) { try checkPlainFile(existing, name: name, for: .replace) }
        let (file, temporary) = try createTemporary(for: name, mode: mode)
        var failure: SystemError? = nil
        bytes.withUnsafeBytes { buffer in
            guard buffer.count > 0 else { return }
            do throws(SystemError) { try FileIO.writeAll(buffer, to: file, path: pathOf(temporary)) } catch { failure = error }
        }
        if failure == nil, fsync(file) != 0 { failure = SystemError(.sync, path: pathOf(temporary)) }
        close(file)
        if failure == nil {
            do throws(SystemError) { try rename(temporary, over: name) } catch { failure = error }
        }
        if let failure {
            remove(temporary)
            throw failure
        }
        sync()
    }

    // MARK: Helpers

    /// Root and this process's user: their files and directories are not plants.
    static func isTrustedOwner(_ uid: uid_t) -> Bool { uid == 0 || uid == geteuid() }

    /// A directory whose entries only root or this process can change.
    static func isTrusted(directory status: stat) -> Bool {
        guard isTrustedOwner(status.st_uid) else { return false }
        let writableByOthers = status.st_mode & (S_IWGRP | S_IWOTH) != 0
        return !writableByOthers || isSticky(status)
    }

    static func isSticky(_ status: stat) -> Bool { status.st_mode & S_ISVTX != 0 }

    /// A directory just made by this process: explicit mode, and the owner it is meant for.
    private static func prepareCreated(in parent: Int32, name: String, path: String,
                                       owner: (uid: uid_t, gid: gid_t)?) throws(SystemError) {
        let directory = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard directory >= 0 else { throw SystemError(.openDirectory, path: path) }
        defer { close(directory) }
        guard fchmod(directory, 0o755) == 0 else { throw SystemError(.changeMode, path: path) }
        if let owner, fchown(directory, owner.uid, owner.gid) != 0 { throw SystemError(.changeOwner, path: path) }
    }

    private static func readLink(in directory: Int32, name: String, path: String) throws(SystemError) -> String {
        var buffer = [UInt8](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = buffer.withUnsafeMutableBytes {
            readlinkat(directory, name, $0.baseAddress!.assumingMemoryBound(to: CChar.self), $0.count)
        }
        guard length >= 0 else { throw SystemError(.readLink, path: path) }
        guard length < buffer.count else { throw SystemError(.readLink, path: path, code: ENAMETOOLONG) }
        return String(decoding: buffer[0..<length], as: UTF8.self)
    }

    /// Split at every byte '/', as the kernel does. Splitting by Character kept a '/' followed
    /// by a combining mark inside one name, which fstatat then resolved through links unchecked;
    /// and it cost 0.2 million instructions for the three directories `once` opens, bytes 0.07.
    private static func components(of path: String) -> [String] {
        path.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true).map { String(Substring($0)) }
    }

    private static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    /// 12 characters from 62: 71 bits nobody can guess. Swift's system generator reads the
    /// kernel's random source (getrandom).
    static func randomSuffix() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".utf8)
        var generator = SystemRandomNumberGenerator()
        return String(decoding: (0..<12).map { _ in alphabet.randomElement(using: &generator)! }, as: UTF8.self)
    }

}
