import Testing
import ElfstatsCore
@testable import ElfstatsMunin

/// The whole `config` and `fetch` output (and stderr) of every plugin for each kind of report,
/// compared with reviewed files in Fixtures/golden/. The plugins run as `elfstatsm_<kind>_web`,
/// the data file `web` of the test configuration, whose report is the case's fixture.
struct GoldenOutputTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        /// The fixture that is the report of `web`; nil: there is no report file.
        var report: String?
        /// Seconds between the report's modification and now.
        var age: Int64 = 30

        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "groups", report: "groups.report"),
        Case(name: "nodata", report: "nodata.report"),
        Case(name: "python", report: "python.report"),
        Case(name: "stale", report: "groups.report", age: 601),
        Case(name: "damaged", report: "damaged.report"),
        Case(name: "missing", report: nil),
    ]

    @Test("config and fetch output of all six plugins", arguments: cases)
    func goldenOutput(_ testCase: Case) {
        var reports: [String: String] = [:]
        if let report = testCase.report { reports["/var/lib/elfstatsd/web.data"] = readFixture(report) }
        let host = makeHost(now: reportTime + testCase.age, reports: reports)
        for kind in PluginKind.allCases {
            let link = "/etc/munin/plugins/elfstatsm_\(kind.rawValue)_web"
            let config = run(link, "config", host)
            let fetch = run(link, "fetch", host)
            #expect(config.exitStatus == 0 && fetch.exitStatus == 0)
            let text = "### config\n" + config.standardOutput + "### fetch\n" + fetch.standardOutput
                + "### stderr of fetch\n" + fetch.standardError
            let golden = "golden/\(testCase.name)/\(kind.rawValue).txt"
            if Environment.updateGolden {
                writeFixture(golden, text)
                continue
            }
            let expected = readFixture(golden)
            #expect(text == expected, "\(golden) differs; ELFSTATSM_UPDATE_GOLDEN=1 rewrites it")
            checkMuninRules(config.standardOutput, fetch.standardOutput, in: golden)
        }
    }

    /// What Munin itself insists on, checked on every output: valid names, fields known to
    /// `config` are exactly those of `fetch` in the same order, numbers or `U` as values.
    func checkMuninRules(_ config: String, _ fetch: String, in golden: String) {
        func outline(_ text: String, values: Bool) -> [String] {
            text.split(separator: "\n").compactMap { line -> String? in
                if line.hasPrefix("multigraph ") { return String(line) }
                if values, let dot = line.firstIndex(of: "."), line[dot...].hasPrefix(".value ") { return String(line[..<dot]) }
                if !values, let dot = line.firstIndex(of: "."), line[dot...].hasPrefix(".label ") { return String(line[..<dot]) }
                return nil
            }
        }
        #expect(outline(config, values: false) == outline(fetch, values: true), "\(golden): config and fetch disagree")
        var graphIDs: Set<String> = []
        var fieldsOfGraph: Set<String> = []
        for line in fetch.split(separator: "\n") {
            if line.hasPrefix("multigraph ") {
                let id = String(line.dropFirst("multigraph ".count))
                #expect(isMuninName(id), "\(golden): graph id \(id)")
                #expect(graphIDs.insert(id).inserted, "\(golden): graph \(id) twice")
                fieldsOfGraph = []
                continue
            }
            let parts = line.split(separator: " ")
            #expect(parts.count == 2, "\(golden): \(line)")
            let field = String(parts[0].dropLast(".value".count))
            #expect(isMuninName(field), "\(golden): field \(field)")
            #expect(fieldsOfGraph.insert(field).inserted, "\(golden): field \(field) twice")
            let value = String(parts.last!)
            #expect(value == "U" || Double(value) != nil, "\(golden): value \(value)")
        }
    }
}

func isMuninName(_ name: String) -> Bool {
    guard let first = name.unicodeScalars.first, !(first >= "0" && first <= "9") else { return false }
    return name.unicodeScalars.allSatisfy { ($0 >= "a" && $0 <= "z") || ($0 >= "A" && $0 <= "Z") || ($0 >= "0" && $0 <= "9") || $0 == "_" }
}

enum Environment {
    static var updateGolden: Bool {
        if let value = getenv("ELFSTATSM_UPDATE_GOLDEN") { return String(cString: value) == "1" }
        return false
    }
}

