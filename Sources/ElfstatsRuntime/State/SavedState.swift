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
        var values: [Substring: Substring] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let equals = line.firstIndex(of: "=") else { return nil }
            let key = line[..<equals].trimmingCharacters()
            let value = line[line.index(after: equals)...].trimmingCharacters()
            values[key] = value
        }
        guard values["version"] == "1", let round = values["round"].flatMap({ Int64($0) }) else { return nil }
        self.round = round
        func position(_ prefix: Substring) -> FilePosition?? {
            guard let path = values[prefix + "path"] else { return .some(nil) }
            guard let device = values[prefix + "device"].flatMap({ UInt64($0) }),
                  let inode = values[prefix + "inode"].flatMap({ UInt64($0) }),
                  let offset = values[prefix + "offset"].flatMap({ Int64($0) }), offset >= 0,
                  let fingerprint = values[prefix + "fingerprint"].flatMap({ LineFingerprint($0) }) else { return nil }
            return FilePosition(path: String(path), identity: FileIdentity(device: device, inode: inode),
                                offset: offset, fingerprint: fingerprint)
        }
        guard let current = position(""), let retired = position("retired_") else { return nil }
        self.position = current
        self.retired = retired
        if let hash = values["report_hash"] {
            guard let value = UInt64(hash, radix: 16) else { return nil }
            reportHash = value
        } else {
            reportHash = nil
        }
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
