/// Writes text to file descriptor 2 directly (no shared `FILE*`, so it is safe anywhere,
/// also between `fork` and the daemon's start). A newline is added when missing.
import ElfstatsCore

public func writeToStandardError(_ text: String) {
    try? FileIO.writeAll(text.hasSuffix("\n") ? text : text + "\n", to: 2, path: "standard error")
}
