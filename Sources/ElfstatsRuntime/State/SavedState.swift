/// What is kept about one data file between rounds and across restarts: where reading stopped
/// and the round that position belongs to. Stored as `key = value` text, so that a sysadmin can
/// read it and, if need be, delete it.
public struct SavedState: Sendable, Equatable {
    /// The round start (epoch seconds) of the report that counted everything before `position`.
    public var round: Int64
    /// Nil when the log did not exist yet.
    public var position: FilePosition?
    /// A file rotated away that is still read in case old server processes write to it.
    public var retired: FilePosition?
    /// In a pending state only: the hash of the report it goes with (see `StateStore`).
    public var reportHash: UInt64?

    public init(round: Int64, position: FilePosition?, retired: FilePosition? = nil, reportHash: UInt64? = nil) {
        self.round = round
        self.position = position
        self.retired = retired
        self.reportHash = reportHash
    }

    public func rendered() -> String {
        var text = "# elfstatsd: where reading of this log stopped. Delete to start over.\n"
        text += "version = 1\nround = \(round)\n"
        for (prefix, position) in [("", position), ("retired_", retired)] {
            guard let position else { continue }
            text += "\(prefix)path = \(position.path)\n"
            text += "\(prefix)device = \(position.identity.device)\n\(prefix)inode = \(position.identity.inode)\n"
            text += "\(prefix)offset = \(position.offset)\n\(prefix)fingerprint = \(position.fingerprint)\n"
        }
        if let reportHash { text += "report_hash = \(String(reportHash, radix: 16))\n" }
        return text
    }

    /// Reads state text; nil when it is not state elfstatsd wrote.
    public init?(parsing text: String) {
        var text = text
        guard let values = text.withUTF8({ Self.entries(of: $0) }) else { return nil }
        /// The last value given for `key`, as a later line overrides an earlier one.
        func value(_ key: String) -> Substring? {
            values.last(where: { $0.key == key }).map { Substring($0.value) }
        }
        guard value("version") == "1", let round = value("round").flatMap({ Int64($0) }) else { return nil }
        self.round = round
        func position(_ prefix: String) -> FilePosition?? {
            guard let path = value(prefix + "path") else { return .some(nil) }
            guard let device = value(prefix + "device").flatMap({ UInt64($0) }),
                  let inode = value(prefix + "inode").flatMap({ UInt64($0) }),
                  let offset = value(prefix + "offset").flatMap({ Int64($0) }), offset >= 0,
                  let fingerprint = value(prefix + "fingerprint").flatMap({ LineFingerprint($0) }) else { return nil }
            return FilePosition(path: String(path), identity: FileIdentity(device: device, inode: inode),
                                offset: offset, fingerprint: fingerprint)
        }
        guard let current = position(""), let retired = position("retired_") else { return nil }
        self.position = current
        self.retired = retired
        if let hash = value("report_hash") {
            guard let value = UInt64(hash, radix: 16) else { return nil }
            reportHash = value
        } else {
            reportHash = nil
        }
    }

    /// The `key = value` lines of state text, in order, keys and values without surrounding
    /// spaces and tabs (and a line's trailing CR); nil when a line that is neither blank nor a
    /// `#` comment has no `=`.
    ///
    /// On the UTF-8 bytes, as the file is: split by Character, a CR LF was one Character, not a
    /// line break, and a space or '=' followed by a combining mark was not a space or '='. Kept
    /// in an array rather than a Dictionary: a state has a dozen lines, and the run's first
    /// Dictionary<Substring, Substring> cost 0.22 million instructions of run-time type
    /// instantiation, the Character-level splitting another 0.17 million (callgrind, `once`
    /// with a saved state and no new lines).
    private static func entries(of bytes: UnsafeBufferPointer<UInt8>) -> [(key: String, value: String)]? {
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
        func text(_ start: Int, _ end: Int) -> String {
            var start = start, end = end
            while start < end, isSpace(bytes[start]) { start += 1 }
            while end > start, isSpace(bytes[end - 1]) || bytes[end - 1] == 0x0D { end -= 1 }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        }
        var entries: [(key: String, value: String)] = []
        var lineStart = 0
        while lineStart < bytes.count {
            var lineEnd = lineStart
            while lineEnd < bytes.count, bytes[lineEnd] != 0x0A { lineEnd += 1 }
            defer { lineStart = lineEnd + 1 }
            if lineEnd == lineStart || bytes[lineStart] == UInt8(ascii: "#") { continue }
            guard let equals = (lineStart..<lineEnd).first(where: { bytes[$0] == UInt8(ascii: "=") }) else { return nil }
            entries.append((key: text(lineStart, equals), value: text(equals + 1, lineEnd)))
        }
        return entries
    }
}

extension Substring {
    /// Without leading and trailing spaces.
    func trimmingCharacters() -> Substring {
        var result = self
        while result.first == " " || result.first == "\t" { result = result.dropFirst() }
        while result.last == " " || result.last == "\t" || result.last == "\r" { result = result.dropLast() }
        return result
    }
}
