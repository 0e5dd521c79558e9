import Testing
@testable import ElfstatsCore

/// Hits per response code: the first code is kept inline, the rest in arrays; every way of
/// adding must give what a plain dictionary count gives.
@Suite("Status counts")
struct StatusCountsTests {
    func sorted(_ counts: [Int: Int]) -> [(code: Int, hits: Int)] {
        counts.sorted { $0.key < $1.key }.map { (code: $0.key, hits: $0.value) }
    }

    func same(_ a: [(code: Int, hits: Int)], _ b: [(code: Int, hits: Int)]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.code == $1.code && $0.hits == $1.hits }
    }

    /// Random codes (a common one and a few rare ones, as in a log), added one by one, in
    /// bulk, and as sums of two lists, across a reset, against a dictionary.
    @Test func countsEqualADictionarysCounts() {
        var generator = SystemRandomNumberGenerator()
        for round in 0..<300 {
            let pool = [200, 0, 404, 500, 301, 999, 503].shuffled(using: &generator)
            let length = Int.random(in: 0...40, using: &generator)
            let codes = (0..<length).map { _ in Bool.random(using: &generator) ? pool[0] : pool.randomElement(using: &generator)! }
            let cut = Int.random(in: 0...length, using: &generator)
            var expected: [Int: Int] = [:]
            var one = StatusCounts(), left = StatusCounts(), right = StatusCounts(), bulk = StatusCounts()
            if round % 3 == 0 {
                // Left over from an earlier round: a reset must forget it, the inline code too.
                one.add(302); one.add(200); one.removeAll()
                left.add(302); left.removeAll()
            }
            for (index, code) in codes.enumerated() {
                expected[code, default: 0] += 1
                one.add(code)
                if index < cut { left.add(code) } else { right.add(code) }
            }
            for (code, hits) in expected { bulk.add(code, times: hits) }
            left.add(right)
            for counts in [one, left, bulk] {
                #expect(same(counts.all(including: []), sorted(expected)))
                for code in pool + [302] { #expect(counts[code] == expected[code] ?? 0) }
            }
            var always = expected
            for code in [200, 302] where always[code] == nil { always[code] = 0 }
            #expect(same(one.all(including: [200, 302]), sorted(always)))
        }
    }
}
