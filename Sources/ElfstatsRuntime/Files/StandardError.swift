/// Writes text to file descriptor 2 directly (no shared `FILE*`, so it is safe anywhere,
/// also between `fork` and the daemon's start).
import ElfstatsCore

public func writeToStandardError(_ text: String) {
    var bytes = Array(text.utf8)
    if bytes.last != 0x0A { bytes.append(0x0A) }
    bytes.withUnsafeBytes { buffer in
        var done = 0
        while done < buffer.count {
            let result = write(2, buffer.baseAddress! + done, buffer.count - done)
            if result < 0 && errno == EINTR { continue }
            if result <= 0 { return }
            done += result
        }
    }
}
