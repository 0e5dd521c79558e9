/// The state directory: `<name>.state` per data file, and the protocol that keeps a report and
/// the offsets it counted up to in step although they are two files.
///
/// A round ends, per data file, with:
/// 1. `<name>.state.pending` written (atomically) with the new position and the hash of the
///    report about to be written;
/// 2. the report written (atomically);
/// 3. the pending file renamed over `<name>.state`.
///
/// If the process dies before 2, the report on disk is the previous one and the pending state
/// is discarded at the next start: the records are read again and reported once. If it dies
/// between 2 and 3, the report on disk is the new one, its hash matches, and the pending state is
/// adopted: the records are not read again. Either way every record is in exactly one report.
import ElfstatsCore

public struct StateStore: Sendable {
    public var directory: String

    public init(directory: String) {
        self.directory = directory
    }

    public func statePath(for name: String) -> String { "\(directory)/\(name).state" }
    public func pendingPath(for name: String) -> String { "\(directory)/\(name).state.pending" }

    /// The state of data file `name`; nil when there is none. A file that is not valid state
    /// throws, so the caller can say which file is wrong and what to do.
    public func load(_ name: String) throws(StateError) -> SavedState? {
        let path = statePath(for: name)
        guard let text = readSmallTextFile(path) else {
            if errno == ENOENT { return nil }
            throw StateError(path: path, problem: SystemError("read", path: path).reason)
        }
        guard let state = SavedState(parsing: text) else {
            throw StateError(path: path, problem: "it is not an elfstatsd state file")
        }
        return state
    }

    /// Step 1: the position a report is about to count up to.
    public func writePending(_ state: SavedState, for name: String) throws(SystemError) {
        try AtomicFileWriter.write(state.rendered(), to: pendingPath(for: name), mode: 0o644)
    }

    /// Step 3: the report is written; its position becomes the state.
    public func commitPending(for name: String) throws(SystemError) {
        guard rename(pendingPath(for: name), statePath(for: name)) == 0 else {
            throw SystemError("rename \(pendingPath(for: name)) to", path: statePath(for: name))
        }
        AtomicFileWriter.syncDirectory(of: statePath(for: name))
    }

    /// Drops a pending state whose report was not written.
    public func discardPending(for name: String) {
        unlink(pendingPath(for: name))
    }

    /// What start-up found in a pending file.
    public enum Recovery: Sendable, Equatable {
        case nothingPending
        /// The report on disk is the pending state's: the state now includes it.
        case adopted(round: Int64)
        /// The report was never written: the records will be read again.
        case discarded(round: Int64)
    }

    /// At start-up: a pending state left by a process that died in the middle of a round is
    /// adopted when the report at `reportPath` is the one it was written for, else discarded.
    public func recoverPending(for name: String, reportPath: String) -> Recovery {
        let pending = pendingPath(for: name)
        guard let text = readSmallTextFile(pending) else { return .nothingPending }
        guard let state = SavedState(parsing: text), let expected = state.reportHash else {
            unlink(pending)
            return .discarded(round: 0)
        }
        if let report = readSmallTextFile(reportPath), ReportHash.of(report) == expected,
           rename(pending, statePath(for: name)) == 0 {
            return .adopted(round: state.round)
        }
        unlink(pending)
        return .discarded(round: state.round)
    }
}

/// A state file that cannot be used.
public struct StateError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var problem: String

    public var description: String {
        "cannot use the saved position in \(path): \(problem); remove the file to start this log over from the last interval"
    }
}
