import Testing
@testable import ElfstatsCore

/// `LogAnalyzer.absorb`: a log cut at line boundaries into parts, each counted by its own
/// analyzer and merged in file order, gives the report of one analyzer over the whole log, or
/// the merge refuses and changes nothing (`once --jobs N`).
@Suite("Merging the analyzers of a log's parts")
struct MergeTests {
    func sampleConfiguration() throws -> Configuration {
        try loadConfiguration(path: repositoryRoot + "scripts/sample/elfstatsd.conf")
    }

    func generatedLog(_ arguments: String) -> [UInt8] {
        guard let pipe = popen("python3 '\(repositoryRoot)scripts/genlog' \(arguments)", "r") else { return [] }
        let bytes = readAll(pipe) ?? []
        #expect(pclose(pipe) == 0)
        return bytes
    }

    /// Offsets of the starts of lines (after each newline), the log's start and end included.
    func lineStarts(_ log: [UInt8]) -> [Int] {
        [0] + log.indices.filter { log[$0] == 0x0A }.map { $0 + 1 }
    }

    /// `parts + 1` line-start offsets from 0 to the log's end, at shares `fractions` of the
    /// lines (parts may be empty).
    func cuts(_ log: [UInt8], at fractions: [Double]) -> [Int] {
        let starts = lineStarts(log)
        return [0] + fractions.map { starts[Int(Double(starts.count - 1) * $0)] } + [log.count]
    }

    func analyzer(_ configuration: Configuration) throws -> LogAnalyzer {
        try LogAnalyzer(configuration: configuration, dataFile: configuration.dataFiles[0])
    }

    func feed(_ analyzer: LogAnalyzer, _ log: [UInt8], _ range: Range<Int>) {
        let consumed = log[range].withUnsafeBytes { analyzer.consume($0) }
        #expect(consumed == range.count)
    }

    /// One analyzer over the whole log.
    func singleReport(_ log: [UInt8], _ configuration: Configuration) throws -> String {
        let single = try analyzer(configuration)
        feed(single, log, 0..<log.count)
        return report(of: single).rendered()
    }

    /// The first part into one analyzer, each later part into a new one, merged; when the merge
    /// refuses, the later parts are counted by the first analyzer as the runtime then does.
    /// Returns whether it merged, and the report.
    func mergedReport(_ log: [UInt8], _ configuration: Configuration, cuts: [Int]) throws -> (merged: Bool, report: String) {
        let main = try analyzer(configuration)
        feed(main, log, cuts[0]..<cuts[1])
        var parts: [LogAnalyzer] = []
        for index in 1..<(cuts.count - 1) {
            let part = try analyzer(configuration)
            feed(part, log, cuts[index]..<cuts[index + 1])
            parts.append(part)
        }
        let before = main.records
        let merged = main.absorb(parts)
        if !merged {
            #expect(main.records == before, "a refused merge changes nothing")
            feed(main, log, cuts[1]..<log.count)
        }
        return (merged, report(of: main).rendered())
    }

    /// Two to five parts at even, uneven and empty shares.
    static let splits: [[Double]] = [
        [0.5], [0.1], [0.97], [0.0], [1.0],
        [0.33, 0.66], [0.05, 0.06], [0.5, 0.5],
        [0.25, 0.5, 0.75], [0.2, 0.4, 0.6, 0.8], [0.01, 0.02, 0.9, 0.99],
    ]

    func expectSameReports(_ log: [UInt8], _ configuration: Configuration, mustMerge: Bool = true) throws -> Int {
        let single = try singleReport(log, configuration)
        var mergedCount = 0
        for split in Self.splits {
            let (merged, text) = try mergedReport(log, configuration, cuts: cuts(log, at: split))
            if mustMerge { #expect(merged, "split \(split)") }
            if merged { mergedCount += 1 }
            #expect(text == single, "split \(split), merged \(merged)")
        }
        return mergedCount
    }

    @Test func onTheBundledSample() throws {
        let log = try #require(readFile(repositoryRoot + "scripts/sample/access_log"))
        _ = try expectSameReports(log, try sampleConfiguration())
    }

    @Test func onAGeneratedLogWithBadLines() throws {
        let log = generatedLog("--lines 8000 --seed 11 --bad 0.1")
        #expect(log.count > 1_000_000)
        let single = try analyzer(try sampleConfiguration())
        feed(single, log, 0..<log.count)
        #expect(single.records.error > 500)
        _ = try expectSameReports(log, try sampleConfiguration())
    }

    /// A part alone with more methods than `max_methods` counted some under the overflow
    /// method that may have a slot in the whole: the merge refuses, and reading the rest on one
    /// analyzer gives the one-analyzer report.
    @Test func refusesWhenAPartOverflowed() throws {
        var configuration = try sampleConfiguration()
        configuration.maxMethods = 12
        let log = generatedLog("--lines 6000 --seed 5 --bad 0.05")
        let (merged, text) = try mergedReport(log, configuration, cuts: cuts(log, at: [0.5]))
        #expect(!merged)
        #expect(text == (try singleReport(log, configuration)))
        #expect(text.contains("[method_elfstatsd_overflow]"))
        // Other splits: each refuses unless the later parts are empty, and the reports agree.
        #expect(try expectSameReports(log, configuration, mustMerge: false) <= 1)
    }

    /// A refusal found only after the parts' calls were added to the merged registry (here: a
    /// part's histogram switched to buckets, the base's did not) leaves the analyzer as it was:
    /// the merged registry shares no statistics with it (`MethodRegistry.copied`).
    @Test func aLateRefusalChangesNothing() throws {
        let configuration = try sampleConfiguration()
        func line(_ microseconds: Int) -> String {
            "10.1.1.1 - - [08/Aug/2013:10:00:00 +0200] \"GET /content/account/v2.query HTTP/1.1\" 200 49956 \"-\" \"curl\" node1 node1 OK 409 50256 \(microseconds)\n"
        }
        let first = (0..<3).map { line(1_000 * ($0 + 1)) }.joined()
        let second = (0..<1_100).map { line(1_000 * (16_384 + 7 * $0)) }.joined()
        let log = Array((first + second).utf8)
        let cut = first.utf8.count
        let (merged, text) = try mergedReport(log, configuration, cuts: [0, cut, log.count])
        #expect(!merged)
        #expect(text == (try singleReport(log, configuration)))
        #expect(text.contains("\ncalls = 1103\n"))
    }

    /// Parts within `max_methods` each, but more methods in the whole: the merge gives slots to
    /// the first methods in the log's order and the rest to the overflow method, as one
    /// analyzer does.
    @Test func overflowsInTheMergeAsOneAnalyzerDoes() throws {
        var configuration = try sampleConfiguration()
        let log = generatedLog("--lines 400 --seed 7")
        let split = cuts(log, at: [0.5])
        var perPart: [Int] = []
        for index in 0..<2 {
            let part = try analyzer(configuration)
            feed(part, log, split[index]..<split[index + 1])
            perPart.append(part.registry.methods.count)
        }
        let whole = try analyzer(configuration)
        feed(whole, log, 0..<log.count)
        let limit = perPart.max()!
        try #require(whole.registry.methods.count > limit, "the parts share all their methods; no overflow to test")
        configuration.maxMethods = limit
        let (merged, text) = try mergedReport(log, configuration, cuts: split)
        #expect(merged)
        #expect(text == (try singleReport(log, configuration)))
        #expect(text.contains("[method_elfstatsd_overflow]"))
    }

    /// In a later round, with every slot taken, a method new to the round takes the slot of the
    /// method idle longest: the merge offers the parts' methods in the order they appeared, so
    /// the same methods lose their slots as when one analyzer reads on.
    @Test func laterRoundsEvictTheSameIdleMethods() throws {
        var configuration = try sampleConfiguration()
        configuration.maxMethods = 30
        let first = generatedLog("--lines 120 --seed 21")
        let second = generatedLog("--lines 90 --seed 22")
        let single = try analyzer(configuration)
        feed(single, first, 0..<first.count)
        let firstSingle = report(of: single).rendered()
        feed(single, second, 0..<second.count)
        let secondSingle = report(of: single).rendered()
        var merges = 0
        for split in Self.splits {
            let main = try analyzer(configuration)
            feed(main, first, 0..<first.count)
            #expect(report(of: main).rendered() == firstSingle)
            let at = cuts(second, at: split)
            feed(main, second, at[0]..<at[1])
            var parts: [LogAnalyzer] = []
            for index in 1..<(at.count - 1) {
                let part = try analyzer(configuration)
                feed(part, second, at[index]..<at[index + 1])
                parts.append(part)
            }
            if main.absorb(parts) {
                merges += 1
            } else {
                feed(main, second, at[1]..<second.count)
            }
            #expect(report(of: main).rendered() == secondSingle, "split \(split)")
        }
        #expect(merges >= 3)
        // Methods of the first round lost their slots (idle methods are kept for 288 rounds
        // otherwise), so the merges did evict.
        func methods(_ text: String) -> Set<Substring> {
            Set(text.split(separator: "\n").filter { $0.hasPrefix("[method_") })
        }
        #expect(!methods(firstSingle).subtracting(methods(secondSingle)).isEmpty)
    }

    /// Past `max_pattern_values` the distinct count is a HyperLogLog estimate; merging the
    /// sketches gives the very estimate of one analyzer.
    @Test func patternEstimatesAreIdentical() throws {
        var configuration = try sampleConfiguration()
        configuration.maxPatternValues = 40
        let log = generatedLog("--lines 6000 --seed 3")
        let single = try singleReport(log, configuration)
        #expect(single.contains(".distinct_estimated = 1"))
        _ = try expectSameReports(log, configuration)
        // One part below the limit, the other past it, and both below it with the union past.
        configuration.maxPatternValues = 300
        _ = try expectSameReports(log, configuration)
    }
}

/// The latency histogram's part of the merge: exact, or nil when its switch to buckets would
/// depend on the order of the values.
@Suite("Merging latency histograms")
struct LatencyMergeTests {
    func histogram(_ values: [Int]) -> LatencyHistogram {
        var histogram = LatencyHistogram()
        for value in values { histogram.add(value) }
        return histogram
    }

    /// What the report shows of a histogram, plus whether it switched to buckets.
    func shown(_ histogram: LatencyHistogram) -> [Int?] {
        [histogram.count, histogram.sum, histogram.shortest, histogram.longest, histogram.average, histogram.isBucketed ? 1 : 0]
            + histogram.percentiles([0, 1, 10, 50, 90, 95, 99, 100])
    }

    /// A generator of the same values on every run.
    struct Values: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state
        }
        mutating func next(_ bound: Int) -> Int { Int((next() >> 33) % UInt64(bound)) }
    }

    /// `values` cut into parts at `cuts`: the merge is nil or what adding them one by one gives.
    @discardableResult
    func check(_ values: [Int], cuts: [Int]) -> LatencyHistogram? {
        let whole = histogram(values)
        let base = histogram(Array(values[0..<cuts[0]]))
        var sources: [LatencyHistogram] = []
        for index in cuts.indices {
            sources.append(histogram(Array(values[cuts[index]..<(index + 1 < cuts.count ? cuts[index + 1] : values.count)])))
        }
        let merged = LatencyHistogram.merging(sources, into: base)
        if let merged { #expect(shown(merged) == shown(whole), "cuts \(cuts)") }
        return merged
    }

    @Test func smallValuesMergeExactly() throws {
        var random = Values(state: 1)
        let values = (0..<20_000).map { _ in random.next(3000) }
        for cuts in [[10_000], [1], [19_999], [0], [5000, 15_000], [100, 200, 300]] {
            #expect(check(values, cuts: cuts) != nil, "cuts \(cuts)")
        }
    }

    /// More than 1,024 distinct values from 16,384 ms on switch one by one, whatever the order:
    /// two parts of 1,000 each did not switch, and their merge must.
    @Test func manySlowValuesSwitchInTheMerge() throws {
        var values = (0..<2000).map { 16_384 + 37 * $0 }
        values += (0..<3000).map { $0 % 500 }
        var random = Values(state: 9)
        values.shuffle(using: &random)
        let merged = try #require(check(values, cuts: [2500]))
        #expect(merged.isBucketed)
        #expect(!histogram(Array(values[0..<2500])).isBucketed)
    }

    /// A histogram already switched stays so, and takes the parts' values.
    @Test func aSwitchedBaseTakesEverything() throws {
        var values = (0..<1100).map { 20_000 + 11 * $0 }
        values += (0..<4000).map { 50 + ($0 * 7) % 20_000 }
        let merged = try #require(check(values, cuts: [1100]))
        #expect(merged.isBucketed)
    }

    /// Whether the dictionary passes 1,024 values one by one cannot be told from the parts: a
    /// part that held 1,024 values in its dictionary, after a base with one value there.
    @Test func refusesWhenTheSwitchMayDependOnTheOrder() {
        let source = histogram(Array(5000..<6024))
        #expect(!source.isBucketed && source.largestDictionary == 1024)
        #expect(LatencyHistogram.merging([source], into: histogram([20_000])) == nil)
        // Without the base's slow value the part's dictionary bounds the run's: merged.
        #expect(LatencyHistogram.merging([source], into: histogram([5])) != nil)
        // A part whose values mostly went to the array bounds it too, however many they are.
        let busy = histogram((0..<20_000).map { 64 + $0 % 3000 })
        #expect(LatencyHistogram.merging([busy], into: histogram([20_000])) != nil)
    }

    @Test func randomSplitsAreExactOrRefused() {
        var random = Values(state: 42)
        var merged = 0
        for round in 0..<60 {
            let count = 50 + random.next(6000)
            let spread = [100, 3000, 20_000, 200_000][round % 4]
            let values = (0..<count).map { _ in random.next(spread) + (random.next(50) == 0 ? 16_384 + random.next(100_000) : 0) }
            let cutCount = 1 + random.next(4)
            let cuts = (0..<cutCount).map { _ in random.next(count) }.sorted()
            if check(values, cuts: cuts) != nil { merged += 1 }
        }
        #expect(merged > 40)
    }
}
