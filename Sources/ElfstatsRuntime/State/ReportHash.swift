/// Identifies a report's exact text, to tell whether the report on disk is the one a pending
/// state was written for.
public enum ReportHash {
    public static func of(_ text: String) -> UInt64 {
        LineFingerprint.fnv1a(text.utf8)
    }
}
