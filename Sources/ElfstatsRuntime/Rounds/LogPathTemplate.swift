/// The `log` setting of a data file: a path that may hold strftime specifiers
/// (`/var/log/httpd/access_log-%Y-%m-%d-%H`, as Apache's rotatelogs names files) and may end in
/// URL-style parameters: `?ts=-3600` shifts the time used to resolve the name and the round
/// boundaries by that many seconds; `&ts-name-only=true` shifts the name only.
import ElfstatsCore

public struct LogPathTemplate: Sendable, Equatable {
    /// The path with its specifiers, without the parameters.
    public var pattern: String
    /// Seconds added to a round start before resolving the name.
    public var shift: Int64
    /// True when the shift applies to the name only, not to the round boundaries.
    public var shiftsNameOnly: Bool

    public init(_ text: String) {
        pattern = text
        shift = 0
        shiftsNameOnly = false
        guard let question = text.lastIndex(of: "?") else { return }
        let query = text[text.index(after: question)...]
        var parameters: [(String, String)] = []
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            parameters.append((String(parts[0]), parts.count > 1 ? String(parts[1]) : ""))
        }
        // Only a query made of our parameters is one; a '?' may be part of a file name.
        guard !parameters.isEmpty, parameters.allSatisfy({ $0.0 == "ts" || $0.0 == "ts-name-only" }) else { return }
        pattern = String(text[..<question])
        for (key, value) in parameters {
            if key == "ts" { shift = Int64(value) ?? 0 }
            if key == "ts-name-only" { shiftsNameOnly = ["true", "1", "yes", "on"].contains(value.lowercased()) }
        }
    }

    /// True when the name changes with time.
    public var isTemplated: Bool { pattern.contains("%") }

    /// The path for the round that starts at `roundStart`, in local time.
    public func path(at roundStart: Int64) -> String {
        guard isTemplated else { return pattern }
        var seconds = time_t(roundStart + shift)
        var parts = tm()
        localtime_r(&seconds, &parts)
        var output = [CChar](repeating: 0, count: 4096)
        let length = strftime(&output, output.count, pattern, &parts)
        guard length > 0 else { return pattern }
        return String(decoding: output[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The cutoff for records of the round that starts at `roundStart`: the round start itself,
    /// shifted too unless the shift is for the name only.
    public func cutoff(at roundStart: Int64) -> Int64 {
        shiftsNameOnly ? roundStart : roundStart + shift
    }
}
