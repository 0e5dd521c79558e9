/// Identifies a report's exact text, to tell whether the report on disk is the one a pending
/// state was written for.
public enum ReportHash {
    public static func of(_ text: String) -> UInt64 {
        var text = text
        return text.withUTF8 { LineFingerprint.fnv1a(UnsafeRawBufferPointer($0)) }
    }

    /// The hash of a report read back from disk: the same as `of` on the text that was written,
    /// without first decoding the bytes into a String.
    public static func of(bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBytes { LineFingerprint.fnv1a($0) }
    }
}
