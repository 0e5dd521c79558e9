/// A deliberate `kill -9` of the process at one step of saving a round, for the tests that show
/// a crash there neither loses nor doubles records. Chosen with the environment variable
/// `ELFSTATSD_CRASH_AT` (`after-pending` or `after-report`); without it, nothing happens.
/// A test needs this because a real kill lands in these microsecond windows only by chance.
import ElfstatsCore

public enum CrashPoint: String, Sendable {
    /// The pending state is written, the report not yet.
    case afterPending = "after-pending"
    /// The report is written (and logged), the state not yet.
    case afterReport = "after-report"

    static let chosen: CrashPoint? = getenv("ELFSTATSD_CRASH_AT").flatMap { CrashPoint(rawValue: String(cString: $0)) }

    /// Kills the process with SIGKILL when this is the chosen point.
    func reached() {
        if Self.chosen == self { kill(getpid(), SIGKILL) }
    }
}
