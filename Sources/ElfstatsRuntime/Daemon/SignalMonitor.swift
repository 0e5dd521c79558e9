/// The write end of the self-pipe, for the signal handler (which can capture nothing).
import ElfstatsCore

nonisolated(unsafe) private var signalPipeWriteEnd: Int32 = -1

/// Turns SIGTERM, SIGINT and SIGHUP into bytes on a pipe (the handler does nothing else, as a
/// signal handler must), so that the daemon can wait for "the next round start or a signal,
/// whichever comes first" with `poll`, and look for signals between two data files.
public final class SignalMonitor {
    public enum Event: Sendable, Equatable {
        /// SIGTERM or SIGINT: finish the file in hand, save, exit.
        case stop
        /// SIGHUP: read the configuration again.
        case reload
    }

    private let readEnd: Int32

    /// Installs the handlers; one monitor per process.
    public init() throws(SystemError) {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw SystemError(.createPipe, path: "the signal pipe") }
        for end in ends {
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        readEnd = ends[0]
        signalPipeWriteEnd = ends[1]
        for signal in [SIGTERM, SIGINT, SIGHUP] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { number in
                let saved = errno
                var byte = UInt8(truncatingIfNeeded: number)
                _ = write(signalPipeWriteEnd, &byte, 1)
                errno = saved
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            sigaction(signal, &action, nil)
        }
        // A Munin plugin or init script closing a pipe must not kill the daemon.
        Glibc.signal(SIGPIPE, SIG_IGN)
    }

    /// Waits until the wall clock reaches `deadline` (epoch seconds) or a signal arrives;
    /// returns the signals that arrived (empty at the deadline).
    public func wait(until deadline: Double) -> [Event] {
        while true {
            let events = pending()
            if !events.isEmpty { return events }
            let remaining = deadline - SystemClock.preciseNow()
            if remaining <= 0 { return [] }
            var descriptor = pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)
            // Wake at least every second: the wall clock may be set while waiting.
            _ = poll(&descriptor, 1, Int32(min(1000, max(1, (remaining * 1000).rounded(.up)))))
        }
    }

    /// Events read from the pipe by `stopIsPending` and not yet handed out by `pending`.
    private var held: [Event] = []

    /// True when a stop signal has arrived (and not yet been handed out); cheap enough to ask
    /// between two chunks of a log.
    public func stopIsPending() -> Bool {
        held = pending()
        return held.contains(.stop)
    }

    /// The signals that arrived since the last look, without waiting.
    public func pending() -> [Event] {
        var events = held
        held = []
        var bytes = [UInt8](repeating: 0, count: 64)
        while true {
            let got = bytes.withUnsafeMutableBytes { read(readEnd, $0.baseAddress!, $0.count) }
            if got <= 0 { break }
            for byte in bytes[0..<got] {
                let event: Event = Int32(byte) == SIGHUP ? .reload : .stop
                if !events.contains(event) { events.append(event) }
            }
        }
        return events
    }
}
