import Testing
import ElfstatsCore
@testable import ElfstatsMunin

/// Every line of every plugin's `config` and `fetch` output follows Munin's line grammar, on
/// reports made from hostile logs (`scripts/genlog --hostile`) and on a report written by hand
/// with every separator and control character in its names and values.
///
/// The grammar (Munin's plugin protocol, munin-node and Munin::Master::Node):
/// - `multigraph NAME`, NAME of letters, digits, `_` and `.`, not starting with a digit;
/// - `graph_ATTRIBUTE VALUE` or `FIELD.ATTRIBUTE VALUE`, FIELD of letters, digits and `_`, not
///   starting with a digit, ATTRIBUTE of lower-case letters and `_`;
/// - in `fetch`, and for `FIELD.value` lines, VALUE is `U` or a decimal number;
/// - no line is empty, and no line holds a control character (a CR or NUL would end or split
///   the line for Munin's Perl; tab would be taken as a separator) or a backslash (rrdtool
///   reads `\l`, `\n`... in a legend as layout commands).
@Suite("Munin line grammar on hostile reports")
struct MuninLineGrammarTests {
    static func isName(_ text: Substring, dots: Bool) -> Bool {
        guard let first = text.unicodeScalars.first, !(first >= "0" && first <= "9") else { return false }
        return text.unicodeScalars.allSatisfy {
            ($0 >= "a" && $0 <= "z") || ($0 >= "A" && $0 <= "Z") || ($0 >= "0" && $0 <= "9") || $0 == "_" || (dots && $0 == ".")
        }
    }

    static func isValue(_ text: Substring) -> Bool {
        text == "U" || MuninValue.isNumber(String(text))
    }

    /// Why `line` breaks the grammar, or nil.
    static func violation(_ line: Substring, fetch: Bool) -> String? {
        if line.isEmpty { return "empty line" }
        if line.unicodeScalars.contains(where: { $0.value < 0x20 || ($0.value >= 0x7F && $0.value <= 0x9F) || $0 == "\u{2028}" || $0 == "\u{2029}" }) {
            return "control character"
        }
        if line.contains("\\") { return "backslash" }
        guard let space = line.firstIndex(of: " ") else { return "no value" }
        let key = line[..<space], value = line[line.index(after: space)...]
        if value.isEmpty { return "empty value" }
        if key == "multigraph" { return isName(value, dots: true) ? nil : "bad multigraph name" }
        if key.hasPrefix("graph_") {
            return !fetch && isName(key, dots: false) ? nil : "graph attribute in fetch or bad name"
        }
        guard let dot = key.firstIndex(of: ".") else { return "no FIELD.ATTRIBUTE" }
        let field = key[..<dot], attribute = key[key.index(after: dot)...]
        guard isName(field, dots: false) else { return "bad field name" }
        guard !attribute.isEmpty, attribute.unicodeScalars.allSatisfy({ ($0 >= "a" && $0 <= "z") || $0 == "_" }) else { return "bad attribute" }
        if fetch && attribute != "value" { return "fetch line that is not a value" }
        if attribute == "value" && !isValue(value) { return "value that is neither U nor a number" }
        return nil
    }

    /// Runs config and fetch of all six plugins on `report` and checks every line.
    func checkEveryLine(ofPluginsOn report: String) {
        let host = makeHost(reports: ["/var/lib/elfstatsd/web.data": report])
        for kind in PluginKind.allCases {
            let link = "/etc/munin/plugins/elfstatsm_\(kind.rawValue)_web"
            for command in ["config", "fetch"] {
                let output = run(link, command, host)
                #expect(output.exitStatus == 0)
                #expect(output.standardOutput.hasSuffix("\n"))
                // Munin splits on LF only; Swift would keep CR LF together as one Character.
                let lines = output.standardOutput.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast()
                #expect(!lines.isEmpty)
                for bytes in lines {
                    let line = Substring(decoding: bytes, as: UTF8.self)
                    if let problem = Self.violation(line, fetch: command == "fetch") {
                        Issue.record("\(kind.rawValue) \(command): \(problem): \(line.debugDescription)")
                    }
                }
            }
        }
    }

    func generatedLog(_ arguments: String) -> [UInt8] {
        let script = String(#filePath.dropLast("Tests/ElfstatsMuninTests/MuninLineGrammarTests.swift".count)) + "scripts/genlog"
        guard let pipe = popen("python3 '\(script)' \(arguments)", "r") else { return [] }
        let bytes = readAll(pipe)
        #expect(pclose(pipe) == 0)
        return bytes
    }

    @Test func reportsOfHostileLogs() throws {
        var configuration = Configuration(path: "/etc/elfstatsd/elfstatsd.conf")
        configuration.validRequests = [#"^/content/(?P<group>[^/]+)/(?P<method>[^/?]+)"#, #"^/(?P<group>user)/[^/]+/(?P<method>.+)"#,
                                       #"^/x/(?P<method>(a+)+)$"#]
        configuration.requestsToSkip = ["^/x/"]
        configuration.patternsToExtract = [PatternRule(name: "uid", patterns: [#"^/user/(?P<pattern>[^/]+)/"#])]
        configuration.maxPatternValues = 50
        configuration.maxMethods = 40
        let dataFile = DataFileConfiguration(name: "web", log: "/var/log/httpd/access_log", report: "/var/lib/elfstatsd/web.data",
                                             logFormat: Configuration.defaultLogFormat)
        configuration.dataFiles = [dataFile]
        let analyzer = try LogAnalyzer(configuration: configuration, dataFile: dataFile)
        let log = generatedLog("--hostile bytes --lines 320") + generatedLog("--hostile methods --lines 200")
            + generatedLog("--hostile backtrack --lines 20")
        #expect(log.withUnsafeBytes { analyzer.consume($0, final: true) } == log.count)
        let report = analyzer.finishRound(RoundMetadata(invoked: reportTime, worked: 0.1)).rendered()
        #expect(report.contains("uid.distinct_estimated = 1"))
        #expect(report.contains("[method_g_ab?cd]"))
        checkEveryLine(ofPluginsOn: report)
    }

    @Test func aReportWrittenByHandWithEverySeparatorInItsNames() {
        let nasty = ["a\tb", "a\u{0}b", "a\u{1b}[31mb", "a]b", "a=b", "a\\lb", "a\u{2028}b", "a\u{85}b", "1st", "", "a b;c", "ü"]
        var report = "[metadata]\ndaemon_invoked = 2025-11-25 09:00:00\n\n[records]\nerror = 1\nparsed = 2\n\n[response_codes]\nrc200 = 2\n"
        for (index, name) in nasty.enumerated() {
            report += "\n[method_g\(index)_\(name)]\ngroup = g\(name)\nmethod = \(name)x\ncalls = \(index)\np50 = 12\np9\(index) = 3\nrc200 = 1\n"
        }
        report += "\n[patterns]\nu\tid.total = 5\nu\tid.distinct = 4\nu\tid.distinct_estimated = 1\n"
        checkEveryLine(ofPluginsOn: report)
    }

    @Test func theGrammarCheckCatchesWhatItShould() {
        #expect(Self.violation("a.label x\ty", fetch: false) == "control character")
        #expect(Self.violation("a.label x\\ly", fetch: false) == "backslash")
        #expect(Self.violation("1a.value 3", fetch: true) == "bad field name")
        #expect(Self.violation("a.value 3x", fetch: true) == "value that is neither U nor a number")
        #expect(Self.violation("graph_title t", fetch: true) != nil)
        #expect(Self.violation("multigraph elfstats_a.b", fetch: true) == nil)
        #expect(Self.violation("a.label ok [x] = y", fetch: false) == nil)
    }

    @Test func anEstimatedDistinctCountIsLabelledSo() {
        let report = "[metadata]\ndaemon_invoked = 2025-11-25 09:00:00\n\n[patterns]\nuid.total = 500000\nuid.distinct = 303112\nuid.distinct_estimated = 1\nlang.total = 3\nlang.distinct = 2\n"
        let host = makeHost(reports: ["/var/lib/elfstatsd/web.data": report])
        let config = run("/etc/munin/plugins/elfstatsm_patterns_web", "config", host).standardOutput
        #expect(config.contains("distinct.label distinct (estimated)\n"))
        #expect(config.split(separator: "\n").filter { $0 == "distinct.label distinct" }.count == 1)   // lang: exact
        let fetch = run("/etc/munin/plugins/elfstatsm_patterns_web", "fetch", host).standardOutput
        #expect(fetch.contains("distinct.value 303112\n"))
    }
}
