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

    public func statePath(for name: String) -> String { "\(directory)/\(stateName(name))" }
    public func pendingPath(for name: String) -> String { "\(directory)/\(pendingName(name))" }
    /// The file names inside `directory`, for `SafeDirectory`.
    private func stateName(_ name: String) -> String { "\(name).state" }
    private func pendingName(_ name: String) -> String { "\(name).state.pending" }

    /// The state of data file `name`; nil when there is none. A file that is not valid state
    /// (or not a plain file of ours, see `SafeDirectory`) throws, so the caller can say which
    /// file is wrong and what to do.
    public func load(_ name: String) throws(StateError) -> SavedState? {
        let path = statePath(for: name)
        let bytes: [UInt8]?
        do {
            bytes = try SafeDirectory.open(directory).readFile(stateName(name), limit: Self.maximumStateSize)
        } catch {
            if error.isMissingFile { return nil }
            throw StateError(path: path, problem: error.description)
        }
        guard let bytes else { return nil }
        guard let state = SavedState(parsing: String(decoding: bytes, as: UTF8.self)) else {
            throw StateError(path: path, problem: "it is not an elfstatsd state file")
        }
        return state
    }

    /// Step 1: the position a report is about to count up to.
    public func writePending(_ state: SavedState, for name: String) throws(SystemError) {
        try SafeDirectory.open(directory).replace(pendingName(name), with: Array(state.rendered().utf8), mode: 0o644)
    }

    /// Step 3: the report is written; its position becomes the state.
    public func commitPending(for name: String) throws(SystemError) {
        let folder = try SafeDirectory.open(directory)
        try folder.rename(pendingName(name), over: stateName(name))
        folder.sync()
    }

    /// Drops a pending state whose report was not written.
    public func discardPending(for name: String) {
        (try? SafeDirectory.open(directory))?.remove(pendingName(name))
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
    /// A pending name that is not a plain file of ours is left alone here: writing the next
    /// pending state refuses it, with a message that names it.
    public func recoverPending(for name: String, reportPath: String) -> Recovery {
        let pending = pendingName(name)
        guard let folder = try? SafeDirectory.open(directory),
              let bytes = try? folder.readFile(pending, limit: Self.maximumStateSize) else { return .nothingPending }
        guard let state = SavedState(parsing: String(decoding: bytes, as: UTF8.self)), let expected = state.reportHash else {
            folder.remove(pending)
            return .discarded(round: 0)
        }
        let report = try? SafeDirectory.open(Directories.parent(of: reportPath))
            .readFile(Directories.name(of: reportPath), limit: Self.maximumReportSize)
        if let report, ReportHash.of(bytes: report) == expected,
           (try? folder.rename(pending, over: stateName(name))) != nil {
            folder.sync()
            return .adopted(round: state.round)
        }
        folder.remove(pending)
        return .discarded(round: state.round)
    }

    /// A state file is a few hundred bytes; anything near this was not written by elfstatsd.
    static let maximumStateSize = 64 << 10
    /// Reports grow with max_methods (about 400 bytes per method); this is far above any.
    static let maximumReportSize = 256 << 20
}

/// A state file that cannot be used.
public struct StateError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var problem: String

    public var description: String {
        "cannot use the saved position in \(path): \(problem); remove the file to start this log over from the last interval"
    }
}
