// Shared by the libFuzzer targets in this folder (built by scripts/fuzz, not by SwiftPM).
import ElfstatsCore

/// Stops the run like a crash when a property of the code under test does not hold, so that
/// libFuzzer saves the input that broke it (a `crash-*` file) and names the broken property.
func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    guard !condition() else { return }
    let text = "fuzz check failed: \(message())\n"
    _ = text.withCString { write(2, $0, strlen($0)) }
    abort()
}

/// The number of lines `LogAnalyzer.consume(_:final: true)` takes `bytes` to hold: one per
/// newline, plus an unterminated last line.
func lineCount(_ bytes: UnsafeRawBufferPointer) -> Int {
    var lines = 0
    for byte in bytes where byte == 0x0A { lines += 1 }
    if let last = bytes.last, last != 0x0A { lines += 1 }
    return lines
}
