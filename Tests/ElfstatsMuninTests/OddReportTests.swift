import Testing
import ElfstatsCore
@testable import ElfstatsMunin

/// Reports the daemon would not write, as the Munin fuzz target (Tests/Fuzz/MuninTarget.swift)
/// found them: the plugins must still print lines Munin takes, each field once per graph.
struct OddReportTests {
    let path = "/var/lib/elfstatsd/web.data"

    func output(_ plugin: String, _ command: String, report: String) -> String {
        run(plugin, command, makeHost(reports: [path: report])).standardOutput
    }

    /// The field names of every `.label` (config) or `.value` (fetch) line, per graph.
    func fieldsPerGraph(_ text: String, attribute: String) -> [[Substring]] {
        var graphs: [[Substring]] = []
        for line in text.split(separator: "\n") {
            if line.hasPrefix("multigraph ") { graphs.append([]); continue }
            let key = line.prefix { $0 != " " }
            if key.hasSuffix("." + attribute), !graphs.isEmpty { graphs[graphs.count - 1].append(key.dropLast(attribute.count + 1)) }
        }
        return graphs
    }

    @Test func aRepeatedSectionMethodOrKeyCountsOnceWithItsFirstValue() {
        let report = """
            [metadata]
            daemon_invoked = 2025-11-25 08:00:00
            [records]
            total = 3
            total = 4
            [response_codes]
            rc200 = 1
            rc200 = 2
            [method_a_b]
            group = a
            method = b
            calls = 1
            p50 = 5
            p50 = 6
            [method_a_b]
            calls = 2
            [method_other]
            group = a
            method = b
            calls = 3

            """
        for plugin in ["elfstatsm_calls_web", "elfstatsm_total_records_web", "elfstatsm_response_codes_web", "elfstatsm_percentiles_web"] {
            for (command, attribute) in [("config", "label"), ("fetch", "value")] {
                for fields in fieldsPerGraph(output(plugin, command, report: report), attribute: attribute) {
                    #expect(Set(fields).count == fields.count, "\(plugin) \(command): \(fields)")
                }
            }
        }
        #expect(output("elfstatsm_calls_web", "fetch", report: report).contains("b.value 1\n"))
        #expect(output("elfstatsm_percentiles_web", "fetch", report: report).contains("p50.value 5\n"))
    }

    @Test func controlCharactersAndCRLFNeverReachALabel() {
        let report = "[metadata]\ndaemon_invoked = 2025-11-25 08:00:00\n[method_a_b]\ngroup = a\u{1B}[31m\nmethod = b\r\nc\ncalls = 1\n"
        let config = output("elfstatsm_calls_web", "config", report: report)
        #expect(!config.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n") || $0.value == 0x7F })
        #expect(config.split(separator: "\n").allSatisfy { $0.hasPrefix("multigraph ") || $0.hasPrefix("graph_") || $0.contains(".") })
    }

    @Test func responseCodesAndValuesAreASCIIDigits() {
        let report = "[metadata]\ndaemon_invoked = 2025-11-25 08:00:00\n[response_codes]\nrc\u{663}00 = 5\nrc201 = 4\u{301}\n"
        let codes = output("elfstatsm_response_codes_web", "fetch", report: report)
        #expect(!codes.contains("\u{663}"))
        #expect(codes.contains("rc201.value U\n"))
        #expect(MuninValue.isNumber("12.5") && !MuninValue.isNumber("4\u{301}"))
    }
}
