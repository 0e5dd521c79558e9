/// `elfstatsm_percentiles`: one logarithmic graph per method with its shortest, average and
/// longest call and every percentile the report holds (`pNN` keys, not a fixed list).
enum PercentileGraphs {
    static func graphs(_ report: ReportContents, _ options: GraphOptions) -> [MuninGraph] {
        var names = MethodNames()
        var graphs: [MuninGraph] = []
        for method in report.methods {
            let g = names.group(method.group)
            let m = names.methodPart(method)
            let fullName = "\(method.group.uppercased()):\(method.name)"
            var graph = MuninGraph(id: "elfstats_\(g)_\(m)",
                                   title: "elfstats - \(fullName) method calls percentiles",
                                   info: "Method \(fullName): response times",
                                   arguments: MuninGraph.logarithmic, verticalLabel: "ms per call, per \(options.period)")
            graph.fields = [
                .init(name: "min", label: "shortest", info: "shortest call", colour: "67E667", value: MuninValue.from(method["shortest"])),
                .init(name: "avg", label: "average", info: "average of all calls", draw: "LINE2", colour: "00CC00", value: MuninValue.from(method["average"])),
                .init(name: "max", label: "longest", info: "longest call", colour: "FF7373", value: MuninValue.from(method["longest"])),
            ]
            var fieldNames = UniqueNames(reserved: ["min", "avg", "max"])
            for (key, percentile) in method.percentileKeys {
                let number = String(key.dropFirst())
                // p99.9 -> p99_9 rather than p999.
                let candidate = MuninName.sanitised(key.replacingDots)
                graph.fields.append(.init(name: fieldNames.name(for: key, candidate: candidate),
                                          label: percentile == 50 ? "median" : "\(number)%",
                                          info: "\(number)% of the calls took at most this long",
                                          draw: percentile == 99 ? "LINE2" : "LINE1",
                                          colour: colour(ofPercentile: percentile),
                                          value: MuninValue.from(method[key])))
            }
            graphs.append(graph)
        }
        return graphs
    }

    /// The original's colours for p50 (39E639), p90 (FF9400) and p99 (FF0000); any other
    /// percentile gets a colour on the same green-orange-red ramp, so a graph reads the same way
    /// whatever percentiles the daemon is configured for.
    static func colour(ofPercentile p: Double) -> String {
        let paleGreen: (Double, Double, Double) = (0xB3, 0xF2, 0xB3)
        let green: (Double, Double, Double) = (0x39, 0xE6, 0x39)
        let orange: (Double, Double, Double) = (0xFF, 0x94, 0x00)
        let red: (Double, Double, Double) = (0xFF, 0x00, 0x00)
        let darkRed: (Double, Double, Double) = (0x99, 0x00, 0x00)
        func mix(_ a: (Double, Double, Double), _ b: (Double, Double, Double), _ t: Double) -> String {
            let c = [a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t, a.2 + (b.2 - a.2) * t]
            return c.map { hex(Int($0.rounded())) }.joined()
        }
        switch p {
        case ..<50: return mix(paleGreen, green, max(0, p) / 50)
        case ..<90: return mix(green, orange, (p - 50) / 40)
        case ..<99: return mix(orange, red, (p - 90) / 9)
        default: return mix(red, darkRed, min(1, (p - 99)))
        }
    }

    fileprivate static func hex(_ value: Int) -> String {
        let digits = Array("0123456789ABCDEF")
        let v = max(0, min(255, value))
        return String([digits[v / 16], digits[v % 16]])
    }
}

private extension String {
    var replacingDots: String { String(map { $0 == "." ? "_" : $0 }) }
}
