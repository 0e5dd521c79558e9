// libFuzzer target: the bytes of an access log, as strangers write them, through the hot path.
//
// Input: byte 0 picks one of `formats`, byte 1 where to cut the log into two chunks, the rest is
// the log. Properties, beyond "no crash" (address sanitizer, Swift's own checks):
//   - every line is counted exactly once: records total = lines, all bytes consumed;
//   - reading the log in two chunks, the first one cut anywhere and not final (as the daemon
//     reads a growing file), gives the very same report as reading it in one go;
//   - the report reads back (ReportDocument) without a malformed line, to the same text;
//   - the record time of every line, and `explain` of the first, are answered without a crash.
@testable import ElfstatsCore

/// Apache's, Tomcat's and nginx's formats, so the fuzzer reaches every kind of splitter step.
private let formats = [
    #"%h %l %u %t "%r" %>s %B "%{Referer}i" "%{User-Agent}i" %{JK_LB_FIRST_NAME}n %{JK_LB_LAST_NAME}n %{JK_LB_LAST_STATE}n %I %O %D"#,
    #"%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i" %D"#,
    #"$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" $request_time"#,
    #"%a %t "%m %U %H" %s %{ms}T %{X-Forwarded-For}i"#,
    #"$time_iso8601 $status $request_uri $upstream_response_time"#,
    #"$remote_addr $time_local "$request" $status $request_time"#,
    #"%h %l %u %t "%r" %>s %b %T"#,
]

/// The sample configuration's rules: valid, skipped and aggregated requests, and a pattern.
private func configuration(format: String) -> String {
    """
    log_format = '\(format)'
    valid_requests = [
      '^/content/(?P<group>[\\w.-]+)/(?P<method>[\\w.-]+)',
      '^/content/(?P<method>[\\w.-]+)',
      '^/(?P<group>user)/\\d+/(?P<method>\\w+)',
      '^/(?P<group>opt)/(?P<method>x)?',
    ]
    requests_to_skip = ['^/static/', '^/$']
    max_methods = 20
    [[requests_aggregation]]
    group = 'search'
    method = 'all'
    regex = '^/content/search/'
    [[patterns_to_extract]]
    name = 'uid'
    patterns = ['^/user/(?P<pattern>\\d+)/', 'uid=(?P<pattern>[^&]*)']
    [[data_files]]
    name = 'fuzz'
    log = 'access_log'
    report = 'fuzz.data'
    """
}

private let configurations: [Configuration] = formats.map { format in
    do {
        return try ConfigurationLoader.parse(text: configuration(format: format), path: "fuzz.conf")
    } catch {
        fatalError("the fuzz configuration does not load: \(error)")
    }
}

private func analyzer(_ choice: Int) -> LogAnalyzer {
    do {
        return try LogAnalyzer(configuration: configurations[choice], dataFile: configurations[choice].dataFiles[0])
    } catch {
        fatalError("the fuzz analyzer cannot be built: \(error)")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func lineAnalysisTarget(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 2 else { return 0 }
    let choice = Int(data[0]) % formats.count
    let log = UnsafeRawBufferPointer(start: data + 2, count: size - 2)
    let lines = lineCount(log)
    let round = RoundMetadata(invoked: 1_375_952_400, worked: 0)

    let whole = analyzer(choice)
    let consumed = whole.consume(log, final: true)
    require(consumed == log.count, "one final chunk of \(log.count) bytes: consumed \(consumed)")
    require(whole.records.total == lines, "\(lines) lines, but \(whole.records.total) records")

    let cut = log.count * Int(data[1]) / 255
    var lastNewline = cut - 1
    while lastNewline >= 0, log[lastNewline] != 0x0A { lastNewline -= 1 }
    let pieces = analyzer(choice)
    let first = pieces.consume(UnsafeRawBufferPointer(rebasing: log[0..<cut]), final: false)
    require(first == lastNewline + 1, "a chunk of \(cut) bytes whose last line ends at \(lastNewline + 1): consumed \(first)")
    let second = pieces.consume(UnsafeRawBufferPointer(rebasing: log[first...]), final: true)
    require(first + second == log.count, "two chunks: consumed \(first) + \(second) of \(log.count) bytes")

    let report = whole.finishRound(round).rendered()
    let chunked = pieces.finishRound(round).rendered()
    require(report == chunked, "the report read in chunks cut at \(cut) differs:\n\(report)\n---\n\(chunked)")
    let reread = ReportDocument(parsing: report)
    require(reread.malformedLineCount == 0 && reread.rendered() == report, "the report does not read back:\n\(report)")

    var start = 0
    while start < log.count {
        var end = start
        while end < log.count, log[end] != 0x0A { end += 1 }
        _ = whole.recordTime(ofLine: UnsafeRawBufferPointer(rebasing: log[start..<end]))
        start = end + 1
    }
    if lines > 0 {
        let firstLine = log.prefix { $0 != 0x0A }
        _ = whole.explain(String(decoding: firstLine, as: UTF8.self), configuration: configurations[choice])
    }
    return 0
}
