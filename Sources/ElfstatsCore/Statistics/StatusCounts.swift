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

    /// Adds `times` hits of `code` at once (sums of several lists).
    public mutating func add(_ code: Int, times: Int) {
        if let index = codes.firstIndex(of: code) {
            hits[index] += times
        } else {
            codes.append(code)
            hits.append(times)
        }
    }

    /// Hits of `code` (0 when never seen).
    public subscript(code: Int) -> Int {
        codes.firstIndex(of: code).map { hits[$0] } ?? 0
    }

    /// Code and hits of every code seen, plus `always` with zero hits, in numeric order.
    public func all(including always: [Int]) -> [(code: Int, hits: Int)] {
        // `codes` holds each code once; a short list, so no Dictionary (hashing every code).
        var merged = zip(codes, hits).map { (code: $0, hits: $1) }
        for code in always where !merged.contains(where: { $0.code == code }) { merged.append((code, 0)) }
        return merged.sorted { $0.code < $1.code }
    }

    public mutating func removeAll() {
        codes.removeAll(keepingCapacity: true)
        hits.removeAll(keepingCapacity: true)
    }
}
