import ElfstatsCore
@testable import ElfstatsRuntime
import Testing

/// A file some other user owns (as root: a file of root's that elfstatsd must never change).
private struct Victim {
    let path: String
    let content = "secret of someone else\n"

    init(in directory: TemporaryDirectory) {
        path = directory.file("victim")
        append(content, to: path)
        chmod(path, 0o600)
    }

    /// Same content, mode and link count as planted.
    func isUntouched(links: Int = 1) -> Bool {
        var status = stat()
        guard lstat(path, &status) == 0 else { return false }
        return fileText(path) == content && status.st_mode & 0o7777 == 0o600 && Int(status.st_nlink) == links
    }
}

@Suite struct FileSafetyTests {
    @Test func aReportPlantedAsASymbolicLinkIsRefusedAndTheTargetKept() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let victim = Victim(in: directory)
        symlink(victim.path, directory.file("web.data"))
        #expect(throws: SystemError.self) { try AtomicFileWriter.write("report\n", to: directory.file("web.data")) }
        do {
            try AtomicFileWriter.write("report\n", to: directory.file("web.data"))
        } catch {
            #expect(error.refusal == .symbolicLink)
            #expect(error.description.hasPrefix("refusing to replace \(directory.file("web.data")): it is a symbolic link"))
        }
        #expect(victim.isUntouched())
        #expect(try leftovers(in: directory).isEmpty)
    }

    @Test func aHardLinkIsRefusedWhereverElfstatsdWrites() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let victim = Victim(in: directory)
        mkdir(directory.file("state"), 0o755)
        for name in ["web.data", "state/web.state.pending", "state/elfstatsd.lock", "state/web.state"] {
            #expect(link(victim.path, directory.file(name)) == 0)
        }
        let links = 5
        do {
            try AtomicFileWriter.write("report\n", to: directory.file("web.data"))
            Issue.record("wrote through a hard link")
        } catch {
            #expect(error.refusal == .hardLinks(count: UInt64(links)))
            #expect(error.description.contains("it has 5 hard links"))
        }
        let store = StateStore(directory: directory.file("state"))
        #expect(throws: SystemError.self) { try store.writePending(SavedState(round: 1, position: nil), for: "web") }
        #expect(throws: StateError.self) { try store.load("web") }
        #expect(throws: StateDirectoryLock.Busy.self) { try StateDirectoryLock(directory: directory.file("state")) }
        #expect(victim.isUntouched(links: links))
    }

    @Test func aFIFOIsRefusedWithoutHanging() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        mkfifo(directory.file("elfstatsd.pid"), 0o644)
        let pidFile = PidFile(directory: directory.path)
        do {
            try pidFile.acquire()
            Issue.record("took a FIFO for the pid file")
        } catch {
            #expect(error.description.contains("\(directory.file("elfstatsd.pid")): it is a FIFO, not a regular file"))
        }
    }

    @Test func theDaemonLogAndItsRotatedNamesAreNotFollowed() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let victim = Victim(in: directory)
        mkdir(directory.file("log"), 0o755)
        symlink(victim.path, directory.file("log/elfstatsd.log"))
        #expect(throws: SystemError.self) {
            try DaemonLogFile(directory: directory.file("log"), settings: .init(level: .info, maximumSize: 100, keptFiles: 2, alsoToStandardError: false))
        }
        unlink(directory.file("log/elfstatsd.log"))
        symlink(victim.path, directory.file("log/elfstatsd.log.2"))
        let file = try DaemonLogFile(directory: directory.file("log"), settings: .init(level: .info, maximumSize: 100, keptFiles: 2, alsoToStandardError: false))
        for index in 0..<10 { file.write("line \(index) " + String(repeating: "x", count: 40)) }
        #expect(victim.isUntouched())
        let text = try #require(fileText(file.path))
        #expect(text.contains("refusing to rotate the log through \(directory.file("log/elfstatsd.log.2")): it is a symbolic link"))
        #expect(text.contains("line 9 "))
    }

    @Test func temporaryNamesAreRandomAndNeverReuseAFile() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let folder = try SafeDirectory.open(directory.path)
        var names = Set<String>()
        for _ in 0..<50 {
            let (descriptor, name) = try folder.createTemporary(for: "web.data", mode: 0o644)
            close(descriptor)
            #expect(name.hasPrefix(".web.data.") && name.hasSuffix(".tmp") && name.count == ".web.data.".count + 12 + 4)
            names.insert(name)
        }
        #expect(names.count == 50)
        // O_EXCL: a name that exists is never opened.
        let taken = try #require(names.first)
        #expect(throws: SystemError.self) { try folder.createNew(taken, flags: O_WRONLY, mode: 0o644) }
    }

    @Test func newFilesGetTheirModeWhateverTheUmask() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let saved = umask(0o077)
        defer { umask(saved) }
        try AtomicFileWriter.write("report\n", to: directory.file("web.data"), mode: 0o644)
        var status = stat()
        #expect(stat(directory.file("web.data"), &status) == 0 && status.st_mode & 0o777 == 0o644)
        #expect(fileText(directory.file("web.data")) == "report\n")
        // An existing plain file of ours is replaced.
        try AtomicFileWriter.write("second\n", to: directory.file("web.data"))
        #expect(fileText(directory.file("web.data")) == "second\n")
        #expect(try leftovers(in: directory).isEmpty)
        try Directories.create(directory.file("a/b/c"), purpose: "test")
        #expect(stat(directory.file("a/b"), &status) == 0 && status.st_mode & 0o777 == 0o755)
    }

    @Test func directoryLinksAreFollowedOnlyWhereNoOtherUserCouldHavePlantedThem() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        guard try linksAreFollowedOnlyWhereTrusted(in: directory, below: "") else { return }
        // A file of a third user in a directory of the service user is refused too.
        append("x\n", to: directory.file("service/web.data"))
        chown(directory.file("service/web.data"), 12345, 12345)
        do {
            try AtomicFileWriter.write("report\n", to: directory.file("service/web.data"))
            Issue.record("replaced a file of a third user")
        } catch {
            #expect(error.refusal == .foreignOwner(uid: 12345))
        }
    }

    /// A '/' followed by a combining mark is one Character but, for the kernel, a separator: the
    /// link before it must be checked like any other.
    @Test func aSlashFollowedByACombiningMarkStillSeparatesNames() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        try linksAreFollowedOnlyWhereTrusted(in: directory, below: "/\u{301}x")
    }

    /// Writes `alias<inner>/web.data` through our own link `alias -> real`, which must work (like
    /// /var/run -> /run); then, as root, `service/reports<inner>/web.data` through a link that
    /// uid 65534 could have planted in its directory, which must be refused and write nothing.
    /// Returns false when not root (only the first half ran).
    @discardableResult
    private func linksAreFollowedOnlyWhereTrusted(in directory: TemporaryDirectory, below inner: String) throws -> Bool {
        mkdir(directory.file("real"), 0o755)
        if !inner.isEmpty { mkdir(directory.file("real" + inner), 0o755) }
        symlink("real", directory.file("alias"))   // ours, like /var/run -> /run
        try AtomicFileWriter.write("via link\n", to: directory.file("alias\(inner)/web.data"))
        #expect(fileText(directory.file("real\(inner)/web.data")) == "via link\n")
        guard geteuid() == 0 else { return false }   // the rest needs a directory of another user
        mkdir(directory.file("service"), 0o755)
        chown(directory.file("service"), 65534, 65534)
        mkdir(directory.file("secret"), 0o700)
        if !inner.isEmpty { mkdir(directory.file("secret" + inner), 0o700) }
        symlink(directory.file("secret"), directory.file("service/reports"))
        do {
            try AtomicFileWriter.write("report\n", to: directory.file("service/reports\(inner)/web.data"))
            Issue.record("followed a link another user planted")
        } catch {
            #expect(error.refusal == .linkInUntrustedDirectory(directoryOwner: 65534))
            #expect(error.description.contains(directory.file("service/reports")))
        }
        #expect(access(directory.file("secret\(inner)/web.data"), F_OK) != 0)
        return true
    }

    @Test func theStateAndThePidFileAreNotReadThroughLinks() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let victim = Victim(in: directory)
        mkdir(directory.file("state"), 0o755)
        symlink(victim.path, directory.file("state/web.state"))
        let store = StateStore(directory: directory.file("state"))
        do {
            _ = try store.load("web")
            Issue.record("read state through a link")
        } catch {
            #expect(error.description.contains("refusing to read \(directory.file("state/web.state")): it is a symbolic link"))
        }
        mkdir(directory.file("run"), 0o755)
        append("\(getpid())\n", to: directory.file("pid"))
        symlink(directory.file("pid"), directory.file("run/elfstatsd.pid"))
        #expect(PidFile.runningDaemon(directory: directory.file("run")) == nil)
        #expect(throws: PidFile.Failure.self) { try PidFile(directory: directory.file("run")).acquire() }
        #expect(victim.isUntouched())
    }

    @Test func readAllStopsAtItsLimit() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        append(String(repeating: "x", count: 100_000), to: directory.file("big"))
        #expect(try FileIO.readFile(directory.file("big"), limit: 100_000).count == 100_000)
        do {
            _ = try FileIO.readFile(directory.file("big"), limit: 99_999)
            Issue.record("read past the limit")
        } catch {
            #expect(error.code == EFBIG && error.operation == .read && error.path == directory.file("big"))
        }
        do {
            _ = try FileIO.readFile(directory.file("missing"), limit: 10)
        } catch {
            #expect(error.isMissingFile)
            #expect(error.description == "cannot open \(directory.file("missing")): No such file or directory")
        }
    }

    /// Temporary files left behind.
    private func leftovers(in directory: TemporaryDirectory) throws -> [String] {
        guard let stream = opendir(directory.path) else { return [] }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name.hasSuffix(".tmp") { names.append(name) }
        }
        return names
    }
}

@Suite struct PrivilegeTests {
    @Test func capabilitiesAreParsedByName() throws {
        #expect(try CapabilitySet(parsing: "none") == CapabilitySet([]))
        #expect(try CapabilitySet(parsing: "") == CapabilitySet([]))
        #expect(try CapabilitySet(parsing: "dac_read_search").mask == 1 << 2)
        #expect(try CapabilitySet(parsing: "CAP_DAC_READ_SEARCH").description == "cap_dac_read_search")
        #expect(throws: CapabilitySet.UnknownCapability.self) { try CapabilitySet(parsing: "sys_admin") }
    }

    @Test func theCapabilitiesOfThisProcessCanBeRead() throws {
        let now = try KernelCapabilities.current()
        // Whatever the test runs as, the effective set is within the permitted one.
        #expect(now.effective.mask & ~now.permitted.mask == 0)
        #expect(KernelCapabilities.lastCapability >= 36)
    }

    @Test func readinessReachesTheNotifySocket() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("notify")
        let receiver = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(receiver) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { bytes in
            for (index, byte) in path.utf8.enumerated() { bytes[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(receiver, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        #expect(bound == 0)
        let notifier = ServiceNotifier(socketPath: path)
        #expect(notifier.send("READY=1\nSTATUS=test"))
        var buffer = [UInt8](repeating: 0, count: 256)
        let got = buffer.withUnsafeMutableBytes { recv(receiver, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
        #expect(got > 0 && String(decoding: buffer[0..<max(0, got)], as: UTF8.self) == "READY=1\nSTATUS=test")
        #expect(!ServiceNotifier(socketPath: nil).send("READY=1"))
    }
}
