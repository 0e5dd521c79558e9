import Testing
@testable import ElfstatsCore

@Suite("Percentiles")
struct PercentileTests {
    /// The formula written out with exact fractions, on a sorted list.
    func bruteForce(_ p: Int, _ values: [Int]) -> Int? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let numerator = (sorted.count - 1) * p
        let lower = numerator / 100
        if numerator % 100 == 0 { return sorted[lower] }
        let upper = lower + 1
        // v[f]·(c-k) + v[c]·(k-f) with k = numerator/100, in hundredths
        let hundredths = sorted[lower] * (upper * 100 - numerator) + sorted[upper] * (numerator - lower * 100)
        let whole = hundredths / 100
        return hundredths % 100 >= 50 ? whole + 1 : whole
    }

    @Test func histogramAgreesWithSortingOnRandomData() {
        var generator = SystemRandomNumberGenerator()
        let ps = [0, 1, 10, 25, 50, 75, 90, 95, 99, 100]
        for n in [1, 2, 3, 7, 100, 1001, 5000] {
            var histogram = LatencyHistogram()
            var values: [Int] = []
            for _ in 0..<n {
                // Mostly small values, some far above the dense range.
                let value = Int.random(in: 0...10) == 0 ? Int.random(in: 0...200_000, using: &generator) : Int.random(in: 0...300, using: &generator)
                values.append(value)
                histogram.add(value)
            }
            let got = histogram.percentiles(ps)
            for (index, p) in ps.enumerated() {
                #expect(got[index] == bruteForce(p, values), "n=\(n) p=\(p)")
            }
            #expect(histogram.shortest == values.min())
            #expect(histogram.longest == values.max())
            #expect(histogram.average == values.reduce(0, +) / n)
        }
    }

    /// Every percentile of every histogram of 1 to 80 values, where the ranks fall on every
    /// position of the 16-value blocks the walk skips (each value twice after the first 40, and
    /// gaps, so blocks hold 0, 1 or 2 calls per value).
    @Test func everyRankAroundTheWalksBlocks() {
        for n in 1...80 {
            var histogram = LatencyHistogram()
            var values: [Int] = []
            for index in 0..<n {
                let value = index < 40 ? index : 40 + (index - 40) / 2 * 3
                values.append(value)
                histogram.add(value)
            }
            let ps = Array(0...100)
            let got = histogram.percentiles(ps)
            for p in ps { #expect(got[p] == bruteForce(p, values), "n=\(n) p=\(p)") }
        }
    }

    @Test func smallCases() {
        #expect(Percentile.of(50, sorted: [7]) == 7)
        #expect(Percentile.of(0, sorted: [7]) == 7)
        #expect(Percentile.of(100, sorted: [7]) == 7)
        #expect(Percentile.of(0, sorted: [1, 4]) == 1)
        #expect(Percentile.of(100, sorted: [1, 4]) == 4)
        #expect(Percentile.of(50, sorted: [1, 4]) == 3)   // 2.5 rounds away from zero
        #expect(Percentile.of(50, sorted: [1, 2]) == 2)   // 1.5 → 2
        #expect(Percentile.of(90, sorted: [10, 20, 30]) == 28)
        #expect(Percentile.of(50, sorted: []) == nil)
        #expect(LatencyHistogram().percentiles([50]) == [nil])
    }
}
