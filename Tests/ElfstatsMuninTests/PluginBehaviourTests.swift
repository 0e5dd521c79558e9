import Testing
import ElfstatsCore
@testable import ElfstatsMunin

/// autoconf, suggest and the settings of plugin-conf.d, one behaviour per test.
struct PluginBehaviourTests {
    let webReport = ["/var/lib/elfstatsd/web.data": readFixture("groups.report")]

    // MARK: names the plugin is started under

    @Test func pluginNameGivesKindAndInstance() {
        #expect(PluginName(programName: "/etc/munin/plugins/elfstatsm_calls_apache") == PluginName(kind: .calls, instance: "apache"))
        #expect(PluginName(programName: "elfstatsm_response_times_web2") == PluginName(kind: .responseTimes, instance: "web2"))
        #expect(PluginName(programName: "elfstatsm_response_codes_") == PluginName(kind: .responseCodes, instance: nil))
        #expect(PluginName(programName: "elfstatsm_total_records") == PluginName(kind: .totalRecords, instance: nil))
        #expect(PluginName(programName: "elfstatsm_patterns_a_b") == PluginName(kind: .patterns, instance: "a_b"))
        #expect(PluginName(programName: "elfstatsm") == nil)
        #expect(PluginName(programName: "elfstatsm_callsx") == nil)
        #expect(PluginName(programName: "cpu") == nil)
    }

    // MARK: autoconf

    @Test func autoconfSaysYesWhenAReportExists() {
        let output = run("elfstatsm_calls_", "autoconf", makeHost(reports: webReport))
        #expect(output.standardOutput == "yes\n")
        #expect(output.exitStatus == 0)
    }

    @Test func autoconfSaysNoWithoutDaemonConfiguration() {
        let output = run("elfstatsm_calls_", "autoconf", makeHost(configuration: nil))
        #expect(output.standardOutput.hasPrefix("no (cannot read the elfstatsd configuration: /etc/elfstatsd/elfstatsd.conf: "))
        #expect(output.standardOutput.hasSuffix(")\n"))
        #expect(output.standardOutput.filter { $0 == "\n" }.count == 1)
        #expect(output.exitStatus == 0)
    }

    @Test func autoconfSaysNoWithoutDataFiles() {
        let output = run("elfstatsm_percentiles_", "autoconf", makeHost(configuration: "interval = 300\n"))
        #expect(output.standardOutput == "no (no data files in /etc/elfstatsd/elfstatsd.conf)\n")
        #expect(output.exitStatus == 0)
    }

    @Test func autoconfSaysNoWhenNoReportExists() {
        let output = run("elfstatsm_patterns_", "autoconf", makeHost())
        #expect(output.standardOutput == "no (no report yet: /var/lib/elfstatsd/web.data: No such file or directory; /var/lib/elfstatsd/api.data: No such file or directory)\n")
        #expect(output.exitStatus == 0)
    }

    @Test func autoconfOfAnInstanceLooksAtItsOwnReport() {
        #expect(run("elfstatsm_calls_web", "autoconf", makeHost(reports: webReport)).standardOutput == "yes\n")
        #expect(run("elfstatsm_calls_api", "autoconf", makeHost(reports: webReport)).standardOutput
                == "no (no report yet: /var/lib/elfstatsd/api.data: No such file or directory)\n")
        #expect(run("elfstatsm_calls_nosuch", "autoconf", makeHost(reports: webReport)).standardOutput
                == "no (no data file named 'nosuch' in /etc/elfstatsd/elfstatsd.conf)\n")
    }

    @Test func autoconfWithDumpFileNeedsNoDaemonConfiguration() {
        let host = makeHost(environment: ["dump_file": "/var/lib/elfstatsd/web.data"], configuration: nil, reports: webReport)
        #expect(run("elfstatsm_calls_", "autoconf", host).standardOutput == "yes\n")
    }

    // MARK: suggest

    @Test func suggestListsTheConfiguredDataFiles() {
        let output = run("elfstatsm_calls_", "suggest", makeHost())
        #expect(output.standardOutput == "web\napi\n")
        #expect(output.exitStatus == 0)
    }

    @Test func suggestReadsTheConfigurationNamedInTheEnvironment() {
        let host = makeHost(environment: ["elfstatsd_config": "/srv/elfstatsd.conf"])
        #expect(run("elfstatsm_total_records_", "suggest", host).standardOutput == "web\napi\n")
        let missing = makeHost(environment: ["elfstatsd_config": "/srv/elfstatsd.conf"], configuration: nil)
        let output = run("elfstatsm_total_records_", "suggest", missing)
        #expect(output.standardOutput == "")
        #expect(output.standardError.contains("/srv/elfstatsd.conf"))
        #expect(output.exitStatus == 0)
    }

    // MARK: config and fetch settings

    @Test func dumpFileOverridesTheDaemonsReport() {
        let host = makeHost(environment: ["dump_file": "/tmp/other.data"],
                            reports: ["/tmp/other.data": readFixture("python.report")])
        let fetch = run("elfstatsm_calls_web", "fetch", host).standardOutput
        #expect(fetch.contains("multigraph elfstats_csl_total_calls_web\ncontentupdate.value 120\n"))
    }

    @Test func dirtyConfigCarriesTheValues() {
        let plain = run("elfstatsm_total_records_web", "config", makeHost(reports: webReport)).standardOutput
        #expect(!plain.contains(".value"))
        let dirty = run("elfstatsm_total_records_web", "config",
                        makeHost(environment: ["MUNIN_CAP_DIRTY_CONFIG": "1"], reports: webReport)).standardOutput
        #expect(dirty == plain + "error.value 19\nskipped.value 459\n")
        let munin2 = run("elfstatsm_total_records_web", "config",
                         makeHost(environment: ["MUNIN_CAP_DIRTYCONFIG": "1"], reports: webReport)).standardOutput
        #expect(munin2 == dirty)
    }

    @Test func categoryAndInstanceLabel() {
        let host = makeHost(environment: ["category": "webservers", "instance_label": "Apache front",
                                          "instance_label_format": "prefix"], reports: webReport)
        let config = run("elfstatsm_total_records_web", "config", host).standardOutput
        #expect(config.contains("graph_title Apache front - elfstats - number of log records per status\n"))
        #expect(config.contains("graph_category webservers\n"))
        #expect(config.contains("multigraph elfstats_total_records_web\n"))
        let none = makeHost(environment: ["instance_label_format": "none"], reports: webReport)
        #expect(run("elfstatsm_total_records_web", "config", none).standardOutput
            .contains("graph_title elfstats - number of log records per status\n"))
    }

    @Test func noInstanceWithOneDataFileReadsIt() {
        let one = """
            [[data_files]]
            name = 'web'
            log = '/var/log/httpd/access_log'
            report = '/var/lib/elfstatsd/web.data'
            """
        let fetch = run("elfstatsm_total_records", "fetch", makeHost(configuration: one, reports: webReport)).standardOutput
        #expect(fetch == "multigraph elfstats_total_records\nerror.value 19\nskipped.value 459\n")
    }

    @Test func instanceNameSettingServesUnsuffixedLinks() {
        let host = makeHost(environment: ["instance_name": "web"], reports: webReport)
        #expect(run("elfstatsm_total_records", "fetch", host).standardOutput.hasPrefix("multigraph elfstats_total_records_web\n"))
    }

    @Test func includeAndExcludeGraphs() {
        let include = makeHost(environment: ["include_graphs": "elfstats_route_total_calls, elfstats_user_stalled_calls_web"], reports: webReport)
        let ids = run("elfstatsm_calls_web", "fetch", include).standardOutput.split(separator: "\n").filter { $0.hasPrefix("multigraph") }
        #expect(ids == ["multigraph elfstats_route_total_calls_web", "multigraph elfstats_user_stalled_calls_web"])
        let exclude = makeHost(environment: ["exclude_graphs": "elfstats_route_total_calls"], reports: webReport)
        let rest = run("elfstatsm_calls_web", "config", exclude).standardOutput
        #expect(!rest.contains("multigraph elfstats_route_total_calls_web"))
        #expect(rest.contains("multigraph elfstats_route_stalled_calls_web"))
    }

    @Test func dummyGraphCanBeTurnedOff() {
        let quiet = ["/var/lib/elfstatsd/web.data": readFixture("nodata.report")]
        #expect(run("elfstatsm_calls_web", "config", makeHost(reports: quiet)).standardOutput.contains("elfstats_calls_no_data_web"))
        let off = makeHost(environment: ["show_dummy_graph": "0"], reports: quiet)
        #expect(run("elfstatsm_calls_web", "config", off).standardOutput == "")
        #expect(run("elfstatsm_calls_web", "fetch", off).standardOutput == "")
    }

    @Test func maxAgeSetting() {
        let fresh = makeHost(now: reportTime + 600, reports: webReport)
        #expect(run("elfstatsm_total_records_web", "fetch", fresh).standardOutput.contains("error.value 19"))
        let strict = makeHost(environment: ["max_age": "100"], now: reportTime + 101, reports: webReport)
        #expect(run("elfstatsm_total_records_web", "fetch", strict).standardOutput.contains("error.value U"))
        let never = makeHost(environment: ["max_age": "0"], now: reportTime + 86400, reports: webReport)
        #expect(run("elfstatsm_total_records_web", "fetch", never).standardOutput.contains("error.value 19"))
    }

    @Test func defaultMaxAgeIsTwiceTheDaemonsInterval() {
        let configuration = daemonConfiguration.replacingOccurrences("interval = 300", "interval = 60")
        let young = makeHost(now: reportTime + 120, configuration: configuration, reports: webReport)
        #expect(run("elfstatsm_total_records_web", "fetch", young).standardOutput.contains("error.value 19"))
        let old = makeHost(now: reportTime + 121, configuration: configuration, reports: webReport)
        let output = run("elfstatsm_total_records_web", "fetch", old)
        #expect(output.standardOutput.contains("error.value U"))
        #expect(output.standardError.contains("121 s old (more than 120 s)"))
        #expect(run("elfstatsm_total_records_web", "config", old).standardOutput.contains("graph_vlabel records per 1 min\n"))
    }

    @Test func badSettingsAreReportedAndIgnored() {
        let host = makeHost(environment: ["max_age": "soon", "show_dummy_graph": "maybe"], now: reportTime + 599, reports: webReport)
        let output = run("elfstatsm_total_records_web", "fetch", host)
        #expect(output.standardOutput.contains("error.value 19"))
        #expect(output.standardError.contains("env.max_age: 'soon'"))
        #expect(output.standardError.contains("env.show_dummy_graph: 'maybe'"))
    }

    @Test func importantCodesGetGraphsOfTheirOwn() {
        let host = makeHost(environment: ["important_codes": "404, 418"], reports: webReport)
        let fetch = run("elfstatsm_response_codes_web", "fetch", host).standardOutput
        #expect(fetch.hasPrefix("multigraph elfstats_response_code_404_web\nrc404.value 2\nmultigraph elfstats_response_code_418_web\nrc418.value 0\n"))
        #expect(fetch.contains("multigraph elfstats_response_codes_4XX_web\nrc401.value 1\nrc403.value 3\nmultigraph"))
    }

    @Test func smallGroupsSetting() {
        let host = makeHost(environment: ["small_groups": "user, route_v2"], reports: webReport)
        let ids = run("elfstatsm_response_times_web", "fetch", host).standardOutput.split(separator: "\n").filter { $0.hasPrefix("multigraph") }
        #expect(ids.contains("multigraph elfstats_small_response_avg_web"))
        #expect(!ids.contains { $0.contains("elfstats_user_") || $0.contains("route_v2") })
    }

    @Test func unknownCommandFails() {
        let output = run("elfstatsm_calls_web", "graph", makeHost(reports: webReport))
        #expect(output.exitStatus == 1)
        #expect(output.standardOutput == "")
    }

    // MARK: robustness

    @Test(arguments: ["", "\0\0\0\u{1}", "[metadata", "[method_a_b]\ncalls = 3\n", "calls = 4\n", "[records]\nerror = 1e9\nskipped = -\n",
                      String(repeating: "[method_\u{00e9}_\u{1F600}]\ncalls = 1\n", count: 3)])
    func garbageNeverCrashes(_ text: String) {
        let host = makeHost(reports: ["/var/lib/elfstatsd/web.data": text])
        for kind in PluginKind.allCases {
            for command in ["config", "fetch", "autoconf", "suggest"] {
                let output = run("elfstatsm_\(kind.rawValue)_web", command, host)
                #expect(output.exitStatus == 0)
                for line in output.standardOutput.split(separator: "\n") where line.hasPrefix("multigraph ") {
                    #expect(isMuninName(String(line.dropFirst(11))))
                }
                for line in output.standardOutput.split(separator: "\n") where line.contains(".value ") {
                    let value = line.split(separator: " ").last!
                    #expect(value == "U" || Double(value) != nil)
                }
            }
        }
    }

    // MARK: the last sound report, kept in Munin's plugin state folder

    final class StateFolder: @unchecked Sendable {
        var files: [String: String] = [:]
        var writes: [String: Int] = [:]
        var state: PluginState {
            PluginState(read: { self.files[$0] }, write: { self.files[$0] = $1; self.writes[$0, default: 0] += 1 })
        }
    }

    func host(_ reports: [String: String], _ folder: StateFolder, now: Int64 = reportTime + 30,
              environment: [String: String] = [:]) -> PluginHost {
        var host = makeHost(environment: environment, now: now, reports: reports)
        host.state = folder.state
        return host
    }

    @Test func missingReportKeepsTheGraphsOfTheLastOneWithUnknownValues() {
        let folder = StateFolder()
        let sound = run("elfstatsm_calls_web", "fetch", host(webReport, folder)).standardOutput
        #expect(folder.files["elfstatsm_web.report"] == webReport.values.first)
        _ = run("elfstatsm_percentiles_web", "fetch", host(webReport, folder))
        #expect(folder.writes["elfstatsm_web.report"] == 1)

        let missing = run("elfstatsm_calls_web", "fetch", host([:], folder))
        #expect(missing.standardError.contains("cannot read the report"))
        let expected = sound.split(separator: "\n").map { line in
            line.hasPrefix("multigraph") ? String(line) : line.split(separator: " ")[0] + " U"
        }.joined(separator: "\n") + "\n"
        #expect(missing.standardOutput == expected)
        #expect(!missing.standardOutput.contains("no_data"))

        let damaged = run("elfstatsm_calls_web", "fetch", host(["/var/lib/elfstatsd/web.data": readFixture("damaged.report")], folder))
        #expect(damaged.standardOutput == expected)
        #expect(run("elfstatsm_calls_api", "fetch", host([:], folder)).standardOutput.contains("no_data"))
    }

    @Test func staleOrDamagedReportsAreNotKept() {
        let folder = StateFolder()
        _ = run("elfstatsm_calls_web", "fetch", host(webReport, folder, now: reportTime + 601))
        _ = run("elfstatsm_calls_web", "fetch", host(["/var/lib/elfstatsd/web.data": readFixture("damaged.report")], folder))
        #expect(folder.files.isEmpty)
    }

    // MARK: a round is served once per plugin and master

    /// The values of a fetch or config output (`name.value X` lines).
    func values(_ output: PluginOutput) -> [String] {
        output.standardOutput.split(separator: "\n").filter { $0.contains(".value ") }.map { String($0.split(separator: " ").last!) }
    }

    func webReport(invoked: String) -> [String: String] {
        let text = readFixture("groups.report").replacingOccurrences("daemon_invoked = 2026-11-25 07:58:37", "daemon_invoked = \(invoked)")
        return ["/var/lib/elfstatsd/web.data": text]
    }

    @Test func theSameRoundFetchedAgainIsUnknownSoMuninDoesNotStoreItTwice() {
        let folder = StateFolder()
        let master = ["MUNIN_MASTER_IP": "192.0.2.7"]
        for kind in PluginKind.allCases {
            let plugin = "elfstatsm_\(kind.rawValue)_web"
            let config = run(plugin, "config", host(webReport, folder, environment: master)).standardOutput
            let first = run(plugin, "fetch", host(webReport, folder, environment: master))
            #expect(values(first).contains { $0 != "U" }, "\(plugin): the first fetch has values")
            #expect(!first.standardError.contains("already"))
            let again = run(plugin, "fetch", host(webReport, folder, environment: master))
            #expect(!values(again).isEmpty && values(again).allSatisfy { $0 == "U" }, "\(plugin): the second fetch is unknown")
            #expect(again.standardError.contains("already gave the Munin master 192.0.2.7"))
            // The same graphs and fields, so Munin keeps them with a gap.
            #expect(again.standardOutput.split(separator: "\n").map { $0.split(separator: " ")[0] }
                    == first.standardOutput.split(separator: "\n").map { $0.split(separator: " ")[0] })
            #expect(run(plugin, "config", host(webReport, folder, environment: master)).standardOutput == config)
        }
        let next = run("elfstatsm_calls_web", "fetch", host(webReport(invoked: "2026-11-25 08:03:37"), folder, environment: master))
        #expect(values(next).contains { $0 != "U" }, "a new round has values again")
    }

    @Test func eachMasterAndMuninRunByHandHaveTheirOwnRecord() {
        let folder = StateFolder()
        #expect(values(run("elfstatsm_calls_web", "fetch", host(webReport, folder, environment: ["MUNIN_MASTER_IP": "10.0.0.1"]))).contains { $0 != "U" })
        #expect(values(run("elfstatsm_calls_web", "fetch", host(webReport, folder, environment: ["MUNIN_MASTER_IP": "10.0.0.2"]))).contains { $0 != "U" })
        // munin-run sets MUNIN_MASTER_IP empty: trying a plugin by hand takes no round from a master.
        let byHand = run("elfstatsm_calls_web", "fetch", host(webReport, folder, environment: ["MUNIN_MASTER_IP": ""]))
        #expect(values(byHand).contains { $0 != "U" })
        let byHandAgain = run("elfstatsm_calls_web", "fetch", host(webReport, folder, environment: ["MUNIN_MASTER_IP": ""]))
        #expect(values(byHandAgain).allSatisfy { $0 == "U" })
        #expect(byHandAgain.standardError.contains("already gave munin-run"))
        #expect(Set(folder.files.keys) == ["elfstatsm_web.report", "elfstatsm_calls_web.round-10_0_0_1",
                                            "elfstatsm_calls_web.round-10_0_0_2", "elfstatsm_calls_web.round"])
        #expect(folder.files["elfstatsm_calls_web.round"] == "daemon_invoked = 2026-11-25 07:58:37\n")
    }

    @Test func dirtyConfigServesTheRoundAndPlainConfigDoesNot() {
        let folder = StateFolder()
        let plain = run("elfstatsm_calls_web", "config", host(webReport, folder))
        #expect(values(plain).isEmpty)
        let dirty = ["MUNIN_CAP_DIRTYCONFIG": "1"]
        #expect(values(run("elfstatsm_calls_web", "config", host(webReport, folder, environment: dirty))).contains { $0 != "U" })
        #expect(values(run("elfstatsm_calls_web", "config", host(webReport, folder, environment: dirty))).allSatisfy { $0 == "U" })
        #expect(values(run("elfstatsm_calls_web", "fetch", host(webReport, folder))).allSatisfy { $0 == "U" })
    }

    @Test func aReportWithoutDaemonInvokedIsTreatedAsOneRoundPerModificationTime() {
        let folder = StateFolder()
        let text = readFixture("groups.report").replacingOccurrences("daemon_invoked = 2026-11-25 07:58:37\n", "")
        let reports = ["/var/lib/elfstatsd/web.data": text]
        #expect(values(run("elfstatsm_total_records_web", "fetch", host(reports, folder))).contains { $0 != "U" })
        #expect(values(run("elfstatsm_total_records_web", "fetch", host(reports, folder))).allSatisfy { $0 == "U" })
        #expect(folder.files["elfstatsm_total_records_web.round"] == "modified = \(reportTime)\n")
    }

    @Test func withoutAStateFolderEveryFetchHasValues() {
        let host = makeHost(reports: webReport)
        #expect(values(run("elfstatsm_calls_web", "fetch", host)).contains { $0 != "U" })
        #expect(values(run("elfstatsm_calls_web", "fetch", host)).contains { $0 != "U" })
    }

    // MARK: names

    @Test func namesAreSanitisedAndKeptUnique() {
        #expect(MuninName.sanitised("v2.query") == "v2query")
        #expect(MuninName.sanitised("x-export") == "xexport")
        #expect(MuninName.sanitised("2fa") == "_2fa")
        #expect(MuninName.sanitised("caf\u{00e9} au lait") == "caf__au_lait")
        #expect(MuninName.sanitised("..") == "_")
        #expect(MuninName.sanitisedPart("404") == "404")
        #expect(MuninName.sanitisedPart("_4") == "_4")
        #expect(MuninName.sanitisedPart("a.b") == "ab")
        var names = UniqueNames(reserved: ["min"])
        #expect(names.name(for: "a b") == "a_b")
        #expect(names.name(for: "a/b") == "a_b_2")
        #expect(names.name(for: "a b") == "a_b")
        #expect(names.name(for: "min") == "min_2")
    }

    @Test func methodsWhoseNamesCollideAfterSanitisingStayApart() {
        let report = """
            [metadata]
            daemon_version = v2.0.0
            [method_shop_ab]
            group = shop
            method = a/b
            calls = 1
            [method_shop_ab_2]
            group = shop
            method = a b
            calls = 2
            [method_Shop_x]
            group = Shop
            method = x
            calls = 3
            """
        let fetch = run("elfstatsm_calls_web", "fetch", makeHost(reports: ["/var/lib/elfstatsd/web.data": report])).standardOutput
        #expect(fetch.hasPrefix("""
            multigraph elfstats_shop_total_calls_web
            x.value 3
            multigraph elfstats_shop_2_total_calls_web
            a_b.value 2
            a_b_2.value 1

            """))
    }

    @Test func percentilesComeFromTheReportsKeys() {
        let report = """
            [metadata]
            [method_g_m]
            group = g
            method = m
            shortest = 1
            average = 5
            longest = 9
            p99.9 = 8
            p25 = 2
            p50 = 4
            p100 = 9
            pfoo = 3
            """
        let host = makeHost(reports: ["/var/lib/elfstatsd/web.data": report])
        let fetch = run("elfstatsm_percentiles_web", "fetch", host).standardOutput
        #expect(fetch == "multigraph elfstats_g_m_web\nmin.value 1\navg.value 5\nmax.value 9\np25.value 2\np50.value 4\np99_9.value 8\np100.value 9\n")
        let config = run("elfstatsm_percentiles_web", "config", host).standardOutput
        #expect(config.contains("p99_9.label 99.9%\n"))
        #expect(config.contains("p50.label median\n"))
        #expect(config.contains("p50.colour 39E639\n"))
    }

    @Test func percentileColours() {
        #expect(PercentileGraphs.colour(ofPercentile: 50) == "39E639")
        #expect(PercentileGraphs.colour(ofPercentile: 90) == "FF9400")
        #expect(PercentileGraphs.colour(ofPercentile: 99) == "FF0000")
        #expect(PercentileGraphs.colour(ofPercentile: 0) == "B3F2B3")
        #expect(PercentileGraphs.colour(ofPercentile: 100) == "990000")
        let ramp = [60.0, 70, 80, 95, 99.5].map(PercentileGraphs.colour(ofPercentile:))
        #expect(Set(ramp).count == ramp.count)
    }

    @Test func values() {
        #expect(MuninValue.from("12") == "12")
        #expect(MuninValue.from("0.5") == "0.5")
        #expect(MuninValue.from("-3") == "-3")
        #expect(MuninValue.from("U") == "U")
        #expect(MuninValue.from("12 ms") == "U")
        #expect(MuninValue.from("1.") == "U")
        #expect(MuninValue.from("") == "U")
        #expect(MuninValue.from(nil) == "U")
        #expect(MuninValue.count("U") == "0")
        #expect(MuninValue.count(nil) == "U")
        #expect(MuninValue.product("120", "61") == "7320")
        #expect(MuninValue.product("3", "U") == "U")
        #expect(MuninValue.product("2", "0.25") == "0.5")
        #expect(MuninValue.product("4", "0.25") == "1")
        #expect(MuninValue.product("3", "0.5") == "1.5")
    }

    @Test func periodInWords() {
        #expect(GraphOptions.period(ofSeconds: 300) == "5 min")
        #expect(GraphOptions.period(ofSeconds: 3600) == "1 h")
        #expect(GraphOptions.period(ofSeconds: 45) == "45 s")
    }

    @Test func magicMarkersAreOnLinesOfTheirOwn() {
        let lines = muninMagicMarkers.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.contains("#%# family=auto"))
        #expect(lines.contains("#%# capabilities=autoconf suggest"))
        #expect(muninMagicMarkers.hasPrefix("\n") && muninMagicMarkers.hasSuffix("\n"))
    }
}

extension String {
    func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        var result = ""
        var rest = Substring(self)
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound] + replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
