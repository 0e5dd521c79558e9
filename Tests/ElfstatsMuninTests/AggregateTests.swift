import Testing
import ElfstatsCore
@testable import ElfstatsMunin

/// `elfstatsm aggregate`'s generator, fed with the real plugins' `config` answers of three hosts
/// whose reports hold different methods.
struct AggregateTests {
    /// A report of this daemon with the given methods (group, method, calls).
    static func report(_ methods: [(String, String, Int)], rc500: Int = 0) -> String {
        var text = """
            [metadata]
            daemon_invoked = 2025-11-25 08:00:00
            daemon_version = v2.0.0
            daemon_worked = 0.01 sec
            first_record = 2025-11-25 07:55:00
            last_record = 2025-11-25 07:59:59

            [records]
            error = 1
            parsed = 10
            skipped = 2
            total = 13

            [response_codes]
            rc200 = 10
            rc404 = 0
            rc500 = \(rc500)

            """
        for (group, method, calls) in methods {
            text += """

                [method_\(group)_\(method)]
                group = \(group)
                method = \(method)
                calls = \(calls)
                stalled_calls = 0
                shortest = 1
                longest = 9
                average = 4
                p50 = 3
                p90 = 8
                p99 = 9
                rc200 = \(calls)

                """
        }
        text += "\n[patterns]\nuid.total = 5\nuid.distinct = 3\n"
        return text
    }

    /// The graphs the six plugins of instance `web` describe for `report`.
    static func graphs(of report: String) -> [NodeGraph] {
        let host = makeHost(reports: ["/var/lib/elfstatsd/web.data": report])
        var graphs: [NodeGraph] = []
        for kind in PluginKind.allCases {
            let output = run("elfstatsm_\(kind.rawValue)_web", "config", host)
            graphs += NodeGraph.parse(config: output.standardOutput, kind: kind).graphs
        }
        return graphs
    }

    static let hostA = AggregateHost(path: MuninNodePath(section: "web;a")!,
                                     graphs: graphs(of: report([("shop", "get", 5), ("shop", "list", 7), ("admin", "purge", 2)])))
    static let hostB = AggregateHost(path: MuninNodePath(section: "web;b")!,
                                     graphs: graphs(of: report([("shop", "get", 11), ("shop", "list", 13)], rc500: 4)))
    static let hostC = AggregateHost(path: MuninNodePath(section: "web;c")!,
                                     graphs: graphs(of: report([("shop", "get", 17), ("shop", "export", 19)])))
    static let node = MuninNodePath(section: "Totals;web")!

    func plan() -> [AggregateGraph] { AggregatePlan.graphs(hosts: [Self.hostA, Self.hostB, Self.hostC]) }

    @Test func callsAreSummedOverTheHostsThatHaveTheMethod() throws {
        let calls = try #require(plan().first { $0.id == "elfstats_shop_total_calls_web" })
        #expect(calls.line("get")?.attribute("cdef") == "s2h1,s2h2,+,s2h3,+")
        #expect(calls.line("s2h1")?.reference == "web;a:elfstats_shop_total_calls_web.get")
        #expect(calls.line("s2h3")?.reference == "web;c:elfstats_shop_total_calls_web.get")
        // list: a and b only; export: c only.
        let list = try #require(calls.line("list")?.attribute("cdef"))
        #expect(list == "s3h1,s3h2,+")
        #expect(calls.line("export")?.attribute("cdef") == "s1h3")
        #expect(calls.line("s1h3")?.reference == "web;c:elfstats_shop_total_calls_web.export")
        // Hidden sources come before the lines that add them up, and are not drawn.
        let firstDrawn = try #require(calls.lines.firstIndex { $0.attribute("cdef") != nil })
        #expect(calls.lines[..<firstDrawn].allSatisfy { $0.attribute("graph") == "no" })
        #expect(calls.lines[firstDrawn...].allSatisfy { $0.attribute("graph") == nil })
        #expect(calls.lines[firstDrawn...].map(\.name) == ["export", "get", "list"])
    }

    @Test func aGroupOnOneHostOnlyIsThatHostsGraph() throws {
        let admin = try #require(plan().first { $0.id == "elfstats_admin_total_calls_web" })
        #expect(admin.lines.map(\.name) == ["s1h1", "purge"])
        #expect(admin.line("purge")?.attribute("cdef") == "s1h1")
        #expect(admin.attributes.first { $0.key == "graph_title" }?.value.hasSuffix("sum over 1 host") == true)
    }

    @Test func recordsAndResponseCodesAreSummed() throws {
        let graphs = plan()
        let records = try #require(graphs.first { $0.id == "elfstats_total_records_web" })
        #expect(records.line("error")?.attribute("cdef") == "s1h1,s1h2,+,s1h3,+")
        #expect(records.line("skipped")?.attribute("cdef") == "s2h1,s2h2,+,s2h3,+")
        let codes = try #require(graphs.first { $0.id == "elfstats_response_codes_5XX_web" })
        #expect(codes.line("rc500")?.attribute("cdef") == "s1h1,s1h2,+,s1h3,+")
    }

    @Test func patternTotalsAreSummedAndDistinctValuesDrawnPerHost() throws {
        let uid = try #require(plan().first { $0.id == "elfstats_patterns_uid_web" })
        #expect(uid.line("total")?.attribute("cdef") == "s2h1,s2h2,+,s2h3,+")
        #expect(uid.lines.filter { $0.name.hasPrefix("distinct_h") }.map(\.reference) == [
            "web;a:elfstats_patterns_uid_web.distinct", "web;b:elfstats_patterns_uid_web.distinct", "web;c:elfstats_patterns_uid_web.distinct"])
        #expect(uid.line("distinct_h2")?.attribute("label") == "distinct on b")
    }

    @Test func percentilesGetOneLinePerHost() throws {
        let graphs = plan()
        let p90 = try #require(graphs.first { $0.id == "elfstats_shop_get_web_p90" })
        #expect(p90.lines.map(\.name) == ["h1", "h2", "h3"])
        #expect(p90.lines.map { $0.attribute("label") } == ["a", "b", "c"])
        #expect(p90.lines.allSatisfy { $0.attribute("cdef") == nil })
        #expect(p90.line("h2")?.reference == "web;b:elfstats_shop_get_web.p90")
        let export = try #require(graphs.first { $0.id == "elfstats_shop_export_web_p99" })
        #expect(export.lines.map(\.name) == ["h3"])
        #expect(graphs.filter { $0.id.hasPrefix("elfstats_shop_get_web_") }.map(\.id)
                == ["elfstats_shop_get_web_p50", "elfstats_shop_get_web_p90", "elfstats_shop_get_web_p99"])
        let chosen = AggregatePlan.graphs(hosts: [Self.hostA, Self.hostB], percentiles: ["p99"])
        #expect(chosen.filter { $0.id.hasPrefix("elfstats_shop_get_web_") }.map(\.id) == ["elfstats_shop_get_web_p99"])
    }

    @Test func responseTimesAreLeftOut() {
        #expect(!plan().contains { $0.id.contains("_response_total_") || $0.id.contains("_response_avg_") })
    }

    /// Every reference names a graph and field the host's own plugin declared.
    @Test func everyReferenceIsAFieldOfThatHostsPlugins() {
        let hosts = [Self.hostA, Self.hostB, Self.hostC]
        var checked = 0
        for graph in plan() {
            for line in graph.lines {
                let (path, rest) = (line.reference.split(separator: ":").first!, line.reference.split(separator: ":").last!)
                let host = hosts.first { $0.path.fullName == path }
                let parts = rest.split(separator: ".")
                #expect(parts.count == 2)
                #expect(host?.graph(String(parts[0]))?.field(String(parts[1])) != nil, "\(line.reference)")
                checked += 1
            }
        }
        #expect(checked > 60)
    }

    @Test func outputDoesNotDependOnTheOrderOfTheHosts() {
        let one = AggregateConfiguration.text(node: Self.node, hosts: [Self.hostA, Self.hostB, Self.hostC])
        let two = AggregateConfiguration.text(node: Self.node, hosts: [Self.hostC, Self.hostA, Self.hostB])
        #expect(one == two)
        #expect(one.hasPrefix("# Aggregate graphs of elfstatsd over 3 web hosts: web;a web;b web;c\n"))
        #expect(one.contains("\n[Totals;web]\n    update no\n"))
        #expect(one.contains("\n    elfstats_shop_total_calls_web.graph_order s1h3=web;c:elfstats_shop_total_calls_web.export s2h1=web;a:"))
        #expect(one.contains("\n    elfstats_shop_total_calls_web.get.cdef s2h1,s2h2,+,s2h3,+\n"))
    }

    @Test func hostileConfigTextCannotReachMuninsConfiguration() throws {
        let text = """
            multigraph elfstats_x_total_calls_web
            graph_title calls # not a comment \\
            graph_args --base 1000 --imgformat PNG -o /etc/passwd
            good.label ok\u{1B}[31m
            good.info a\u{85}b\u{2028}c
            good.draw LINE1 ; rm
            good.colour 00ff00
            bad-name.label dropped
            multigraph ../../etc
            evil.label x
            multigraph elfstats_x_total_calls_web
            twice.label x
            """
        let (graphs, problems) = NodeGraph.parse(config: text, kind: .calls)
        #expect(graphs.map(\.id) == ["elfstats_x_total_calls_web"])
        #expect(graphs[0].fields.map(\.name) == ["good"])
        #expect(problems.count == 3)
        let host = AggregateHost(path: MuninNodePath(section: "web;a")!, graphs: graphs)
        let out = AggregateConfiguration.text(node: Self.node, hosts: [host])
        #expect(out.contains("    elfstats_x_total_calls_web.graph_title calls \\# not a comment \\ - sum over 1 host\n"))
        #expect(out.contains("    elfstats_x_total_calls_web.graph_args --base 1000\n"))
        #expect(out.contains("    elfstats_x_total_calls_web.good.label ok [31m\n"))
        #expect(!out.contains("\u{85}") && !out.contains("\u{2028}"))
        #expect(!out.contains(".good.draw"))
        #expect(out.contains("    elfstats_x_total_calls_web.good.colour 00ff00\n"))
        #expect(!out.contains("etc"))
    }

    @Test func aliasesStayClearOfRealFieldNames() throws {
        let host = AggregateHost(path: MuninNodePath(section: "web;a")!, graphs: Self.graphs(of: Self.report([("shop", "s1h1", 1), ("shop", "s2h1", 2)])))
        let calls = try #require(AggregatePlan.graphs(hosts: [host]).first { $0.id == "elfstats_shop_total_calls_web" })
        #expect(Set(calls.lines.map(\.name)).count == calls.lines.count)
        #expect(calls.line("s1h1")?.attribute("cdef") == "s1h1_2")
        #expect(calls.line("s1h1_2")?.reference == "web;a:elfstats_shop_total_calls_web.s1h1")
    }

    @Test func nodePathsFollowMunin() {
        #expect(MuninNodePath(section: "web1.example.com")?.fullName == "example.com;web1.example.com")
        #expect(MuninNodePath(section: "web1")?.fullName == "web1;web1")
        #expect(MuninNodePath(section: "shop;web1.example.com")?.fullName == "shop;web1.example.com")
        #expect(MuninNodePath(section: "a;b;web1")?.groups == ["a", "b"])
        #expect(MuninNodePath(section: "web 1") == nil)
        #expect(MuninNodePath(section: "a;;b") == nil)
        #expect(MuninNodePath(section: "web1:x") == nil)
        #expect(MuninNodePath(section: "") == nil)
    }
}
