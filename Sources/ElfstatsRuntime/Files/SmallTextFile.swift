/// Reads a small text file whole (at most 1 MB), or nil when it cannot be read. For /proc and
/// other files no other user can plant; see `SafeDirectory.readFile` for the rest.
import ElfstatsCore

public func readSmallTextFile(_ path: String) -> String? {
    guard let bytes = try? FileIO.readFile(path, limit: 1 << 20) else { return nil }
    return String(decoding: bytes, as: UTF8.self)
}
