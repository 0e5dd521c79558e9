/// Hits per response code. A method sees a handful of codes, so a short list searched from the
/// front (in the order the codes first appeared, which puts the common ones early) beats hashing.
///
/// The first code seen is kept inline, in the value itself: most of a method's calls share one
/// code, and counting it then writes no array, so it needs no copy-on-write uniqueness check
/// (a runtime call per line; benchmark: see the commit). Later codes go to the arrays.
public struct StatusCounts: Sendable, Equatable {
    /// The first code seen, or -1 before any (codes are 0...999).
    var firstCode = -1
    var firstHits = 0
    /// The codes after the first, in the order they first appeared, and their hits.
    var codes: [Int] = []
    var hits: [Int] = []

    public init() {}

    @inline(__always)
    public mutating func add(_ code: Int) {
        if code == firstCode {
            firstHits &+= 1  // hits of one round's lines: far below Int.max
            return
        }
        addAfterFirst(code, times: 1)
    }

    /// Adds `times` hits of `code` at once (sums of several lists).
    public mutating func add(_ code: Int, times: Int) {
        if code == firstCode {
            firstHits += times
        } else {
            addAfterFirst(code, times: times)
        }
    }

    /// A code other than the inline one: it becomes the inline one when there is none yet.
    @inline(__always)
    private mutating func addAfterFirst(_ code: Int, times: Int) {
        if firstCode < 0 {
            firstCode = code
            firstHits = times
            return
        }
        for index in codes.indices where codes[index] == code {
            hits[index] += times
            return
        }
        if codes.isEmpty {
            // Room for the codes a method usually sees, taken once: grown from one, the two
            // arrays were reallocated 8 times per method of the benchmark (0.39 million
            // instructions for its 102 methods, callgrind).
            codes.reserveCapacity(16)
            hits.reserveCapacity(16)
        }
        codes.append(code)
        hits.append(times)
    }

    /// Every code seen and its hits, in the order the codes first appeared.
    var entries: [(code: Int, hits: Int)] {
        (firstCode < 0 ? [] : [(firstCode, firstHits)]) + zip(codes, hits).map { (code: $0, hits: $1) }
    }

    /// Hits of `code` (0 when never seen).
    public subscript(code: Int) -> Int {
        if code == firstCode { return firstHits }
        return codes.firstIndex(of: code).map { hits[$0] } ?? 0
    }

    /// Code and hits of every code seen, plus `always` with zero hits, in numeric order.
    public func all(including always: [Int]) -> [(code: Int, hits: Int)] {
        // Each code is listed once; a short list, so no Dictionary (hashing every code). Built
        // in one array of its final size: through `entries`, `+` and `sorted` this took 2,800
        // instructions per method of the benchmark's report (callgrind; now 1,500).
        var merged: [(code: Int, hits: Int)] = []
        merged.reserveCapacity(1 + codes.count + always.count)
        if firstCode >= 0 { merged.append((firstCode, firstHits)) }
        for index in codes.indices { merged.append((codes[index], hits[index])) }
        for code in always where !merged.contains(where: { $0.code == code }) { merged.append((code, 0)) }
        merged.sort { $0.code < $1.code }
        return merged
    }

    public mutating func removeAll() {
        firstCode = -1
        firstHits = 0
        codes.removeAll(keepingCapacity: true)
        hits.removeAll(keepingCapacity: true)
    }
}
