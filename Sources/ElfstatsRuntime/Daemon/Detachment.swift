/// Running in the background, as an init script expects: the command forks, the child starts
/// a new session and does all of start-up (pid file, own log, state), and the parent waits for
/// its verdict, so that `elfstatsd run` exits 0 only once the daemon really runs, and non-zero,
/// with the reason on stderr, when it could not start.
import ElfstatsCore

public struct Detachment {
    private let verdictWriteEnd: Int32

    /// In the parent: never returns; exits 0 when the child reports it started, else prints its
    /// message and exits 1. In the child: returns the means to report.
    public static func detach() -> Detachment {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else {
            writeToStandardError("elfstatsd: cannot detach: \(SystemError(.createPipe, path: "a pipe").reason)")
            exit(1)
        }
        let child = fork()
        if child < 0 {
            writeToStandardError("elfstatsd: cannot detach: \(SystemError(.fork, path: "").reason)")
            exit(1)
        }
        if child > 0 {
            close(ends[1])
            let bytes = (try? FileIO.readAll(ends[0], path: "the daemon's start-up pipe", limit: 1 << 20)) ?? []
            let message = String(decoding: bytes, as: UTF8.self)
            if message == "ok" { exit(0) }
            var status: Int32 = 0
            if message.isEmpty { waitpid(child, &status, 0) }
            writeToStandardError(message.isEmpty ? "elfstatsd: the daemon exited during start-up" : message)
            exit(1)
        }
        close(ends[0])
        _ = fcntl(ends[1], F_SETFD, FD_CLOEXEC)
        setsid()
        return Detachment(verdictWriteEnd: ends[1])
    }

    /// Start-up failed: the parent prints `message` and exits 1.
    public func fail(_ message: String) -> Never {
        send(message)
        exit(1)
    }

    /// Start-up done: the parent exits 0; standard input and output go to /dev/null (the
    /// daemon speaks through its own log from now on).
    public func started() {
        send("ok")
        let null = open("/dev/null", O_RDWR)
        if null >= 0 {
            dup2(null, 0)
            dup2(null, 1)
            dup2(null, 2)
            if null > 2 { close(null) }
        }
        chdir("/")
    }

    private func send(_ message: String) {
        try? FileIO.writeAll(message, to: verdictWriteEnd, path: "the daemon's start-up pipe")
        close(verdictWriteEnd)
    }
}
