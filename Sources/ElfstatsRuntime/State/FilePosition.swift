/// Where reading of one log stopped: which file (path and identity), the offset of the first
/// byte not yet counted, and a fingerprint of the bytes before it.
public struct FilePosition: Sendable, Equatable {
    /// The path the file had when it was opened (templated names resolve to a different path
    /// each hour; this is the one that was resolved).
    public var path: String
    public var identity: FileIdentity
    public var offset: Int64
    public var fingerprint: LineFingerprint

    public init(path: String, identity: FileIdentity, offset: Int64, fingerprint: LineFingerprint) {
        self.path = path
        self.identity = identity
        self.offset = offset
        self.fingerprint = fingerprint
    }
}
