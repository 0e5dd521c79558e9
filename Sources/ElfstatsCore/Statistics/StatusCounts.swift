/// Hits per response code. A method sees a handful of codes, so a short list searched from the
/// front (in the order the codes first appeared, which puts the common ones early) beats hashing.
public struct StatusCounts: Sendable, Equatable {
    var codes: [Int] = []
    var hits: [Int] = []

    public init() {}

    @inline(__always)
    public mutating func add(_ code: Int) {
        for index in codes.indices where codes[index] == code {
            hits[index] += 1
            return
        }
        codes.append(code)
        hits.append(1)
    }

    /// Hits of `code` (0 when never seen).
    public subscript(code: Int) -> Int {
        codes.firstIndex(of: code).map { hits[$0] } ?? 0
    }

    /// Code and hits of every code seen, plus `always` with zero hits, in numeric order.
    public func all(including always: [Int]) -> [(code: Int, hits: Int)] {
        var merged: [Int: Int] = [:]
        for code in always { merged[code] = 0 }
        for (code, count) in zip(codes, hits) { merged[code, default: 0] += count }
        return merged.keys.sorted().map { ($0, merged[$0]!) }
    }

    public mutating func removeAll() {
        codes.removeAll(keepingCapacity: true)
        hits.removeAll(keepingCapacity: true)
    }
}
